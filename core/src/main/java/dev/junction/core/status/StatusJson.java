package dev.junction.core.status;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON form of a status snapshot: {@code {"routes": [{"name": ..., "backends": [{"id": ..., "reason":
 * "UNHEALTHY", "explanation": "...", ...}]}]}}, times as ISO-8601 instants, absent values as {@code null}.
 *
 * <p>The texts that come from failures (a backend's explanation, its last check error) can quote what an exception
 * said, and an exception can quote a credential: a URL's user information, an {@code Authorization} or
 * {@code Cookie} field, a {@code password=} or {@code token=} parameter. Those are written as {@code ***}.
 *
 * <p>Thread-safe.
 */
public final class StatusJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StatusJson() {
    }

    /**
     * Returns {@code routes} as JSON, with no configuration, cluster or offload part.
     *
     * @param routes the routes' status, in the order to write them
     * @return the pretty-printed JSON document
     */
    public static String write(List<RouteStatus> routes) {
        return write(routes, null);
    }

    /**
     * Returns {@code routes} as JSON, and the configuration's status, if given, as {@code "configuration"}:
     * {@code {"generation": 2, "source": ..., "appliedAt": ..., "lastReload": {"at": ..., "trigger": ...,
     * "outcome": "REJECTED", "changes": "", "problems": [...]}}}.
     *
     * @param routes the routes' status, in the order to write them
     * @param configuration the configuration's status, or null to leave {@code "configuration"} out
     * @return the pretty-printed JSON document
     */
    public static String write(List<RouteStatus> routes, @Nullable ConfigStatus configuration) {
        return write(routes, configuration, null, List.of());
    }

    /**
     * Returns the status as {@link #write(List, ConfigStatus)} does, with the cluster's workers, if any, as
     * {@code "cluster"}: {@code {"supervisorPid": ..., "up": 2, "workers": [{"id": 0, "state": "up", "pid": ...,
     * "port": 9000, "backend": "worker-0@9000", "startedAt": ..., "uptimeSeconds": ..., "restarts": 0,
     * "lastExitCode": null, "problem": null}], "rollingRestart": {...}}}, and the offload pools, if any, as
     * {@code "offload"}: {@code [{"name": "render", "threads": 4, "maxQueued": 64, "running": 4, "queued": 12,
     * "completed": ..., "refused": ..., "meanWaitMillis": ..., "maxWaitMillis": ...}]}.
     *
     * @param routes the routes' status, in the order to write them
     * @param configuration the configuration's status, or null to leave {@code "configuration"} out
     * @param cluster the cluster's status, or null to leave {@code "cluster"} out
     * @param offloads the offload pools' status; empty to leave {@code "offload"} out
     * @return the pretty-printed JSON document
     */
    public static String write(List<RouteStatus> routes, @Nullable ConfigStatus configuration,
            @Nullable ClusterStatus cluster, List<OffloadStatus> offloads) {
        ObjectNode root = MAPPER.createObjectNode();
        if (configuration != null) {
            configuration(root.putObject("configuration"), configuration);
        }
        if (cluster != null) {
            cluster(root.putObject("cluster"), cluster);
        }
        if (!offloads.isEmpty()) {
            ArrayNode pools = root.putArray("offload");
            for (OffloadStatus offload : offloads) {
                ObjectNode pool = pools.addObject();
                pool.put("name", offload.name());
                pool.put("threads", offload.threads());
                pool.put("maxQueued", offload.maxQueued());
                pool.put("running", offload.running());
                pool.put("queued", offload.queued());
                pool.put("completed", offload.completed());
                pool.put("refused", offload.refused());
                pool.put("meanWaitMillis", offload.meanWaitMillis());
                pool.put("maxWaitMillis", offload.maxWaitMillis());
            }
        }
        ArrayNode routeNodes = root.putArray("routes");
        for (RouteStatus route : routes) {
            ObjectNode node = routeNodes.addObject();
            node.put("name", route.name());
            node.put("prefix", route.prefix());
            node.put("strategy", route.strategy());
            node.put("panicking", route.panicking());
            node.put("requests", route.requests());
            node.put("errors", route.errors());
            node.put("totalTimeMillis", route.totalTimeMillis());
            QueueStatus queue = route.queue();
            if (queue != null) {
                ObjectNode q = node.putObject("queue");
                q.put("waiting", queue.waiting());
                ObjectNode byClass = q.putObject("waitingByClass");
                queue.waitingByClass().forEach(byClass::put);
                q.put("maxWaiting", queue.maxWaiting());
                q.put("queued", queue.queued());
                q.put("refused", queue.refused());
                q.put("shed", queue.shed());
                q.put("timedOut", queue.timedOut());
                q.put("meanWaitMillis", queue.meanWaitMillis());
            }
            RateLimitStatus limits = route.rateLimits();
            if (limits != null) {
                ObjectNode r = node.putObject("rateLimits");
                ArrayNode names = r.putArray("limits");
                limits.limits().forEach(names::add);
                r.put("allowed", limits.allowed());
                r.put("limited", limits.limited());
                r.put("decidedAlone", limits.decidedAlone());
                if (limits.store() != null) {
                    r.put("store", limits.store());
                    r.put("storeReachable", limits.storeReachable());
                    r.put("storeProblem", limits.storeProblem() == null ? null : redacted(limits.storeProblem()));
                    r.put("whenUnreachable", limits.whenUnreachable());
                }
            }
            ConcurrencyStatus concurrency = route.concurrency();
            if (concurrency != null) {
                ObjectNode c = node.putObject("adaptiveConcurrency");
                c.put("algorithm", concurrency.algorithm());
                c.put("limit", concurrency.limit());
                c.put("inFlight", concurrency.inFlight());
                c.put("shed", concurrency.shed());
            }
            ReleaseStatus release = route.release();
            if (release != null) {
                release(node.putObject("release"), release);
            }
            ScalingStatus scaling = route.scaling();
            if (scaling != null) {
                scaling(node.putObject("scaling"), scaling);
            }
            ArrayNode backends = node.putArray("backends");
            for (BackendStatus backend : route.backends()) {
                ObjectNode b = backends.addObject();
                b.put("id", backend.id());
                b.put("url", backend.url());
                b.put("backup", backend.backup());
                b.put("available", backend.available());
                b.put("reason", backend.reason().name());
                b.put("explanation", redacted(backend.explanation()));
                b.put("inFlight", backend.inFlight());
                b.put("tunnels", backend.tunnels());
                b.put("requests", backend.requests());
                b.put("successes", backend.successes());
                b.put("failures", backend.failures());
                b.put("responseTimeMillis", backend.responseTimeMillis());
                b.put("lastCheck", text(backend.lastCheck()));
                b.put("lastCheckError", redacted(backend.lastCheckError()));
                b.put("consecutiveCheckSuccesses", backend.consecutiveCheckSuccesses());
                b.put("consecutiveCheckFailures", backend.consecutiveCheckFailures());
                b.put("averageCheckMillis", backend.averageCheckMillis());
                b.put("ejectedUntil", text(backend.ejectedUntil()));
                b.put("breaker", backend.breaker() == null ? null : backend.breaker().name());
                b.put("breakerMode", backend.breakerMode() == null ? null : backend.breakerMode().name());
            }
        }
        return text(root);
    }

    /**
     * Returns how a reload went as JSON: {@code {"outcome": "REJECTED", "changes": "", "problems": [...],
     * "configuration": {...}}}, the configuration as {@link #write(List, ConfigStatus)} writes it.
     *
     * @param attempt the reload attempt
     * @param configuration the configuration's status after it
     * @return the pretty-printed JSON document
     */
    public static String writeReload(ConfigStatus.Attempt attempt, ConfigStatus configuration) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("outcome", attempt.outcome().name());
        root.put("changes", attempt.changes());
        ArrayNode problems = root.putArray("problems");
        attempt.problems().forEach(problem -> problems.add(redacted(problem)));
        configuration(root.putObject("configuration"), configuration);
        return text(root);
    }

    /**
     * Returns a route's scaling signal as JSON, as its scaling webhook receives it: {@code {"route": ..., "signal":
     * "UP", "since": ..., "reason": ..., "utilisationPercent": ..., "queued": ..., "meanLatencyMillis": ...}}.
     *
     * @param scaling the route's scaling status
     * @return the pretty-printed JSON document
     */
    public static String writeScaling(ScalingStatus scaling) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("route", scaling.route());
        scaling(root, scaling);
        return text(root);
    }

    private static void scaling(ObjectNode s, ScalingStatus scaling) {
        s.put("signal", scaling.state().name());
        s.put("since", scaling.since().toString());
        s.put("reason", scaling.reason());
        s.put("utilisationPercent", scaling.utilisationPercent());
        s.put("queued", scaling.queued());
        s.put("meanLatencyMillis", scaling.meanLatencyMillis());
    }

    private static String text(ObjectNode root) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serialises", e);
        }
    }

    private static void configuration(ObjectNode c, ConfigStatus configuration) {
        c.put("generation", configuration.generation());
        c.put("source", configuration.source());
        c.put("appliedAt", configuration.appliedAt().toString());
        ArrayNode runtime = c.putArray("runtimeChanges");
        configuration.runtimeChanges().forEach(runtime::add);
        ArrayNode discovery = c.putArray("discovery");
        for (DiscoveryStatus looked : configuration.discovery()) {
            ObjectNode d = discovery.addObject();
            d.put("route", looked.route());
            d.put("backend", looked.backend());
            d.put("name", looked.name());
            ArrayNode backends = d.putArray("backends");
            looked.backends().forEach(backends::add);
            d.put("resolvedAt", text(looked.resolvedAt()));
            d.put("nextLookup", text(looked.nextLookup()));
            d.put("problem", looked.problem());
        }
        ConfigStatus.Attempt last = configuration.lastReload();
        if (last == null) {
            c.putNull("lastReload");
            return;
        }
        ObjectNode l = c.putObject("lastReload");
        l.put("at", last.at().toString());
        l.put("trigger", last.trigger());
        l.put("outcome", last.outcome().name());
        l.put("changes", last.changes());
        ArrayNode problems = l.putArray("problems");
        last.problems().forEach(problem -> problems.add(redacted(problem)));
    }

    /**
     * Returns one route's release groups as JSON: {@code {"route": ..., "baseline": ..., "groups": [...]}}.
     *
     * @param route the route's name
     * @param release the route's release status
     * @return the pretty-printed JSON document
     */
    public static String writeRelease(String route, ReleaseStatus release) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("route", route);
        release(root, release);
        return text(root);
    }

    private static void release(ObjectNode r, ReleaseStatus release) {
        r.put("baseline", release.baseline());
        r.put("state", release.state());
        r.put("rolloutGroup", release.rolloutGroup());
        r.put("nextStepAt", text(release.nextStepAt()));
        r.put("lastEvent", release.lastEvent());
        r.put("lastEventAt", text(release.lastEventAt()));
        ArrayNode groups = r.putArray("groups");
        for (ReleaseStatus.Group group : release.groups()) {
            ObjectNode g = groups.addObject();
            g.put("name", group.name());
            g.put("share", group.share());
            g.put("backends", group.backends());
            g.put("available", group.available());
            g.put("requests", group.requests());
            g.put("errors", group.errors());
            g.put("windowRequests", group.windowRequests());
            g.put("windowErrorPercent", group.windowErrorPercent());
            g.put("windowMeanMillis", group.windowMeanMillis());
        }
    }

    private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^\\s/@]+@");
    private static final Pattern CREDENTIAL_FIELD = Pattern.compile(
            "(?i)\\b(proxy-authorization|authorization|set-cookie|cookie|x-api-key)(\\s*[:=]\\s*)[^\\r\\n]*");
    private static final Pattern SCHEME_TOKEN = Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]+");
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)\\b(password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key)=[^&\\s,;'\"]+");

    /** Returns {@code text} with the credentials it may quote written as {@code ***}. */
    static @Nullable String redacted(@Nullable String text) {
        if (text == null) {
            return null;
        }
        String out = USER_INFO.matcher(text).replaceAll("$1***@");
        out = CREDENTIAL_FIELD.matcher(out).replaceAll("$1$2***");
        out = SCHEME_TOKEN.matcher(out).replaceAll("$1 ***");
        return SECRET_PARAMETER.matcher(out).replaceAll("$1=***");
    }

    private static @Nullable String text(@Nullable Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /** Writes the cluster's workers and its rolling restart into {@code node}. */
    static void cluster(ObjectNode node, ClusterStatus cluster) {
        node.put("supervisorPid", cluster.supervisorPid());
        node.put("up", cluster.up());
        ArrayNode workers = node.putArray("workers");
        for (WorkerStatus worker : cluster.workers()) {
            ObjectNode w = workers.addObject();
            w.put("id", worker.id());
            w.put("state", worker.state().jsonName());
            w.put("pid", worker.pid() == 0 ? null : worker.pid());
            w.put("port", worker.port());
            w.put("backend", worker.backend());
            w.put("startedAt", worker.startedAt() == null ? null : worker.startedAt().toString());
            w.put("uptimeSeconds", worker.uptime().toSeconds());
            w.put("restarts", worker.restarts());
            w.put("lastExitCode", worker.lastExitCode());
            w.put("problem", worker.problem());
        }
        ClusterStatus.RollingRestart restart = cluster.rollingRestart();
        if (restart != null) {
            writeRollingRestart(node.putObject("rollingRestart"), restart);
        }
    }

    /** Writes a rolling restart: its trigger, when it began and ended, how many workers it replaced, its problem. */
    static void writeRollingRestart(ObjectNode node, ClusterStatus.RollingRestart restart) {
        node.put("trigger", restart.trigger());
        node.put("startedAt", restart.startedAt().toString());
        node.put("endedAt", restart.endedAt() == null ? null : restart.endedAt().toString());
        node.put("running", restart.running());
        node.put("replaced", restart.replaced());
        node.put("problem", restart.problem());
    }

    /**
     * Returns a rolling restart as the JSON {@code POST <admin>/cluster/restart} answers with:
     * {@code {"rollingRestart": {"trigger": ..., "startedAt": ..., "endedAt": ..., "running": ..., "replaced": ...,
     * "problem": ...}}}.
     *
     * @param restart the rolling restart
     * @return the JSON document on one line, ending with a line feed
     */
    public static String writeRollingRestart(ClusterStatus.RollingRestart restart) {
        ObjectNode root = MAPPER.createObjectNode();
        writeRollingRestart(root.putObject("rollingRestart"), restart);
        return root.toString() + "\n";
    }
}
