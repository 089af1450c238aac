package dev.junction.core.forward;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.junction.core.config.FallbackConfig;
import dev.junction.core.config.LimitsConfig;
import dev.junction.core.health.OutlierDetector;
import dev.junction.core.resilience.RouteResilience;
import dev.junction.core.route.RequestPaths;
import dev.junction.core.route.Route;

/**
 * The forwarding engine: sends an exchange that matched a route to a backend the route's balancer picks, and streams
 * the answer back. Everything an adapter does not translate is decided here: the checks a request must pass, the
 * headers, the timeouts, which failures are tried again and on which backend, and the status a client sees when it
 * goes wrong (400/431 refused, 502 broken backend, 503 nothing available, 504 timeout; a failure after the response
 * head was sent closes the client connection).
 *
 * <p>Thread-safe, non-blocking: {@link #forward} returns at once and the exchange completes on the client's and the
 * adapter's threads. Uses the {@link HttpClient} it is given and does not stop it.
 */
public final class ProxyEngine {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyEngine.class);

    private final HttpClient client;
    private final LimitsConfig limits;
    private final Deadlines deadlines;
    private final Map<Route, OutlierDetector> outliers;
    private final Map<Route, RouteResilience> resilience;
    // A LongAdder: every exchange adds and removes one from the I/O threads, and only draining reads the sum.
    private final LongAdder inFlight = new LongAdder();
    private volatile boolean draining;
    private final Object drained = new Object();

    /**
     * Creates an engine sending through {@code client}, which the caller starts and stops.
     *
     * @param shortestTimeoutMillis the shortest connect or response timeout of any route: deadlines are checked
     *     often enough for it
     * @param outliers each route's outlier detector, told every attempt's outcome
     * @param resilience each route's circuit breakers and retries
     */
    public ProxyEngine(HttpClient client, LimitsConfig limits, long shortestTimeoutMillis,
            Map<Route, OutlierDetector> outliers, Map<Route, RouteResilience> resilience) {
        this.client = Objects.requireNonNull(client, "client");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.deadlines = new Deadlines(Deadlines.tickFor(shortestTimeoutMillis));
        this.outliers = Map.copyOf(outliers);
        this.resilience = Map.copyOf(resilience);
    }

    /** Returns the circuit breakers and retries of {@code route}. */
    public RouteResilience resilience(Route route) {
        return resilience.get(route);
    }

    /** Returns the outlier detector of {@code route}. */
    public OutlierDetector outliers(Route route) {
        return outliers.get(route);
    }

    /** Starts checking deadlines, on the client's scheduler: call once the client has started. */
    public void start() {
        deadlines.start(client.getScheduler());
    }

    /** Stops checking deadlines. */
    public void stop() {
        deadlines.stop();
    }

    /**
     * Forwards an exchange the route matched (see {@link dev.junction.core.route.Router#match}). Returns at once;
     * the exchange ends in exactly one completed response or one {@link ServerExchange#abort}.
     */
    public void forward(Route route, ServerExchange exchange) {
        inFlight.increment();
        String path = RequestPaths.removeDotSegments(exchange.rawPath());
        Refusal refusal;
        try {
            refusal = RequestChecks.check(exchange, path, route.prefix(), limits.maxRequestHeaderBytes());
        } catch (RuntimeException e) {
            LOG.debug("Route {}: request headers unreadable", route.name(), e);
            refusal = new Refusal(400, "malformed request headers");
        }
        if (refusal != null) {
            respond(route, exchange, refusal, this::exchangeEnded);
            return;
        }
        new Forwarding(this, route, exchange, path).start();
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
            while (inFlight.sum() > 0) {
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

    HttpClient client() {
        return client;
    }

    Deadlines deadlines() {
        return deadlines;
    }

    void exchangeEnded() {
        inFlight.decrement();
        if (draining) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    /**
     * Answers the client with a short plain-text error naming the route and the reason, then runs {@code ended}.
     * A 503 carries {@code Retry-After: 1}: availability is re-evaluated continuously, so a retry soon may succeed.
     */
    static void respond(Route route, ServerExchange exchange, Refusal refusal, Runnable ended) {
        respond(route, exchange, refusal, 0, ended);
    }

    /** As {@link #respond(Route, ServerExchange, Refusal, Runnable)}, saying how many attempts were made if not 0. */
    static void respond(Route route, ServerExchange exchange, Refusal refusal, int attempts, Runnable ended) {
        byte[] body = ("route '" + route.name() + "': " + refusal.reason() + "\n").getBytes(StandardCharsets.UTF_8);
        HttpFields.Mutable headers = HttpFields.build(5)
                .put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8")
                .put(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length));
        if (refusal.status() == 503) {
            headers.put(HttpHeader.RETRY_AFTER, "1");
        }
        if (refusal.status() == 400 || refusal.status() == 431) {
            // The request may be one a parser reads differently: do not read on past it.
            headers.put(HttpHeader.CONNECTION, "close");
        }
        if (attempts > 0) {
            headers.put(ATTEMPTS_HEADER, Integer.toString(attempts));
        }
        send(exchange, refusal.status(), headers, body, ended);
    }

    /** The response header that says how many attempts a request took, when a route's retries ask for it. */
    static final String ATTEMPTS_HEADER = "X-Junction-Attempts";

    /**
     * Answers with the route's fallback, when no backend is available: its status, its body (or a line naming the
     * route) and its headers.
     */
    static void respondFallback(Route route, ServerExchange exchange, Runnable ended) {
        FallbackConfig fallback = route.config().fallback();
        if (fallback.body() == null && fallback.headers().isEmpty() && fallback.status() == 503) {
            respond(route, exchange, new Refusal(503, "no backend is available"), ended);
            return;
        }
        byte[] body = (fallback.body() != null ? fallback.body() : "route '" + route.name()
                + "': no backend is available\n").getBytes(StandardCharsets.UTF_8);
        HttpFields.Mutable headers = HttpFields.build(fallback.headers().size() + 3);
        fallback.headers().forEach(headers::put);
        if (!headers.contains(HttpHeader.CONTENT_TYPE)) {
            headers.put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
        }
        if (fallback.status() == 503 && fallback.headers().isEmpty()) {
            headers.put(HttpHeader.RETRY_AFTER, "1");
        }
        headers.put(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length));
        send(exchange, fallback.status(), headers, body, ended);
    }

    private static void send(ServerExchange exchange, int status, HttpFields headers, byte[] body, Runnable ended) {
        exchange.sendHead(status, headers);
        ByteBuffer content = "HEAD".equals(exchange.method()) ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body);
        exchange.write(true, content, Callback.from(ended, failure -> {
            exchange.abort(failure);
            ended.run();
        }));
    }
}
