package dev.junction.core.internal.admin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import dev.junction.core.config.AdminConfig;
import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.Validator;
import dev.junction.core.http.Fields;
import dev.junction.core.internal.resilience.BackendBreaker;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.status.ClusterStatus;
import dev.junction.core.status.ConfigStatus;
import dev.junction.core.status.OffloadStatus;
import dev.junction.core.status.RouteStatus;
import dev.junction.core.status.ReleaseStatus;
import dev.junction.core.status.StatusJson;

/**
 * The admin endpoint's answers, the same for every adapter: an adapter asks {@link #matches} of each request path,
 * before its routes, and hands a match to {@link #handle}, then writes the {@link Response} it gets.
 * <ul>
 *   <li>{@code GET <path>} (or {@code <path>/status}): the status snapshot as JSON ({@code HEAD} too); a browser
 *       asking for HTML gets the {@link StatusPage status page} at {@code <path>/} instead.</li>
 *   <li>{@code GET <path>/live} and {@code GET <path>/ready}: the probes of an orchestrator or a load balancer,
 *       {@code 200} while running, and {@code 200} or {@code 503} with the reasons; they need no token and answer
 *       any {@code Host}, as kubelet probes name the pod's address and carry no credentials.</li>
 *   <li>{@code GET <path>/metrics}: Junction's metrics in Prometheus's text format, when its registry is
 *       Prometheus's.</li>
 *   <li>{@code POST <path>/checks}: runs every active health check now and answers with the status once they have
 *       all ended (each bounded by its timeout).</li>
 *   <li>{@code GET <path>/breakers/<route>/<backend>}: that backend's circuit breaker, as
 *       {@code {"route": ..., "backend": ..., "state": "OPEN", "mode": "AUTOMATIC"}}.</li>
 *   <li>{@code POST <path>/breakers/<route>/<backend>?mode=open|closed|automatic}: holds the breaker open or closed,
 *       or hands it back to the backend's failures; answers as the {@code GET}.</li>
 *   <li>{@code GET <path>/releases/<route>}: the route's release groups, their shares and numbers; {@code POST} with
 *       {@code ?share=<group>:<percent>}, {@code ?activate=<group>}, {@code ?action=rollback}, {@code rollout} or
 *       {@code pause} changes them and answers as the {@code GET} ({@code 409} with the reason if the change does not
 *       fit).</li>
 *   <li>{@code GET <path>/pools/<route>}, {@code POST <path>/pools/<route>} (a backend as the body),
 *       {@code POST <path>/pools/<route>/<backend>?weight=N} or {@code ?state=enabled|disabled|draining},
 *       {@code DELETE <path>/pools/<route>/<backend>}: the run-time pool API ({@link PoolResource}).</li>
 *   <li>{@code POST <path>/cluster/restart}: starts a rolling restart of the cluster's workers and answers
 *       {@code 202} with {@code {"rollingRestart": {...}}} at once ({@code 409} without a cluster).</li>
 *   <li>{@code POST <path>/reload}: reads the configuration again from its source and applies it; answers
 *       {@code {"outcome": "APPLIED", "changes": ..., "configuration": {...}}} ({@code UNCHANGED} too), {@code 422}
 *       with every problem if the new one is refused (the one running keeps serving), {@code 409} if there is no
 *       source.</li>
 * </ul>
 * With a token configured, a request without {@code Authorization: Bearer <token>} gets 401, compared in constant
 * time; without one, {@link BrowserGuard} refuses what a browser could be made to send from another site (403).
 * Answers are never cached ({@code Cache-Control: no-store}); errors are JSON {@code {"error": "..."}}.
 *
 * <p>Thread-safe.
 */
public final class AdminEndpoint {

    /** An answer to write. {@code body} is written as is, except for {@code HEAD}. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
    }

    /** What the endpoint reads and does: the running Junction's status, checks and breakers. */
    public interface Operations {

        /** Returns a snapshot of every route and backend. */
        List<RouteStatus> status();

        /** Runs every active check now; completes when all have ended and been counted. */
        CompletableFuture<Void> checkHealth();

        /** Returns whether a route has this name. */
        boolean hasRoute(String route);

        /** Returns whether the named route has a backend with this id. */
        boolean hasBackend(String route, String backend);

        /** Returns the breaker of a backend of a route, or null if the route has no breakers. */
        @Nullable BackendBreaker breaker(String route, String backend);

        /**
         * Returns the metrics in Prometheus's text format, or null if they are not served here (no Prometheus
         * registry: {@code admin.metrics} is off, or the registry handed to Junction is another kind).
         */
        @Nullable String prometheus();

        /** Returns whether Junction is ready for traffic, and if not, why. */
        Readiness readiness();

        /** Returns the release groups of a route, or null if its backends name none. */
        @Nullable ReleaseControl release(String route);

        /** Returns the configuration's status and its reloads, or null if nothing tells them. */
        @Nullable Reloads reloads();

        /** Returns the pool of the route named {@code route}, or null if there is none. */
        @Nullable PoolControl pool(String route);

        /** Returns the cluster's workers, or null without a cluster. */
        @Nullable ClusterStatus clusterStatus();

        /** Returns the offload pools shown in the status; empty for none. */
        List<OffloadStatus> offloadStatus();

        /**
         * Starts a rolling restart of the cluster's workers, or returns the one under way.
         *
         * @throws IllegalStateException without a cluster
         */
        CompletableFuture<ClusterStatus.RollingRestart> restartWorkers(String trigger);
    }

    /** A route's pool, as the endpoint's pool API changes it. */
    public interface PoolControl {

        BackendPool pool();

        /**
         * Returns the backend a request's body describes, read as an entry of the route's {@code backends} is;
         * throws {@link dev.junction.core.config.ConfigException} listing every problem.
         */
        BackendConfig read(String text);

        /**
         * Returns how the pool differs from the configuration running (backends added, removed or redefined at run
         * time), each as {@code <backend>: <what>}; empty when it does not.
         */
        List<String> runtimeChanges();
    }

    /** The configuration the Junction runs, and reloading it from its source. */
    public interface Reloads {

        /** Returns the configuration's generation, source and last reload. */
        ConfigStatus status();

        /**
         * Reloads from the source, off the calling thread; completes with the attempt, however it ended. Returns
         * null if the Junction has no source to reload from.
         */
        @Nullable CompletableFuture<ConfigStatus.Attempt> reload();
    }

    /**
     * A route's release groups as the endpoint changes them. Each change names who made it ({@code by}), for the log
     * and the status; a change that does not fit throws {@link IllegalArgumentException} or
     * {@link IllegalStateException} saying why.
     */
    public interface ReleaseControl {

        ReleaseStatus status();

        void setShare(String group, int percent, String by);

        void activate(String group, String by);

        void rollback(String reason);

        void startRollout();

        void pauseRollout(String by);
    }

    /**
     * Whether Junction is ready for traffic: started, not stopping, and each route it waits for has a backend that
     * takes requests; {@code reasons} say what is missing, route by route.
     */
    public record Readiness(boolean ready, List<String> reasons) {

        public Readiness {
            reasons = List.copyOf(reasons);
        }
    }

    private static final String JSON = "application/json";
    /** Prometheus's text exposition format. */
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String BEARER = "Bearer ";

    private final Operations junction;
    private final String path;
    private final byte @Nullable [] token;
    private final @Nullable BrowserGuard guard;
    private final StatusPage page;

    /** Creates the endpoint for a Junction whose configuration enables it. */
    public AdminEndpoint(Operations junction, AdminConfig config) {
        this.junction = Objects.requireNonNull(junction, "junction");
        this.path = Validator.normalisePrefix(config.path());
        this.token = config.token() == null ? null : config.token().getBytes(StandardCharsets.UTF_8);
        this.guard = config.token() == null ? new BrowserGuard(config.allowedHosts()) : null;
        this.page = new StatusPage(config.token() != null);
    }

    /** Returns the path the endpoint is mounted at, without a trailing slash. */
    public String path() {
        return path;
    }

    /** Returns whether a request path (as received, without the query) is the endpoint's. */
    public boolean matches(String rawPath) {
        return rawPath.startsWith(path) && (rawPath.length() == path.length() || rawPath.charAt(path.length()) == '/');
    }

    /**
     * Answers one admin request.
     *
     * @param method the request method
     * @param rawPath a path {@link #matches} accepted
     * @param rawQuery the query, or null
     * @param headers the request's header fields: {@code Authorization}; without a token, {@code Host},
     *     {@code Origin} and {@code Sec-Fetch-Site}
     */
    public CompletableFuture<Response> handle(String method, String rawPath, @Nullable String rawQuery,
            Fields headers) {
        return handle(method, rawPath, rawQuery, headers, new byte[0]);
    }

    /**
     * Answers one admin request that has a body ({@code POST <path>/pools/<route>} reads it), as
     * {@link #handle(String, String, String, Fields)} does.
     */
    public CompletableFuture<Response> handle(String method, String rawPath, @Nullable String rawQuery,
            Fields headers, byte[] body) {
        String resource = rawPath.substring(path.length());
        if (resource.equals("/live") || resource.equals("/ready")) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                return CompletableFuture.completedFuture(notAllowed(method, "GET, HEAD"));
            }
            return CompletableFuture.completedFuture(resource.equals("/live") ? live() : ready());
        }
        BrowserGuard untokened = guard;
        String refused = untokened == null ? null : untokened.refusal(method, headers);
        if (refused != null) {
            return CompletableFuture.completedFuture(new Response(403, headers(), error(refused)));
        }
        if (method.equals("GET") || method.equals("HEAD")) {
            Response page = page(rawPath, resource, headers);
            if (page != null) {
                return CompletableFuture.completedFuture(page);
            }
        }
        if (!authorized(headers.get("Authorization"))) {
            return CompletableFuture.completedFuture(new Response(401, Map.of("Content-Type", JSON,
                    "Cache-Control", "no-store", "WWW-Authenticate", "Bearer realm=\"junction-admin\""),
                    error("an admin token is required: Authorization: Bearer <token>")));
        }
        if (resource.endsWith("/")) {
            resource = resource.substring(0, resource.length() - 1);
        }
        if (resource.startsWith(RELEASES)) {
            return CompletableFuture.completedFuture(release(method, rawPath, resource.substring(RELEASES.length()),
                    rawQuery));
        }
        if (resource.startsWith(POOLS)) {
            return CompletableFuture.completedFuture(pool(method, rawPath, resource.substring(POOLS.length()),
                    rawQuery, body));
        }
        if (resource.startsWith(BREAKERS)) {
            return CompletableFuture.completedFuture(breaker(method, rawPath, resource.substring(BREAKERS.length()),
                    rawQuery));
        }
        switch (resource) {
            case "", "/status" -> {
                if (!method.equals("GET") && !method.equals("HEAD")) {
                    return CompletableFuture.completedFuture(notAllowed(method, "GET, HEAD"));
                }
                return CompletableFuture.completedFuture(status());
            }
            case "/metrics" -> {
                if (!method.equals("GET") && !method.equals("HEAD")) {
                    return CompletableFuture.completedFuture(notAllowed(method, "GET, HEAD"));
                }
                return CompletableFuture.completedFuture(metrics());
            }
            case "/checks" -> {
                if (!method.equals("POST")) {
                    return CompletableFuture.completedFuture(notAllowed(method, "POST"));
                }
                return junction.checkHealth().thenApply(done -> status());
            }
            case "/reload" -> {
                if (!method.equals("POST")) {
                    return CompletableFuture.completedFuture(notAllowed(method, "POST"));
                }
                return reload();
            }
            case "/cluster/restart" -> {
                if (!method.equals("POST")) {
                    return CompletableFuture.completedFuture(notAllowed(method, "POST"));
                }
                return CompletableFuture.completedFuture(restartWorkers());
            }
            default -> {
                return CompletableFuture.completedFuture(new Response(404, headers(),
                        error("no admin resource at " + rawPath + "; there are " + path + " (GET: JSON, or the"
                                + " status page for a browser), " + path
                                + "/live (GET), " + path + "/ready (GET), " + path + "/metrics (GET), " + path
                                + "/checks (POST), " + path + "/reload (POST), " + path + "/cluster/restart (POST), "
                                + path + POOLS
                                + "<route>[/<backend>] (GET, POST, DELETE), " + path + BREAKERS
                                + "<route>/<backend> (GET, POST) and " + path
                                + RELEASES + "<route> (GET, POST)")));
            }
        }
    }

    private static final String BREAKERS = "/breakers/";
    private static final String POOLS = "/pools/";
    private static final String RELEASES = "/releases/";
    private static final String BY_ADMIN = "the admin endpoint";

    /**
     * Reads or changes a route's release groups: {@code GET} the state; {@code POST} with one of {@code share=<group>:
     * <percent>}, {@code activate=<group>}, {@code action=rollback} (with an optional {@code reason=}),
     * {@code action=rollout} or {@code action=pause}.
     */
    private Response release(String method, String rawPath, String name, @Nullable String rawQuery) {
        String routeName = decode(name);
        if (routeName.isEmpty() || routeName.contains("/")) {
            return new Response(404, headers(), error("no admin resource at " + rawPath + "; releases are at "
                    + path + RELEASES + "<route>"));
        }
        if (!junction.hasRoute(routeName)) {
            return new Response(404, headers(), error("no route named '" + routeName + "'"));
        }
        ReleaseControl release = junction.release(routeName);
        if (release == null) {
            return new Response(404, headers(), error("route '" + routeName + "' has no release groups (its"
                    + " backends name no group)"));
        }
        if (method.equals("POST")) {
            String share = queryValue(rawQuery, "share");
            String activate = queryValue(rawQuery, "activate");
            String action = queryValue(rawQuery, "action");
            try {
                if (share != null) {
                    int colon = share.lastIndexOf(':');
                    int percent = colon < 0 ? -1 : parsePercent(share.substring(colon + 1));
                    if (percent < 0) {
                        return new Response(400, headers(), error("share: '" + share + "' (expected:"
                                + " <group>:<percent>, such as canary:25)"));
                    }
                    release.setShare(share.substring(0, colon), percent, BY_ADMIN);
                } else if (activate != null) {
                    release.activate(activate, BY_ADMIN);
                } else if ("rollback".equals(action)) {
                    String reason = queryValue(rawQuery, "reason");
                    release.rollback((reason == null ? "asked" : reason) + " (" + BY_ADMIN + ")");
                } else if ("rollout".equals(action)) {
                    release.startRollout();
                } else if ("pause".equals(action)) {
                    release.pauseRollout(BY_ADMIN);
                } else {
                    return new Response(400, headers(), error("nothing to do (expected: ?share=<group>:<percent>,"
                            + " ?activate=<group>, or ?action=rollback, rollout or pause)"));
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                return new Response(409, headers(), error(e.getMessage()));
            }
        } else if (!method.equals("GET") && !method.equals("HEAD")) {
            return notAllowed(method, "GET, HEAD, POST");
        }
        return new Response(200, headers(), StatusJson.writeRelease(routeName, release.status())
                .getBytes(StandardCharsets.UTF_8));
    }

    /** Reads or changes a route's pool: {@code <route>} or {@code <route>/<backend>}, percent-decoded. */
    private Response pool(String method, String rawPath, String names, @Nullable String rawQuery, byte[] body) {
        String[] parts = names.split("/", -1);
        if (parts.length > 2 || parts[0].isEmpty() || parts.length == 2 && parts[1].isEmpty()) {
            return new Response(404, headers(), error("no admin resource at " + rawPath + "; pools are at "
                    + path + POOLS + "<route> and " + path + POOLS + "<route>/<backend>"));
        }
        String routeName = decode(parts[0]);
        PoolControl control = junction.pool(routeName);
        if (control == null) {
            return new Response(404, headers(), error("no route named '" + routeName + "'"));
        }
        return PoolResource.handle(method, routeName, parts.length == 2 ? decode(parts[1]) : null,
                queryValue(rawQuery, "weight"), queryValue(rawQuery, "state"), body, control);
    }

    /** Returns an error answer with {@code status}. */
    static Response failure(int status, String message) {
        return new Response(status, headers(), error(message));
    }

    /** Returns the fields of a JSON answer. */
    static Map<String, String> jsonHeaders() {
        return headers();
    }

    private static int parsePercent(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Returns the status page, or one of its assets, if that is what a read asks for (the page when a browser asks
     * for the admin path itself), or null. Neither needs the token: they hold no data.
     */
    private @Nullable Response page(String rawPath, String resource, Fields headers) {
        if ((resource.isEmpty() || resource.equals("/")) && StatusPage.wantsHtml(headers.get("Accept"))) {
            return page.page(rawPath);
        }
        return resource.startsWith(StatusPage.ASSETS)
                ? StatusPage.asset(resource.substring(StatusPage.ASSETS.length())) : null;
    }

    /** Reads or sets one backend's circuit breaker: {@code <route>/<backend>}, percent-decoded. */
    private Response breaker(String method, String rawPath, String names, @Nullable String rawQuery) {
        String[] parts = names.split("/", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            return new Response(404, headers(), error("no admin resource at " + rawPath + "; breakers are at "
                    + path + BREAKERS + "<route>/<backend>"));
        }
        String routeName = decode(parts[0]);
        String backendId = decode(parts[1]);
        boolean route = junction.hasRoute(routeName);
        if (!route || !junction.hasBackend(routeName, backendId)) {
            return new Response(404, headers(), error(!route ? "no route named '" + routeName + "'"
                    : "route '" + routeName + "' has no backend '" + backendId + "'"));
        }
        BackendBreaker breaker = junction.breaker(routeName, backendId);
        if (breaker == null) {
            return new Response(404, headers(), error("route '" + routeName + "' has no circuit breakers"));
        }
        if (method.equals("POST")) {
            String mode = queryValue(rawQuery, "mode");
            if ("open".equals(mode)) {
                breaker.forceOpen();
            } else if ("closed".equals(mode)) {
                breaker.forceClosed();
            } else if ("automatic".equals(mode)) {
                breaker.automatic();
            } else {
                return new Response(400, headers(), error("mode: " + (mode == null ? "missing" : "'" + mode + "'")
                        + " (expected: ?mode=open, closed or automatic)"));
            }
        } else if (!method.equals("GET") && !method.equals("HEAD")) {
            return notAllowed(method, "GET, HEAD, POST");
        }
        String json = "{\"route\":" + quote(routeName) + ",\"backend\":" + quote(backendId) + ",\"state\":\""
                + breaker.state() + "\",\"mode\":\"" + breaker.mode() + "\"}\n";
        return new Response(200, headers(), json.getBytes(StandardCharsets.UTF_8));
    }

    private static @Nullable String queryValue(@Nullable String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && decode(pair.substring(0, equals)).equals(name)) {
                return decode(pair.substring(equals + 1));
            }
        }
        return null;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    private static String quote(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }

    private boolean authorized(@Nullable String authorization) {
        if (token == null) {
            return true;
        }
        if (authorization == null || authorization.length() < BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] given = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token);
    }

    /** Reloads the configuration from its source and answers how it went. */
    private CompletableFuture<Response> reload() {
        Reloads reloads = junction.reloads();
        CompletableFuture<ConfigStatus.Attempt> done = reloads == null ? null : reloads.reload();
        if (reloads == null || done == null) {
            return CompletableFuture.completedFuture(new Response(409, headers(), error("nothing to reload from:"
                    + " this Junction was given its configuration in code, with no source to read it again from")));
        }
        return done.thenApply(attempt -> new Response(attempt.outcome() == ConfigStatus.Outcome.REJECTED ? 422 : 200,
                headers(), StatusJson.writeReload(attempt, reloads.status()).getBytes(StandardCharsets.UTF_8)));
    }

    private Response status() {
        Reloads reloads = junction.reloads();
        return new Response(200, headers(), StatusJson.write(junction.status(),
                reloads == null ? null : reloads.status(), junction.clusterStatus(), junction.offloadStatus())
                .getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Starts a rolling restart of the workers and answers at once, {@code 202} with its state (it takes each worker's
     * start and drain; the status follows it); {@code 409} without a cluster, or while the cluster stops.
     */
    private Response restartWorkers() {
        if (junction.clusterStatus() == null) {
            return new Response(409, headers(), error("no cluster is configured: this Junction runs no workers"));
        }
        try {
            junction.restartWorkers(BY_ADMIN);
        } catch (IllegalStateException e) {
            return new Response(409, headers(), error(e.getMessage()));
        }
        ClusterStatus cluster = junction.clusterStatus();
        ClusterStatus.RollingRestart restart = cluster == null ? null : cluster.rollingRestart();
        if (restart == null) {
            return new Response(409, headers(), error("the rolling restart could not start"));
        }
        return new Response(202, headers(), StatusJson.writeRollingRestart(restart).getBytes(StandardCharsets.UTF_8));
    }

    private static Response live() {
        return new Response(200, headers(), "{\"live\":true}\n".getBytes(StandardCharsets.UTF_8));
    }

    private Response ready() {
        Readiness readiness = junction.readiness();
        StringBuilder json = new StringBuilder("{\"ready\":").append(readiness.ready());
        if (!readiness.ready()) {
            json.append(",\"reasons\":[");
            for (int i = 0; i < readiness.reasons().size(); i++) {
                json.append(i == 0 ? "" : ",").append(quote(readiness.reasons().get(i)));
            }
            json.append(']');
        }
        return new Response(readiness.ready() ? 200 : 503, headers(),
                json.append("}\n").toString().getBytes(StandardCharsets.UTF_8));
    }

    private Response metrics() {
        String text = junction.prometheus();
        if (text == null) {
            return new Response(404, headers(), error("metrics are not served here: admin.metrics is false, or the"
                    + " registry handed to Junction is not a Prometheus registry (read it where it is published)"));
        }
        return new Response(200, Map.of("Content-Type", PROMETHEUS_TEXT, "Cache-Control", "no-store"),
                text.getBytes(StandardCharsets.UTF_8));
    }

    static Response notAllowed(String method, String allow) {
        return new Response(405, Map.of("Content-Type", JSON, "Cache-Control", "no-store", "Allow", allow),
                error(method + " is not allowed here (allowed: " + allow + ")"));
    }

    private static Map<String, String> headers() {
        return Map.of("Content-Type", JSON, "Cache-Control", "no-store");
    }

    private static byte[] error(String message) {
        return ("{\"error\":" + quote(message) + "}\n").getBytes(StandardCharsets.UTF_8);
    }
}
