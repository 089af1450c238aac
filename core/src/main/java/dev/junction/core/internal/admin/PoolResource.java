package dev.junction.core.internal.admin;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.ConfigException;
import dev.junction.core.config.ConfigProblem;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Availability;
import dev.junction.core.spi.Backend;

/**
 * The admin endpoint's run-time pool API, HAProxy's runtime API as JSON over HTTP: a route's backends read, added,
 * removed, weighted, enabled, disabled and drained, with the effects a reload has. The answers are the pool as it is
 * then, with what differs from the configuration's source.
 * <ul>
 *   <li>{@code GET <admin>/pools/<route>}: the pool.</li>
 *   <li>{@code POST <admin>/pools/<route>} with a backend as its body, as a route's {@code backends} entry is written
 *       ({@code {"url": "http://10.0.0.9:8080", "weight": 2}}): adds it ({@code 201}).</li>
 *   <li>{@code POST <admin>/pools/<route>/<backend>?weight=N}, {@code ?state=enabled|disabled|draining}: changes it.
 *   </li>
 *   <li>{@code DELETE <admin>/pools/<route>/<backend>}: removes it; it finishes what it has.</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
final class PoolResource {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PoolResource() {
    }

    /**
     * Answers a request under {@code <admin>/pools/}: {@code names} is what follows, {@code <route>} or
     * {@code <route>/<backend>}, already split and decoded.
     */
    static AdminEndpoint.Response handle(String method, String route, @Nullable String backendId,
            @Nullable String weight, @Nullable String state, byte[] body, AdminEndpoint.PoolControl control) {
        BackendPool pool = control.pool();
        if (backendId == null) {
            return switch (method) {
                case "GET", "HEAD" -> answer(200, route, control);
                case "POST" -> add(route, body, control);
                default -> AdminEndpoint.notAllowed(method, "GET, HEAD, POST");
            };
        }
        Backend backend = pool.get(backendId);
        if (backend == null) {
            return AdminEndpoint.failure(404, "route '" + route + "' has no backend '" + backendId + "'");
        }
        try {
            switch (method) {
                case "GET", "HEAD" -> {
                    return answer(200, route, control);
                }
                case "DELETE" -> {
                    pool.remove(backendId);
                    return answer(200, route, control);
                }
                case "POST" -> {
                    if (weight == null && state == null) {
                        return AdminEndpoint.failure(400, "nothing to do (expected: ?weight=<1 to "
                                + BackendConfig.MAX_WEIGHT + "> or ?state=enabled, disabled or draining)");
                    }
                    if (weight != null) {
                        int parsed = parse(weight);
                        if (parsed < 1 || parsed > BackendConfig.MAX_WEIGHT) {
                            return AdminEndpoint.failure(400, "weight: '" + weight + "' (expected: an integer from 1"
                                    + " to " + BackendConfig.MAX_WEIGHT + ")");
                        }
                        pool.update(with(backend.config(), parsed, backend.config().disabled()));
                    }
                    if (state != null) {
                        switch (state) {
                            case "enabled" -> {
                                if (backend.config().disabled()) {
                                    pool.update(with(current(pool, backendId), -1, false));
                                }
                                if (backend.state().availability() == Availability.DRAINING) {
                                    pool.availability(backendId, Availability.HEALTHY);
                                }
                            }
                            case "disabled" -> pool.update(with(current(pool, backendId), -1, true));
                            case "draining" -> pool.availability(backendId, Availability.DRAINING);
                            default -> {
                                return AdminEndpoint.failure(400, "state: '" + state + "' (expected: enabled, disabled"
                                        + " or draining)");
                            }
                        }
                    }
                    return answer(200, route, control);
                }
                default -> {
                    return AdminEndpoint.notAllowed(method, "GET, HEAD, POST, DELETE");
                }
            }
        } catch (ConfigException e) {
            return problems(e);
        } catch (IllegalArgumentException e) {
            // Removed meanwhile by another request.
            return AdminEndpoint.failure(404, "route '" + route + "' has no backend '" + backendId + "'");
        }
    }

    /** Returns a backend's definition now; throws as a missing id does if another request removed it meanwhile. */
    private static BackendConfig current(BackendPool pool, String id) {
        Backend now = pool.get(id);
        if (now == null) {
            throw new IllegalArgumentException("id: '" + id + "' (expected: the id of a backend in the pool)");
        }
        return now.config();
    }

    private static AdminEndpoint.Response add(String route, byte[] body, AdminEndpoint.PoolControl control) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return AdminEndpoint.failure(400, "the body is empty (expected: a backend, as in a route's backends:"
                    + " {\"url\": \"http://10.0.0.9:8080\", \"weight\": 2})");
        }
        try {
            BackendConfig backend = control.read(text);
            if (backend.discovered()) {
                return AdminEndpoint.failure(400, "a backend from DNS (resolve: dns, dns+srv://) belongs in the"
                        + " configuration, which looks its name up; the pool API adds backends by address");
            }
            control.pool().add(backend);
        } catch (ConfigException e) {
            return problems(e);
        }
        return answer(201, route, control);
    }

    private static BackendConfig with(BackendConfig config, int weight, boolean disabled) {
        return config.toBuilder().weight(weight > 0 ? weight : config.weight()).disabled(disabled).build();
    }

    private static int parse(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static AdminEndpoint.Response problems(ConfigException e) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("error", "the backend is not valid");
        ArrayNode problems = root.putArray("problems");
        for (ConfigProblem problem : e.problems()) {
            problems.add(problem.toString());
        }
        return new AdminEndpoint.Response(400, AdminEndpoint.jsonHeaders(), write(root));
    }

    /** Returns the pool as JSON: its backends and what differs from the configuration's source. */
    private static AdminEndpoint.Response answer(int status, String route, AdminEndpoint.PoolControl control) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("route", route);
        ArrayNode backends = root.putArray("backends");
        for (Backend backend : control.pool().all()) {
            ObjectNode b = backends.addObject();
            BackendConfig config = backend.config();
            b.put("id", config.id());
            b.put("url", config.url());
            b.put("weight", config.weight());
            b.put("backup", config.backup());
            b.put("disabled", config.disabled());
            b.put("group", config.group());
            b.put("availability", backend.state().availability().name());
            b.put("available", backend.isAvailable());
            b.put("inFlight", backend.state().inFlight());
            ObjectNode metadata = b.putObject("metadata");
            for (Map.Entry<String, String> label : config.metadata().entrySet()) {
                metadata.put(label.getKey(), label.getValue());
            }
        }
        List<String> changes = new ArrayList<>(control.runtimeChanges());
        ArrayNode differs = root.putArray("runtimeChanges");
        changes.forEach(differs::add);
        return new AdminEndpoint.Response(status, AdminEndpoint.jsonHeaders(), write(root));
    }

    private static byte[] write(ObjectNode root) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serialises", e);
        }
    }
}
