package dev.junction.core.health;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.thread.Scheduler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.junction.core.config.HealthCheckConfig;
import dev.junction.core.config.StatusRanges;
import dev.junction.core.pool.Availability;
import dev.junction.core.pool.Backend;
import dev.junction.core.route.Route;

/**
 * Sends each backend of every route that has a {@link HealthCheckConfig health check} its check request, every
 * interval plus a random jitter, on the gateway's own HTTP client and scheduler: no thread of their own and none of
 * the request path's. A backend leaves selection after the unhealthy threshold of failed checks and comes back after
 * the healthy threshold of passed ones; listeners hear of both.
 *
 * <p>Unless a route's backends start healthy, they take no traffic before their first check: those checks are sent
 * at {@link #start}, which waits for them (up to the longest check timeout), as Envoy warms a cluster. Backends that
 * start healthy are first checked at a random point of their first interval, so the checks of a pool (and of many
 * gateways) spread out.
 *
 * <p>Thread-safe.
 */
public final class ActiveHealthChecker {

    private static final Logger LOG = LoggerFactory.getLogger(ActiveHealthChecker.class);
    private static final String USER_AGENT = "Junction-HealthCheck";
    /** How much of a response body a check with an expected body reads. */
    static final int BODY_LIMIT = 64 * 1024;

    private final HttpClient client;
    private final Map<Backend, Probe> probes = new IdentityHashMap<>();
    private final List<HealthListener> listeners;
    private volatile boolean running;

    /**
     * Creates the checks of {@code routes}' backends; none runs before {@link #start}.
     *
     * @param listeners told of health changes; the caller may add to it later
     */
    public ActiveHealthChecker(List<Route> routes, HttpClient client, Clock clock, List<HealthListener> listeners) {
        this.client = client;
        this.listeners = listeners;
        for (Route route : routes) {
            HealthCheckConfig check = route.config().healthCheck();
            if (!check.enabled()) {
                continue;
            }
            StatusRanges expected = StatusRanges.parse(check.expectedStatuses());
            Pattern bodyPattern = check.expectedBodyPattern();
            for (Backend backend : route.pool().all()) {
                probes.put(backend, new Probe(route, backend, check, expected, bodyPattern, new HealthTracker(
                        check.healthyThreshold(), check.unhealthyThreshold(), check.startHealthy(), clock)));
            }
        }
    }

    /** Returns the health of {@code backend} as its checks tell it, or null if its route has no active checks. */
    public @Nullable HealthTracker tracker(Backend backend) {
        Probe probe = probes.get(backend);
        return probe == null ? null : probe.tracker;
    }

    /**
     * Starts checking, on {@code scheduler}. Backends that do not start healthy are checked at once, and this waits
     * for those checks, up to the longest check timeout.
     */
    public void start(Scheduler scheduler) throws InterruptedException {
        running = true;
        List<CompletableFuture<Void>> first = new ArrayList<>();
        long wait = 0;
        for (Probe probe : probes.values()) {
            if (probe.check.startHealthy()) {
                long interval = probe.check.interval().toMillis();
                probe.schedule(scheduler, ThreadLocalRandom.current().nextLong(interval + 1));
            } else {
                probe.backend.state().availability(Availability.UNHEALTHY);
                CompletableFuture<Void> done = new CompletableFuture<>();
                first.add(done);
                wait = Math.max(wait, probe.check.timeout().toMillis());
                probe.run(scheduler, done);
            }
        }
        try {
            CompletableFuture.allOf(first.toArray(new CompletableFuture<?>[0])).get(wait + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("First health checks not all answered in {} ms; their backends wait for them", wait + 1000);
        }
    }

    /**
     * Checks every backend now, besides the periodic checks; the result completes when all of those checks have
     * ended.
     */
    public CompletableFuture<Void> checkNow() {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (Probe probe : probes.values()) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            all.add(done);
            probe.send(done);
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
    }

    /** Stops checking: no check starts after this; one in flight ends without effect. */
    public void stop() {
        running = false;
        probes.values().forEach(Probe::cancel);
    }

    /** One backend's checks. */
    private final class Probe {

        private final Route route;
        private final Backend backend;
        private final HealthCheckConfig check;
        private final StatusRanges expected;
        private final @Nullable Pattern body;
        private final HealthTracker tracker;
        private volatile Scheduler.@Nullable Task task;

        Probe(Route route, Backend backend, HealthCheckConfig check, StatusRanges expected, @Nullable Pattern body,
                HealthTracker tracker) {
            this.route = route;
            this.backend = backend;
            this.check = check;
            this.expected = expected;
            this.body = body;
            this.tracker = tracker;
        }

        void schedule(Scheduler scheduler, long delayMillis) {
            if (running) {
                task = scheduler.schedule(() -> run(scheduler, null), delayMillis, TimeUnit.MILLISECONDS);
            }
        }

        void cancel() {
            Scheduler.Task scheduled = task;
            if (scheduled != null) {
                scheduled.cancel();
            }
        }

        /** Runs a periodic check, then schedules the next; {@code done}, if any, completes with the check. */
        private void run(Scheduler scheduler, @Nullable CompletableFuture<Void> done) {
            if (!running) {
                return;
            }
            CompletableFuture<Void> ended = done != null ? done : new CompletableFuture<>();
            ended.whenComplete((ignored, failure) -> next(scheduler));
            send(ended);
        }

        /** Sends one check; {@code done} completes once its result has been counted. */
        void send(CompletableFuture<Void> done) {
            if (!running) {
                done.complete(null);
                return;
            }
            long start = System.nanoTime();
            CheckListener listener = new CheckListener(body != null, result -> {
                completed(result, System.nanoTime() - start);
                done.complete(null);
            });
            try {
                client.newRequest(backend.origin())
                        .method(check.method())
                        .path(backend.basePath() + check.path())
                        .timeout(check.timeout().toMillis(), TimeUnit.MILLISECONDS)
                        .headers(headers -> {
                            headers.put(HttpHeader.USER_AGENT, USER_AGENT);
                            check.headers().forEach(headers::put);
                        })
                        .send(listener);
            } catch (RuntimeException e) {
                // The client is stopping, or refuses the request: counted as failed, tried again next interval.
                completed(null, System.nanoTime() - start);
                done.complete(null);
            }
        }

        private void next(Scheduler scheduler) {
            long interval = check.interval().toMillis();
            long jitter = check.effectiveJitter().toMillis();
            schedule(scheduler, interval + (jitter > 0 ? ThreadLocalRandom.current().nextLong(jitter + 1) : 0));
        }

        private void completed(@Nullable CheckResult result, long tookNanos) {
            if (!running) {
                return;
            }
            String failure = failure(result);
            HealthTracker.Change change =
                    failure == null ? tracker.passed(tookNanos) : tracker.failed(tookNanos, failure);
            if (change == HealthTracker.Change.BECAME_UNHEALTHY) {
                backend.state().availability(Availability.UNHEALTHY);
                LOG.warn("Route {}: backend {} is unhealthy after {} failed checks: {}", route.name(), backend.id(),
                        check.unhealthyThreshold(), failure);
                listeners.forEach(listener -> listener.unhealthy(route, backend, String.valueOf(failure)));
            } else if (change == HealthTracker.Change.BECAME_HEALTHY) {
                backend.state().availability(Availability.HEALTHY);
                LOG.info("Route {}: backend {} is healthy again after {} passed checks", route.name(), backend.id(),
                        check.healthyThreshold());
                listeners.forEach(listener -> listener.healthy(route, backend));
            }
        }

        /** Returns why the check failed, or null if it passed. */
        private @Nullable String failure(@Nullable CheckResult checked) {
            if (checked == null) {
                return "check not sent";
            }
            Result result = checked.result();
            if (result.isFailed()) {
                Throwable cause = result.getFailure();
                if (cause instanceof TimeoutException) {
                    return "no answer within " + check.timeout().toMillis() + " ms";
                }
                return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            }
            int status = result.getResponse().getStatus();
            if (!expected.contains(status)) {
                return "status " + status + " (expected " + expected + ")";
            }
            if (body != null && !body.matcher(checked.body()).find()) {
                return "body does not match " + check.expectedBody();
            }
            return null;
        }
    }

    /** A check's outcome: the client's result and the start of the body, if it was read. */
    private record CheckResult(Result result, String body) {
    }

    /** Collects a check's response: its first {@value #BODY_LIMIT} bytes when the body is wanted, nothing else. */
    private static final class CheckListener implements Response.Listener {

        private final boolean wantBody;
        private final Consumer<CheckResult> onResult;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        CheckListener(boolean wantBody, Consumer<CheckResult> onResult) {
            this.wantBody = wantBody;
            this.onResult = onResult;
        }

        @Override
        public void onContent(Response response, ByteBuffer content) {
            int room = BODY_LIMIT - bytes.size();
            if (wantBody && room > 0) {
                int length = Math.min(room, content.remaining());
                byte[] chunk = new byte[length];
                content.get(chunk);
                bytes.write(chunk, 0, length);
            }
        }

        @Override
        public void onComplete(Result result) {
            onResult.accept(new CheckResult(result, bytes.toString(StandardCharsets.UTF_8)));
        }
    }
}
