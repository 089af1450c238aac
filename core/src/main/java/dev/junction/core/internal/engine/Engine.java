package dev.junction.core.internal.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.junction.core.config.LimitsConfig;
import dev.junction.core.internal.accesslog.AccessEntry;
import dev.junction.core.internal.accesslog.AccessLog;
import dev.junction.core.internal.accesslog.AccessRequest;
import dev.junction.core.internal.admin.AdminEndpoint;
import dev.junction.core.internal.metrics.ExchangeResult;
import dev.junction.core.internal.metrics.RouteMeters;
import dev.junction.core.internal.tracing.Observations;
import dev.junction.core.internal.route.RequestPaths;
import dev.junction.core.internal.route.Router;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.ExchangeListener;
import dev.junction.core.spi.Scheduler;
import dev.junction.core.spi.RequestHead;
import dev.junction.core.spi.ServerExchange;
import dev.junction.core.spi.Ticker;
import dev.junction.core.internal.ProtocolTransports;

/**
 * The one entry point every adapter goes through: it decides whether a request path is the admin endpoint's, a
 * route's or nobody's ({@link #route}, {@link #isAdmin}), refuses what must never be forwarded ({@link RequestChecks}:
 * 400/431), starts a {@link ProxyExchange} for the rest, and writes admin answers and error answers through the
 * {@link ServerExchange} itself, so adapters only translate. It counts exchanges in flight, for draining.
 *
 * <p>Thread-safe, non-blocking: {@link #serve} returns at once and the exchange completes on the transport's and the
 * adapter's threads.
 */
public final class Engine {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private static final byte[] ADMIN_FAILED = "{\"error\":\"internal error\"}\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ADMIN_TOO_LARGE = ("{\"error\":\"the request body is over " + AdminBody.LIMIT
            + " bytes, the most an admin request may carry\"}\n").getBytes(StandardCharsets.UTF_8);
    /** Admin answers are not counted in flight: nothing to do when one ends. */
    private static final Runnable NOTHING = () -> { };

    /** The routes of the configuration running now; replaced as a whole when it changes. */
    private volatile Router<RouteRuntime> router;
    private final @Nullable AdminEndpoint admin;
    private final ProtocolTransports transport;
    private final LimitsConfig limits;
    private final Admission admission;
    private final Ticker ticker;
    /** The tunnels open now (WebSockets after their 101): draining waits for them, up to the grace period. */
    private final Set<Tunnel> tunnels = ConcurrentHashMap.newKeySet();
    private final Deadlines deadlines;
    private final List<ExchangeListener> listeners;
    private final @Nullable AccessLog accessLog;
    private final Clock clock;
    private final Observations observations;
    // A LongAdder: every exchange adds and removes one from the I/O threads, and only draining reads the sum.
    private final LongAdder inFlight = new LongAdder();
    private volatile boolean draining;
    private final Object drained = new Object();

    /**
     * Creates the engine of a set of routes.
     *
     * @param admission the gateway-wide caps on exchanges and queued requests
     * @param shortestTimeoutMillis the shortest connect or response timeout of any route: deadlines are checked often
     *     enough for it
     * @param listeners told of every attempt and exchange; empty for none
     * @param accessLog where a line per exchange goes, or null for none
     * @param clock the wall clock of the access log's times
     * @param observations where exchanges and attempts are observed; {@link Observations#NONE} for nowhere
     */
    Engine(List<RouteRuntime> routes, @Nullable AdminEndpoint admin, ProtocolTransports transport,
            LimitsConfig limits, Admission admission, long shortestTimeoutMillis, Ticker ticker,
            List<ExchangeListener> listeners, @Nullable AccessLog accessLog, Clock clock, Observations observations) {
        this.admission = admission;
        this.router = new Router<>(routes, RouteRuntime::conditions);
        this.admin = admin;
        this.transport = transport;
        this.limits = limits;
        this.ticker = ticker;
        this.deadlines = new Deadlines(Deadlines.tickFor(shortestTimeoutMillis), ticker);
        this.listeners = List.copyOf(listeners);
        this.accessLog = accessLog;
        this.clock = clock;
        this.observations = observations;
    }

    /** Starts checking deadlines, on {@code scheduler}. */
    public void start(Scheduler scheduler) {
        deadlines.start(scheduler);
    }

    /** Stops checking deadlines. */
    public void stop() {
        deadlines.stop();
    }

    /** Returns whether a request path is the admin endpoint's. */
    public boolean isAdmin(String rawPath) {
        return admin != null && admin.matches(rawPath);
    }

    /** Returns the route that takes a request, or null if none does. */
    public @Nullable RouteRuntime route(RequestHead head) {
        return router.match(head.rawPath(), head);
    }

    /** Routes requests by {@code routes} from now on; a request routed before finishes on the route it got. */
    void routes(List<RouteRuntime> routes) {
        this.router = new Router<>(routes, RouteRuntime::conditions);
    }

    /** Returns the routes, in configuration order. */
    public List<RouteRuntime> routes() {
        return router.routes();
    }

    /**
     * Forwards an exchange {@link #route} gave a route for. Returns at once; the exchange ends in exactly one answer,
     * completed response or {@link ServerExchange#abort}.
     */
    public void serve(RouteRuntime route, ServerExchange exchange) {
        inFlight.increment();
        String path = RequestPaths.removeDotSegments(exchange.rawPath());
        Refusal refusal;
        try {
            refusal = RequestChecks.check(exchange, path, limits);
        } catch (RuntimeException e) {
            LOG.debug("Route {}: request headers unreadable", route.name(), e);
            refusal = new Refusal(400, "malformed request headers");
        }
        if (refusal == null) {
            refusal = authorisation(route, exchange, path);
        }
        ExchangeResult result = ExchangeResult.REFUSED;
        String capped = refusal == null ? admission.enter(route.slot()) : null;
        if (capped != null) {
            refusal = new Refusal(503, capped);
            result = ExchangeResult.OVERLOADED;
        }
        if (refusal != null) {
            int status = refusal.status();
            ExchangeResult ended = result;
            String requestId = refusedRequestId(exchange);
            AccessRequest request = describe(exchange);
            long start = ticker.nanos();
            AnswerGuard guard = AnswerGuard.watch(deadlines, ticker, route.timeouts().idle().toNanos(), exchange,
                    () -> exchangeEnded(route, request, requestId, null, status, ended, 0, start, 0, 0, -1));
            Answers.refuse(route.name(), exchange, refusal, 0, requestId, guard::ended);
            return;
        }
        new ProxyExchange(this, route, exchange, path).start();
    }

    /** Returns the request id of a refused request: the client's if its headers can be read and it is safe. */
    private static String refusedRequestId(ServerExchange exchange) {
        try {
            return RequestIds.of(exchange.requestHeaders());
        } catch (RuntimeException e) {
            return RequestIds.generate();
        }
    }

    /**
     * Returns why a request must be refused because the server in front of Junction resolved its path to one under
     * another route (see {@link ServerExchange#authorisedPath()}), or null.
     */
    private @Nullable Refusal authorisation(RouteRuntime route, ServerExchange exchange, String path) {
        String authorised = exchange.authorisedPath();
        if (authorised == null) {
            return null;
        }
        // By name: the configuration may have changed since the request was routed, and the route been built again.
        RouteRuntime resolved = router.match(authorised, exchange);
        if (resolved == null || !resolved.name().equals(route.name())) {
            return new Refusal(400, "the request path's escapes or empty segments put it under another route than"
                    + " the path the server resolved");
        }
        return null;
    }

    /** Answers an admin request; the answer may come later (after health checks), on another thread. */
    public void serveAdmin(ServerExchange exchange) {
        AdminEndpoint endpoint = admin;
        if (endpoint == null) {
            throw new IllegalStateException("no admin endpoint is configured");
        }
        String method = exchange.method();
        CompletableFuture<byte[]> body = method.equals("GET") || method.equals("HEAD")
                ? CompletableFuture.completedFuture(new byte[0]) : AdminBody.read(exchange.requestBody());
        body.thenCompose(bytes -> bytes == null
                ? CompletableFuture.completedFuture(new AdminEndpoint.Response(413,
                        Map.of("Content-Type", "application/json", "Cache-Control", "no-store"),
                        ADMIN_TOO_LARGE))
                : endpoint.handle(method, exchange.rawPath(), exchange.rawQuery(), exchange.requestHeaders(), bytes))
                .whenComplete((answer, failure) -> {
                    if (failure != null) {
                        LOG.warn("Admin request {} {} failed", exchange.method(), exchange.rawPath(), failure);
                        Answers.answer(exchange, 500, Map.of("Content-Type", "application/json"), ADMIN_FAILED,
                                NOTHING);
                    } else {
                        Answers.answer(exchange, answer.status(), answer.headers(), answer.body(), NOTHING);
                    }
                });
    }

    /** Returns the number of exchanges forwarded and not yet ended. */
    public int inFlight() {
        return (int) inFlight.sum();
    }

    /**
     * Waits until every exchange in flight has ended, or the time is up.
     *
     * @return whether all ended in time
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitDrained(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        draining = true;
        synchronized (drained) {
            while (inFlight.sum() > 0 || !tunnels.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                // Bounded: an exchange ending between the sum and the wait is seen at the next turn at the latest.
                TimeUnit.NANOSECONDS.timedWait(drained, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
        }
        return true;
    }

    /** Counts a tunnel as open, until {@link #tunnelClosed}: draining waits for it. */
    void tunnelOpened(Tunnel tunnel) {
        tunnels.add(tunnel);
        if (tunnel.closed()) {
            // It ended before it was counted.
            tunnelClosed(tunnel);
        }
    }

    /** Counts a tunnel as closed. */
    void tunnelClosed(Tunnel tunnel) {
        if (tunnels.remove(tunnel) && draining) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    /** Returns the tunnels open now. */
    int tunnels() {
        return tunnels.size();
    }

    /**
     * Closes every tunnel still open: the end of the grace period (WebSocket clients see their connection drop and
     * reconnect, to another instance).
     */
    public void closeTunnels() {
        for (Tunnel tunnel : List.copyOf(tunnels)) {
            try {
                tunnel.close(new IOException("Junction is stopping"));
            } catch (RuntimeException e) {
                LOG.warn("A tunnel did not close cleanly", e);
            }
        }
    }

    /**
     * Counts an exchange of {@code route} as ended, with {@code status} (0: connection closed), and records it: in
     * the metrics, to the listeners and in the access log.
     *
     * @param request what the access log says of the request, or null when there is none
     * @param backend the backend of its last attempt, or null if none was tried
     * @param requestBytes the request body bytes read from the client
     * @param responseBytes the response body bytes of a backend written to the client
     * @param upstreamNanos the last attempt's time to its response head, or -1 if none came
     */
    void exchangeEnded(RouteRuntime route, @Nullable AccessRequest request, String requestId, @Nullable Backend backend,
            int status, ExchangeResult result, int attempts, long startNanos, long requestBytes, long responseBytes,
            long upstreamNanos) {
        inFlight.decrement();
        long nanos = ticker.nanos() - startNanos;
        route.totals().ended(status, result, nanos);
        ReleaseGroups release = route.release();
        if (release != null) {
            release.ended(backend, RouteTotals.isError(status, result), nanos);
        }
        RouteMeters meters = route.meters();
        AccessLog log = accessLog;
        if (!listeners.isEmpty() || meters.on() || log != null) {
            meters.exchangeEnded(backend, status, result, nanos, requestBytes, responseBytes);
            for (int i = 0; i < listeners.size(); i++) {
                listeners.get(i).exchangeEnded(route.name(), status, attempts, nanos);
            }
            if (log != null && request != null) {
                log.offer(new AccessEntry(clock.millis(), request, status, requestBytes, responseBytes, route.name(),
                        backend == null ? null : backend.id(), attempts, upstreamNanos, nanos, requestId,
                        result.tag()));
            }
        }
        if (draining) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    /**
     * Returns what the access log will say of {@code exchange}'s request, read now (a server may recycle the request
     * once the response is complete), or null when there is no access log.
     */
    @Nullable AccessRequest describe(ServerExchange exchange) {
        if (accessLog == null) {
            return null;
        }
        String query = exchange.rawQuery();
        String referer = null;
        String userAgent = null;
        try {
            referer = exchange.requestHeaders().get("Referer");
            userAgent = exchange.requestHeaders().get("User-Agent");
        } catch (RuntimeException e) {
            // Headers the server could not read: the line goes without them.
        }
        return new AccessRequest(exchange.clientAddress(), exchange.method(),
                query == null ? exchange.rawPath() : exchange.rawPath() + "?" + query, exchange.protocol(), referer,
                userAgent);
    }

    Ticker ticker() {
        return ticker;
    }

    /** Returns the gateway-wide caps, whose exchange place an admitted exchange gives back at its end. */
    Admission admission() {
        return admission;
    }

    Observations observations() {
        return observations;
    }

    Deadlines deadlines() {
        return deadlines;
    }

    ProtocolTransports transport() {
        return transport;
    }

    List<ExchangeListener> exchangeListeners() {
        return listeners;
    }
}
