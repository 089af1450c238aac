package dev.junction.core.forward;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentSourceRequestContent;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.failsafe.AsyncExecution;
import dev.junction.core.affinity.SessionAffinity;
import dev.junction.core.balance.SelectionContext;
import dev.junction.core.config.RetryConfig;
import dev.junction.core.config.TimeoutConfig;
import dev.junction.core.health.OutlierDetector;
import dev.junction.core.pool.Backend;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.resilience.BackendBreaker;
import dev.junction.core.resilience.RouteResilience;
import dev.junction.core.resilience.RouteResilience.Verdict;
import dev.junction.core.route.Route;

/**
 * One exchange on its way through the engine: picks a backend, sends the request, streams the response back, and on
 * failure decides between another attempt, an error response and closing the client connection.
 *
 * <p>Without retries configured, a backend that never saw the request is followed at once by the next untried one.
 * With them, every attempt runs under the route's Failsafe retry policy (attempts, backoff with jitter, deadline):
 * an attempt that failed in a way the route retries, safely (see {@link #safeToRepeat}) and within the retry budget,
 * tells the policy {@code RETRY}, which starts the next attempt after its backoff; any other ends with {@code DONE}.
 * A backend's circuit breaker is asked before each attempt and told its outcome.
 *
 * <p>Attempts follow each other (the next starts from the previous one's completion), so at most one is active.
 * Exchange-wide fields written by one attempt are read by the next through the happens-before of that hand-over;
 * what the client's threads touch ({@link #clientGone}) is volatile.
 */
final class Forwarding implements SelectionContext {

    private static final Logger LOG = LoggerFactory.getLogger(Forwarding.class);

    private final ProxyEngine engine;
    private final Route route;
    private final ServerExchange exchange;
    private final String path;
    private final String target;
    private final @Nullable ClientBody body;
    private final Backend[] tried;
    private final OutlierDetector outliers;
    private final RouteResilience resilience;
    private final @Nullable RetryConfig retries;
    private int triedCount;
    private int attempts;
    private @Nullable AsyncExecution<Verdict> execution;
    private @Nullable Refusal lastRefusal;
    private final @Nullable SessionAffinity affinity;
    private SessionAffinity.@Nullable Pin pin;
    /** The breaker the last {@link #acquire} asked, handed to the attempt it starts. */
    private @Nullable BackendBreaker pickedBreaker;
    private boolean resent;
    private boolean timedOut;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final long exchangeStartNanos = System.nanoTime();
    private volatile @Nullable Attempt current;
    private volatile @Nullable Throwable clientGone;

    Forwarding(ProxyEngine engine, Route route, ServerExchange exchange, String path) {
        this.engine = engine;
        this.route = route;
        this.exchange = exchange;
        this.path = path;
        String query = exchange.rawQuery();
        String rewritten = route.rewrite().apply(path);
        this.target = query == null ? rewritten : rewritten + "?" + query;
        this.resilience = engine.resilience(route);
        RetryConfig retryConfig = route.config().retries();
        this.retries = retryConfig.enabled() ? retryConfig : null;
        // Kept for a replay only when a retry could send it again: an idempotent method on a route with retries.
        int keep = retries != null && Failures.idempotent(exchange.method()) ? retries.bufferBytes() : 0;
        this.body = RequestChecks.hasBody(exchange.requestHeaders()) ? new ClientBody(exchange.requestBody(), keep)
                : null;
        this.tried = new Backend[Math.max(route.pool().all().size(), retries == null ? 0 : retries.maxAttempts())
                + 1];
        this.outliers = engine.outliers(route);
        this.affinity = route.affinity();
    }

    void start() {
        exchange.onClientGone(this::clientGone);
        if (retries == null) {
            next();
            return;
        }
        resilience.budget().deposit();
        resilience.retryExecutor().getAsyncExecution((AsyncExecution<Verdict> attempt) -> {
            execution = attempt;
            next();
        }).whenComplete((verdict, failure) -> {
            if (verdict != Verdict.DONE) {
                // The policy stopped with a retry asked for (its deadline passed): the last failure is the answer.
                Refusal refusal = lastRefusal;
                end(refusal != null ? refusal : new Refusal(502, "no backend could be reached"));
            }
        });
    }

    /** Tells the retry policy, if any, that this attempt was the last. */
    private void done() {
        AsyncExecution<Verdict> current = execution;
        if (current != null && !current.isComplete()) {
            current.recordResult(Verdict.DONE);
        }
    }

    /**
     * Asks for another attempt after {@code refusal}, the answer if there is none; returns false (and asks for
     * nothing) if the route has no retries, the attempts are used up, the deadline has passed or the budget is
     * spent. The caller has checked that repeating the request is safe.
     */
    private boolean retry(Refusal refusal, RetryConfig.RetryOn kind) {
        RetryConfig config = retries;
        AsyncExecution<Verdict> current = execution;
        if (config == null || current == null || !config.retryOn().contains(kind)) {
            return false;
        }
        return retryNow(config, current, refusal);
    }

    private boolean retryNow(RetryConfig config, AsyncExecution<Verdict> current, Refusal refusal) {
        if (attempts >= config.maxAttempts() || clientGone != null
                || !config.deadline().isZero() && current.getElapsedTime().compareTo(config.deadline()) >= 0
                || !resilience.budget().tryWithdraw()) {
            return false;
        }
        lastRefusal = refusal;
        current.recordResult(Verdict.RETRY);
        return true;
    }

    /**
     * Whether the request may be sent again after reaching a backend: its method is idempotent and its body, if any,
     * was kept whole for a replay.
     */
    private boolean safeToRepeat() {
        return Failures.idempotent(exchange.method()) && (body == null || !body.consumed() || body.replayable());
    }

    /** Starts an attempt on a backend not tried yet, or answers with the error that ends the exchange. */
    private void next() {
        if (clientGone != null) {
            done();
            abort(clientGone);
            return;
        }
        Backend backend = pick();
        if (backend == null) {
            done();
            if (triedCount == 0) {
                fallback();
            } else if (lastRefusal != null) {
                end(lastRefusal);
            } else if (timedOut) {
                end(new Refusal(504, "no backend answered in time"));
            } else {
                end(new Refusal(502, "no backend could be reached"));
            }
            return;
        }
        attempts++;
        tried[triedCount++] = backend;
        send(backend, pickedBreaker);
    }

    /**
     * Returns the backend for the next attempt, its request counted in flight, or null. The strategy picks; if it
     * picks one already tried (a hash strategy always names the same one), the next untried available backend of the
     * pool serves, primaries before backups, as nginx's {@code proxy_next_upstream} moves on.
     */
    private @Nullable Backend pick() {
        if (triedCount >= tried.length - 1) {
            return null;
        }
        if (affinity != null && triedCount == 0) {
            Backend pinned = pinned(affinity);
            if (pinned != null) {
                return pinned;
            }
        }
        Backend chosen = route.balancer().select(this);
        if (chosen != null && !wasTried(chosen) && acquire(chosen)) {
            return chosen;
        }
        if (chosen == null && triedCount == 0) {
            return null;
        }
        BackendPool.Snapshot snapshot = route.pool().snapshot();
        Backend other = firstUntried(snapshot.primaries());
        if (other == null) {
            other = firstUntried(snapshot.backups());
        }
        if (other == null && retries != null && chosen != null && wasTried(chosen) && acquire(chosen)) {
            // A retry goes to another backend when there is one; with none left, the strategy's choice serves again.
            return chosen;
        }
        return other;
    }

    private @Nullable Backend firstUntried(List<Backend> backends) {
        for (int i = 0; i < backends.size(); i++) {
            Backend backend = backends.get(i);
            if (backend.isAvailable() && !wasTried(backend) && acquire(backend)) {
                return backend;
            }
        }
        return null;
    }

    /**
     * Returns the backend the request's session is pinned to, or for a hashed session the one its key hashes to,
     * counted in flight; null to let the strategy choose (no session, or its backend cannot serve).
     */
    private @Nullable Backend pinned(SessionAffinity sessions) {
        SessionAffinity.Pin found = sessions.lookup(this, exchange.requestHeaders(), exchange.clientAddress());
        pin = found;
        Backend backend = found.backend();
        if (backend != null && acquire(backend)) {
            return backend;
        }
        Backend hashed = sessions.hashed(found);
        return hashed != null && acquire(hashed) ? hashed : null;
    }

    /**
     * Counts a request in flight to the backend if its limit and its circuit breaker allow one; the breaker asked is
     * kept for the attempt ({@link #pickedBreaker}), so it is looked up once per attempt.
     */
    private boolean acquire(Backend backend) {
        if (!backend.state().tryAcquire(backend.maxConcurrent())) {
            return false;
        }
        BackendBreaker breaker = resilience.breaker(backend);
        if (breaker != null && !breaker.tryAcquire()) {
            backend.state().cancelAcquire();
            return false;
        }
        pickedBreaker = breaker;
        return true;
    }

    /** Answers with the route's fallback: no backend is available, and none is touched. */
    private void fallback() {
        if (clientGone != null) {
            abort(clientGone);
            return;
        }
        if (ended.compareAndSet(false, true)) {
            ProxyEngine.respondFallback(route, exchange, engine::exchangeEnded);
        }
    }

    private boolean wasTried(Backend backend) {
        for (int i = 0; i < triedCount; i++) {
            if (tried[i] == backend) {
                return true;
            }
        }
        return false;
    }

    /** Sends an attempt to a backend counted in flight, whose breaker (if any) let it through. */
    private void send(Backend backend, @Nullable BackendBreaker breaker) {
        Request request;
        try {
            request = newRequest(backend);
        } catch (RuntimeException e) {
            // Something in the request the client library will not send (an exotic method or header): the backend
            // was never contacted, and no other backend would fare better.
            backend.state().requestEnded(false, 0);
            if (breaker != null) {
                breaker.abandoned();
            }
            done();
            LOG.warn("Route {}: request cannot be sent to backend {}: {}", route.name(), backend.id(), e.toString());
            end(new Refusal(400, "request cannot be forwarded"));
            return;
        }
        Attempt attempt = new Attempt(backend, request, breaker);
        current = attempt;
        if (LOG.isDebugEnabled()) {
            LOG.debug("Route {}: {} {} → backend {}", route.name(), exchange.method(), target, backend.id());
        }
        attempt.start(route.config().timeouts());
    }

    private Request newRequest(Backend backend) {
        String basePath = backend.basePath();
        TimeoutConfig timeouts = route.config().timeouts();
        Request request = engine.client().newRequest(backend.origin())
                .method(exchange.method())
                .path(basePath.isEmpty() ? target : basePath + target)
                .headers(headers -> ForwardHeaders.toBackend(exchange, route.config(), backend, headers))
                .idleTimeout(timeouts.idle().toMillis(), TimeUnit.MILLISECONDS);
        if (!timeouts.total().isZero()) {
            request.timeout(timeouts.total().toMillis(), TimeUnit.MILLISECONDS);
        }
        if (body != null) {
            String contentType = exchange.requestHeaders().get(HttpHeader.CONTENT_TYPE);
            byte[] replay = body.consumed() ? body.replay() : null;
            request.body(replay != null ? new BytesRequestContent(contentType, replay)
                    : new ContentSourceRequestContent(body, contentType));
        }
        return request;
    }

    private void clientGone(Throwable cause) {
        clientGone = cause;
        Attempt attempt = current;
        if (attempt != null) {
            attempt.request.abort(cause);
        }
    }

    /** Answers the client with an error and ends the exchange. */
    private void end(Refusal refusal) {
        if (clientGone != null) {
            abort(clientGone);
            return;
        }
        if (ended.compareAndSet(false, true)) {
            ProxyEngine.respond(route, exchange, refusal, attemptsToTell(), engine::exchangeEnded);
        }
    }

    /** Returns the attempts to tell the client, or 0 when the route does not tell them. */
    private int attemptsToTell() {
        return retries != null && retries.attemptsHeader() ? attempts : 0;
    }

    /** Closes the client connection and ends the exchange. */
    private void abort(Throwable cause) {
        if (ended.compareAndSet(false, true)) {
            exchange.abort(cause);
            engine.exchangeEnded();
        }
    }

    /** Ends the exchange after its response was completed. */
    private void completed() {
        if (ended.compareAndSet(false, true)) {
            engine.exchangeEnded();
        }
    }

    // SelectionContext: what the hashing strategies read.

    @Override
    public String clientAddress() {
        return exchange.clientAddress();
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public @Nullable String header(String name) {
        return exchange.requestHeaders().get(name);
    }

    @Override
    public @Nullable String cookie(String name) {
        HttpFields fields = exchange.requestHeaders();
        for (int i = 0; i < fields.size(); i++) {
            HttpField field = fields.getField(i);
            if (field.getHeader() == HttpHeader.COOKIE) {
                String value = Cookies.find(field.getValue(), name);
                if (value != null) {
                    return value;
                }
            }
        }
        return null;
    }

    /** One request to one backend, and the listener of its events. */
    private final class Attempt implements Response.Listener, Request.Listener, Deadlines.Watched {

        private final Backend backend;
        private final Request request;
        private final long startNanos = System.nanoTime();
        private final AtomicBoolean settled = new AtomicBoolean();
        /** Set once the breaker has been told how the attempt went: it is told once. */
        private final AtomicBoolean breakerTold = new AtomicBoolean();
        private volatile boolean begun;
        private volatile boolean responded;
        private volatile boolean headSent;
        private volatile boolean copying;
        /** Set when the response was dropped for a retry: nothing of it reaches the client. */
        private volatile boolean discarded;
        private final @Nullable BackendBreaker breaker;
        private volatile long headNanos;
        private volatile int status;
        private volatile long deadlineNanos;
        private Deadlines.@Nullable Ticket ticket;
        private long connectTimeoutNanos;
        private long responseTimeoutNanos;

        Attempt(Backend backend, Request request, @Nullable BackendBreaker breaker) {
            this.backend = backend;
            this.request = request;
            this.breaker = breaker;
        }

        void start(TimeoutConfig timeouts) {
            connectTimeoutNanos = timeouts.connect().toNanos();
            responseTimeoutNanos = timeouts.response().toNanos();
            if (retries != null && !retries.deadline().isZero()) {
                // The retries' deadline bounds this attempt too.
                long left = Math.max(1, retries.deadline().toNanos() - (startNanos - exchangeStartNanos));
                connectTimeoutNanos = Math.min(connectTimeoutNanos, left);
                responseTimeoutNanos = Math.min(responseTimeoutNanos, left);
            }
            request.onRequestListener(this);
            deadlineNanos = startNanos + connectTimeoutNanos;
            ticket = engine.deadlines().watch(this);
            request.send(this);
        }

        @Override
        public long deadlineNanos() {
            return deadlineNanos;
        }

        @Override
        public void expired(long deadline) {
            deadlineNanos = 0;
            boolean connecting = !begun;
            long millis = TimeUnit.NANOSECONDS.toMillis(connecting ? connectTimeoutNanos : responseTimeoutNanos);
            request.abort(new BackendTimeoutException(connecting ? "connect" : "response", millis));
        }

        /** The request is being written on a connection: connecting is over. */
        @Override
        public void onBegin(Request request) {
            begun = true;
            deadlineNanos = 0;
        }

        /** The request is fully written: the backend's time to answer starts. */
        @Override
        public void onSuccess(Request request) {
            if (!responded) {
                deadlineNanos = System.nanoTime() + responseTimeoutNanos;
                if (responded) {
                    deadlineNanos = 0;
                }
            }
        }

        @Override
        public void onBegin(Response response) {
            responded = true;
            deadlineNanos = 0;
        }

        @Override
        public void onHeaders(Response response) {
            headNanos = System.nanoTime() - startNanos;
            status = response.getStatus();
            if (clientGone != null) {
                return;
            }
            if (resilience.retriesStatus(status) && safeToRepeat()
                    && retryNow(retries, execution, new Refusal(status == 503 ? 503 : 502, "backend answered "
                    + status + " to every attempt"))) {
                // Dropped rather than forwarded; the next attempt starts after its backoff.
                discarded = true;
                statusVerdict();
                response.abort(new RetriedException(status));
                return;
            }
            if (breaker != null && breaker.isFailure(status)) {
                // Told before the client can see the answer, so its next request already meets the breaker's count.
                tellBreaker(false, "status " + status);
            }
            done();
            HttpFields headers = ForwardHeaders.toClient(response.getHeaders(), route.config());
            SessionAffinity.Pin session = pin;
            if (affinity != null && session != null) {
                headers = affinity.served(session, backend, headers);
            }
            int told = attemptsToTell();
            if (told > 0) {
                headers = HttpFields.build(headers).put(ProxyEngine.ATTEMPTS_HEADER, Integer.toString(told));
            }
            exchange.sendHead(status, headers);
            headSent = true;
        }

        @Override
        public void onContentSource(Response response, Content.Source source) {
            if (discarded) {
                return;
            }
            copying = true;
            Content.Sink client = exchange::write;
            Content.copy(source, client, Callback.from(this::finish, failure -> {
                response.abort(failure);
                settle(false);
                abandonedVerdict();
                abort(failure);
            }));
        }

        @Override
        public void onComplete(Result result) {
            deadlineNanos = 0;
            Deadlines.Ticket watching = ticket;
            if (watching != null) {
                watching.cancel();
            }
            if (discarded) {
                settle(false);
            } else if (result.isFailed()) {
                failed(result.getFailure());
            } else if (!copying) {
                exchange.write(true, java.nio.ByteBuffer.allocate(0), Callback.from(this::finish, failure -> {
                    settle(false);
                    abandonedVerdict();
                    abort(failure);
                }));
            }
        }

        /** The response reached the client whole: the attempt is counted by its status. */
        private void finish() {
            settle(status < 500);
            statusVerdict();
            completed();
        }

        /**
         * Tells outlier detection and the breaker what the backend's status says of it: a 5xx is a failure to
         * outlier detection, a status of the breaker's {@code failureStatuses} to the breaker.
         */
        private void statusVerdict() {
            if (status < 500) {
                outliers.succeeded(backend);
            } else {
                outliers.responseFailed(backend, "status " + status);
            }
            if (breaker != null) {
                boolean failure = breaker.isFailure(status);
                tellBreaker(!failure, failure ? "status " + status : "");
            }
        }

        /** Tells outlier detection and the breaker of a failed attempt. */
        private void failedVerdict(String why, boolean connect) {
            if (connect) {
                outliers.connectFailed(backend, why);
            } else {
                outliers.responseFailed(backend, why);
            }
            tellBreaker(false, why);
        }

        /** Tells the breaker, if it has not been told, of an attempt that ended without a verdict on the backend. */
        private void abandonedVerdict() {
            if (breaker != null && breakerTold.compareAndSet(false, true)) {
                breaker.abandoned();
            }
        }

        /** Tells the breaker, if there is one and it has not been told yet, that the attempt succeeded or failed. */
        private void tellBreaker(boolean succeeded, String why) {
            if (breaker == null || !breakerTold.compareAndSet(false, true)) {
                return;
            }
            if (succeeded) {
                breaker.succeeded();
            } else {
                breaker.failed(why);
            }
        }

        /** Counts the attempt's outcome on the backend's live state, once. */
        private void settle(boolean success) {
            if (settled.compareAndSet(false, true)) {
                backend.state().requestEnded(success, headNanos);
            }
        }

        private void failed(Throwable failure) {
            settle(false);
            Throwable gone = clientGone;
            if (gone != null) {
                abandonedVerdict();
                done();
                abort(gone);
                return;
            }
            if (headSent) {
                LOG.debug("Route {}: backend {} failed after the response head; closing the client connection",
                        route.name(), backend.id(), failure);
                failedVerdict("broken off mid-response", false);
                abort(failure);
                return;
            }
            boolean timeout = Failures.timeout(failure);
            if (Failures.neverReached(failure, begun)) {
                failedVerdict(failure.toString(), true);
                timedOut |= timeout;
                LOG.debug("Route {}: backend {} not reached, trying another: {}", route.name(), backend.id(),
                        failure.toString());
                if (retries == null) {
                    next();
                    return;
                }
                Refusal refusal = timedOut ? new Refusal(504, "no backend answered in time")
                        : new Refusal(502, "no backend could be reached");
                if (!retry(refusal, RetryConfig.RetryOn.CONNECT_FAILURE)) {
                    done();
                    end(refusal);
                }
                return;
            }
            if (!resent && !responded && Failures.connectionLost(failure) && body == null
                    && Failures.idempotent(exchange.method())) {
                // The keep-alive race: the backend closed a pooled connection as this request went out on it.
                resent = true;
                LOG.debug("Route {}: backend {} closed the connection under the request; sending it again",
                        route.name(), backend.id());
                backend.state().tryAcquire(0);
                send(backend, breaker);
                return;
            }
            LOG.debug("Route {}: backend {} failed: {}", route.name(), backend.id(), failure.toString());
            failedVerdict(timeout ? "no response in time" : failure.toString(), false);
            Refusal refusal = timeout ? new Refusal(504, "backend did not answer in time")
                    : new Refusal(502, "backend sent no valid response");
            RetryConfig.RetryOn kind = timeout ? RetryConfig.RetryOn.TIMEOUT
                    : !responded && Failures.connectionLost(failure) ? RetryConfig.RetryOn.RESET : null;
            if (kind != null && safeToRepeat() && retry(refusal, kind)) {
                return;
            }
            done();
            end(refusal);
        }
    }
}
