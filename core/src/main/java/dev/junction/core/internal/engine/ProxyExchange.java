package dev.junction.core.internal.engine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.junction.core.config.QueueConfig;
import dev.junction.core.config.RetryConfig;
import dev.junction.core.http.BodySource;
import dev.junction.core.http.BodyTooLargeException;
import dev.junction.core.http.Fields;
import dev.junction.core.internal.LiveState;
import dev.junction.core.internal.accesslog.AccessRequest;
import dev.junction.core.internal.limit.ConcurrencyLimiter;
import dev.junction.core.internal.limit.RouteLimits;
import dev.junction.core.internal.limit.Verdict;
import dev.junction.core.internal.metrics.ExchangeResult;
import dev.junction.core.internal.tracing.Observations;
import dev.junction.core.internal.resilience.BackendBreaker;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.BackendRequest;
import dev.junction.core.spi.PriorityResolver;
import dev.junction.core.spi.SelectionContext;
import dev.junction.core.spi.ServerExchange;

/**
 * One exchange on its way through a route: its state from the client's request to the one answer the client gets.
 * It asks {@link BackendChoice} for a backend, starts an {@link Attempt} on it, and on failure decides between
 * another attempt (with {@link RetryLoop} when the route retries), an error answer ({@link Answers}), and closing the
 * client connection.
 *
 * <p>Without retries configured, a backend that never saw the request is followed at once by the next untried one.
 * With them, a failed attempt is repeated when the route retries that kind of failure and repeating is safe
 * ({@link #safeToRepeat}).
 *
 * <p>Attempts follow each other (the next starts from the previous one's end), so at most one is active;
 * exchange-wide fields written by one attempt are read by the next through the happens-before of that hand-over.
 * What the client's threads touch ({@link #clientGone}) is volatile. Every exchange ends in exactly one answer,
 * completed response or abort ({@link #ended}).
 */
final class ProxyExchange implements SelectionContext {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyExchange.class);

    private final Engine engine;
    private final RouteRuntime route;
    private final ServerExchange server;
    private final String path;
    private final String target;
    private final String requestId;
    /** The client's address behind the route's trusted proxies, once asked for. */
    private @Nullable String client;
    /** What the access log says of the request, read at the start; null when there is no access log. */
    private final @Nullable AccessRequest logged;
    /** The exchange's observation, when the engine observes; null otherwise. */
    private final Observations.@Nullable Exchange observed;
    private final @Nullable ClientBody body;
    /** The client's {@code Upgrade} when the exchange can become a tunnel; null for an ordinary exchange. */
    private final @Nullable String upgrade;
    private final @Nullable RetryLoop retries;
    private final BackendChoice choice;
    private final long startNanos;
    /** A gRPC call's own deadline ({@code grpc-timeout}) on the ticker, or 0 for none. */
    private final long callDeadlineNanos;
    private final AtomicBoolean ended = new AtomicBoolean();
    private int attempts;
    private boolean timedOut;
    private boolean atLimit;
    private @Nullable String tlsFailure;
    private boolean resent;
    private volatile @Nullable Attempt current;
    private volatile @Nullable Throwable clientGone;
    private volatile boolean bodyBroken;
    /** Its place in the route's queue while it waits for a backend below its limit, or after it was woken. */
    private volatile RouteQueue.@Nullable Waiter waiting;
    /** When the exchange took a place under the route's adaptive concurrency limit, if {@link #holdsPlace}. */
    private long concurrencySince;
    /** Whether the exchange holds a place under the route's adaptive concurrency limit, given back at its end. */
    private volatile boolean holdsPlace;
    /** The rank of the request's priority class once worked out, else -1. */
    private int rank = -1;
    /** Whether the route's adaptive concurrency limit refused the exchange. */
    private boolean shed;
    /** What the route's rate limits told the request, for the response's fields; null without figures to tell. */
    private @Nullable Verdict limitVerdict;

    ProxyExchange(Engine engine, RouteRuntime route, ServerExchange server, String path) {
        this.engine = engine;
        this.route = route;
        this.server = server;
        this.path = path;
        this.startNanos = engine.ticker().nanos();
        long callTimeout = Grpc.is(server.requestHeaders()) ? Grpc.timeoutNanos(server.requestHeaders()) : 0;
        this.callDeadlineNanos = callTimeout == 0 ? 0 : startNanos + callTimeout;
        String query = server.rawQuery();
        String rewritten = route.rewrite().apply(path);
        this.target = query == null ? rewritten : rewritten + "?" + query;
        this.requestId = RequestIds.of(server.requestHeaders());
        this.logged = engine.describe(server);
        Observations observations = engine.observations();
        this.observed = observations.on() ? observations.exchange(route.name(), server) : null;
        RetryConfig retryConfig = route.retries();
        this.retries = retryConfig != null ? new RetryLoop(retryConfig, route.resilience(), route.meters()) : null;
        // Kept for a replay only when a retry could send it again: an idempotent method on a route with retries.
        int keep = retryConfig != null && Failures.idempotent(server.method()) ? retryConfig.bufferBytes() : 0;
        this.body = RequestChecks.hasBody(server.requestHeaders()) || server.hasUnannouncedBody()
                ? new ClientBody(server.requestBody(), keep, this::clientBodyFailed) : null;
        this.upgrade = Upgrades.asked(server, engine.transport(), route.config().upgrades());
        this.choice = new BackendChoice(route, this, retryConfig == null ? 0 : retryConfig.maxAttempts(),
                upgrade != null);
    }

    /** Returns the client's {@code Upgrade} when the exchange can become a tunnel, else null. */
    @Nullable String upgrade() {
        return upgrade;
    }

    void start() {
        server.onClientGone(this::clientLeft);
        RouteLimits limits = route.limits();
        if (limits != null) {
            String clientKey = limits.byClient() ? client() : "";
            Verdict now = limits.admit(this, clientKey, verdict -> onOwnLoop(() -> admitted(verdict)));
            if (now != null) {
                admitted(now);
            }
            return;
        }
        proceed();
    }

    /**
     * Goes on with the exchange on its own event loop if it has one (a transport on that loop keeps the attempt there),
     * else on the caller's thread: after a rate limit's answer from the shared store, or a place freed for a waiter.
     */
    private void onOwnLoop(Runnable step) {
        Executor loop = server.eventLoop();
        if (loop == null) {
            step.run();
            return;
        }
        try {
            loop.execute(step);
        } catch (RejectedExecutionException e) {
            // The server is stopping its I/O threads: the exchange goes on here, and its writes fail if it must.
            step.run();
        }
    }

    private void admitted(Verdict verdict) {
        if (!verdict.allowed()) {
            Fields headers = new Fields(6);
            verdict.addTo(headers);
            end(new Refusal(verdict.status(), verdict.reason(), false, headers));
            return;
        }
        if (verdict.reports()) {
            limitVerdict = verdict;
        }
        proceed();
    }

    /** Adds what the client is told of the route's rate limits to a response of a backend's. */
    void rateLimitFields(Fields headers) {
        Verdict verdict = limitVerdict;
        if (verdict != null) {
            verdict.addTo(headers);
        }
    }

    /**
     * Starts the exchange's first attempt, through the route's retries if it has them, once the route's adaptive
     * concurrency limit, if any, has a place for it.
     */
    private void proceed() {
        ConcurrencyLimiter limiter = route.concurrency();
        if (limiter != null) {
            int rank = rank();
            if (!limiter.tryAcquire(rank)) {
                List<String> classes = route.config().queue().classes();
                shed = true;
                end(new Refusal(503, "shed at the route's adaptive concurrency limit of " + limiter.limit()
                        + (classes.size() > 1 ? " (class " + classes.get(rank) + ")" : "")));
                return;
            }
            concurrencySince = engine.ticker().nanos();
            holdsPlace = true;
        }
        RetryLoop loop = retries;
        if (loop == null) {
            next();
        } else {
            loop.start(this::next, this::end);
        }
    }

    /** Starts an attempt on a backend not tried yet, or answers with the error that ends the exchange. */
    void next() {
        Throwable gone = clientGone;
        if (gone != null) {
            done();
            abort(gone);
            return;
        }
        if (callDeadlinePassed()) {
            // A gRPC call whose deadline has passed: no backend is asked to start on it.
            done();
            end(new Refusal(504, CALL_DEADLINE, true));
            return;
        }
        RouteQueue queue = route.queue();
        if (queue != null && waiting == null && choice.chosen() == 0 && queue.anyWaiting()
                && queue.higherWaiting(rank()) && queueUp(true)) {
            // A request of a higher class waits: this one waits behind it rather than take a place that frees. If a
            // place is free now, the first waiter (the higher one) has it.
            if (!route.backendAtLimit()) {
                route.placeFreed();
            }
            return;
        }
        Backend backend = choice.next(route.affinity(), this);
        if (backend == null && choice.chosen() == 0 && !choice.tunnelsFull() && queueUp(false)) {
            return;
        }
        RouteQueue.Waiter woken = waiting;
        if (woken != null) {
            woken.cancel();
            waiting = null;
        }
        if (backend == null) {
            done();
            Refusal last = retries == null ? null : retries.lastRefusal();
            if (choice.chosen() == 0 && choice.tunnelsFull()) {
                end(new Refusal(503, "every backend is at its limit of open tunnels"));
            } else if (choice.chosen() == 0) {
                fallback();
            } else if (last != null) {
                end(last);
            } else {
                end(unreached());
            }
            return;
        }
        attempts++;
        send(backend, choice.breaker());
    }

    /**
     * Waits in the route's queue when every backend that could serve is at its limit, or when {@code behindHigher}
     * (a request of a higher class waits already): returns true if the exchange waits (or was refused because the queue
     * is full), false to answer as without a queue.
     */
    private boolean queueUp(boolean behindHigher) {
        RouteQueue queue = route.queue();
        if (queue == null || !behindHigher && !route.backendAtLimit()) {
            return false;
        }
        RouteQueue.Waiter waiter = waiting;
        if (waiter != null) {
            // Woken, and every backend full again (a new request took the place first): back to the head, on the
            // deadline it has had since it first came.
            if (waiter.waitedNanos() >= route.config().queue().timeout().toNanos()) {
                waiting = null;
                waiter.cancel();
                queueTimedOut(waiter.waitedNanos());
                return true;
            }
            if (!queue.requeue(waiter)) {
                waiting = null;
                waiter.cancel();
                done();
                end(new Refusal(503, QUEUE_FULL));
                return true;
            }
        } else {
            waiter = queue.offer(this, rank());
            if (waiter == null) {
                done();
                end(new Refusal(503, QUEUE_FULL));
                return true;
            }
            waiting = waiter;
            waiter.watchedBy(engine.deadlines().watch(waiter));
        }
        Throwable gone = clientGone;
        if (gone != null && queue.remove(waiter)) {
            // The client left while it was being queued.
            waiting = null;
            waiter.cancel();
            done();
            abort(gone);
        }
        return true;
    }

    /** Returns the rank of the request's priority class, worked out once ({@link #priorityRank}). */
    private int rank() {
        int known = rank;
        if (known < 0) {
            known = priorityRank();
            rank = known;
        }
        return known;
    }

    /**
     * Returns the rank (0 the highest) of the request's priority class: the one the queue's resolver returns (when it
     * has one and returns a class), else the one its class header names (when the route has one and the name is a
     * class), else the one of the longest path prefix it is under, else its method's,
     * else the route's default class.
     */
    private int priorityRank() {
        QueueConfig config = route.config().queue();
        List<String> classes = config.classes();
        PriorityResolver resolver = route.priorities();
        if (resolver != null) {
            String named;
            try {
                named = resolver.priorityClass(this);
            } catch (RuntimeException e) {
                // A resolver of one's own that fails chooses nothing: the queue's rules decide.
                LOG.warn("Route {}: the priority resolver failed; the queue's rules choose the class", route.name(),
                        e);
                named = null;
            }
            int chosen = named == null ? -1 : classes.indexOf(named);
            if (chosen >= 0) {
                return chosen;
            }
        }
        String header = config.classHeader();
        if (header != null) {
            String named = server.requestHeaders().get(header);
            if (named != null) {
                for (int i = 0; i < classes.size(); i++) {
                    if (classes.get(i).equalsIgnoreCase(named.strip())) {
                        return i;
                    }
                }
            }
        }
        String byRule = null;
        String rawPath = server.rawPath();
        int longest = -1;
        for (Map.Entry<String, String> rule : config.classByPrefix().entrySet()) {
            String prefix = rule.getKey();
            // On a segment boundary: /admin takes /admin and /admin/x, not /administrator.
            if (prefix.length() > longest && rawPath.startsWith(prefix) && (rawPath.length() == prefix.length()
                    || prefix.endsWith("/") || rawPath.charAt(prefix.length()) == '/')) {
                longest = prefix.length();
                byRule = rule.getValue();
            }
        }
        if (byRule == null) {
            byRule = config.classByMethod().get(server.method());
        }
        int rank = classes.indexOf(byRule != null ? byRule : config.defaultClass());
        return Math.max(0, rank);
    }

    /** A request of a higher class took this waiter's place in a full queue. */
    void queueShed(long waitedNanos, String forClass) {
        waiting = null;
        done();
        end(new Refusal(503, "shed from the route's full queue after " + TimeUnit.NANOSECONDS.toMillis(waitedNanos)
                + " ms, for a request of class " + forClass));
    }

    /** The refusal of a request that finds every backend at its limit and the route's queue full. */
    private static final String QUEUE_FULL = "every backend is at its limit and the route's queue is full";

    /**
     * Tries again for a backend, now that a place may have freed (a request of the route ended, or a backend came back
     * or was added), on the exchange's own event loop ({@link #onOwnLoop}).
     */
    void resume(RouteQueue.Waiter waiter) {
        onOwnLoop(this::next);
    }

    /** The exchange waited out the route's queue timeout. */
    void queueTimedOut(long waitedNanos) {
        waiting = null;
        done();
        end(new Refusal(503, "waited " + TimeUnit.NANOSECONDS.toMillis(waitedNanos)
                + " ms for a backend below its limit (the route's queue timeout)"));
    }

    /** Sends an attempt to a backend counted in flight, whose breaker (if any) let it through. */
    void send(Backend backend, @Nullable BackendBreaker breaker) {
        Attempt attempt = new Attempt(this, backend, breaker);
        current = attempt;
        Throwable gone = clientGone;
        if (gone != null) {
            // The client left between the choice and now; the abort takes effect as soon as the attempt is sent.
            attempt.abort(gone);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("Route {}: {} {} → backend {} (request id {})", route.name(), server.method(), target,
                    backend.id(), requestId);
        }
        try {
            BackendRequest request = request(backend);
            Observations.Exchange exchange = observed;
            if (exchange != null) {
                attempt.observe(engine.observations().attempt(exchange, route.name(), backend, server.method(),
                        request.target(), request.headers()));
            }
            attempt.start(request);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // Something in the request the transport will not send (an exotic method or header), or no transport to
            // send it with (the HTTP/2 client could not start): the backend was never contacted.
            attempt.unobserved();
            attempt.releaseTunnel();
            LiveState.of(backend).requestEnded(false, 0);
            if (breaker != null) {
                breaker.abandoned();
            }
            attempt.cancelDeadlines();
            done();
            LOG.warn("Route {}: request cannot be sent to backend {}: {}", route.name(), backend.id(), e.toString());
            end(e instanceof IllegalArgumentException ? new Refusal(400, "request cannot be forwarded")
                    : new Refusal(502, "backend cannot be reached: " + e.getMessage()));
        }
    }

    /**
     * Sends the same request to the same backend again, once per exchange: the keep-alive race, where the backend
     * closed a pooled connection as the request went out on it.
     */
    void resend(Backend backend, @Nullable BackendBreaker breaker) {
        resent = true;
        LiveState.of(backend).tryAcquire(0);
        if (upgrade != null) {
            LiveState.of(backend).tryHoldTunnel(0);
        }
        send(backend, breaker);
    }

    /** Returns whether the request was sent again after the keep-alive race. */
    boolean resent() {
        return resent;
    }

    private BackendRequest request(Backend backend) {
        String basePath = backend.basePath();
        // HTTP/2 has no upgrades: a backend that speaks it gets the request as an ordinary one.
        Fields headers = ForwardHeaders.toBackend(server, route.config(), route.trustedProxies(), backend, requestId,
                backend.protocol().http2() ? null : upgrade);
        route.requestEdits().apply(headers, this, backend);
        BodySource content = null;
        ClientBody client = body;
        if (client != null) {
            client.attemptEnded();
            BodySource replay = client.consumed() ? client.replay() : null;
            content = replay != null ? replay : client;
        }
        long total = route.timeouts().total().toMillis();
        long callLeft = callLeftNanos();
        if (callLeft >= 0) {
            // Rounded up: a transport's timer must not fire before the call's deadline, which end() then reads.
            long left = Math.max(1, (callLeft + 999_999) / 1_000_000);
            total = total == 0 ? left : Math.min(total, left);
        }
        return new BackendRequest(backend, backend.origin(), server.method(),
                basePath.isEmpty() ? target : basePath + target, headers, content,
                route.timeouts().idle().toMillis(), total, 0, 0, server.eventLoop(), route.tls(backend));
    }

    /**
     * Asks for another attempt after {@code refusal}, the answer if there is none; returns false if the route does not
     * retry this kind of failure, the client has gone, or the retries are used up. The caller has checked that
     * repeating the request is safe.
     */
    boolean retry(Refusal refusal, RetryConfig.RetryOn kind) {
        RetryLoop loop = retries;
        return loop != null && loop.retries(kind) && retryNow(refusal);
    }

    /** As {@link #retry}, for a failure every route with retries repeats when it is safe (a retried status). */
    boolean retryNow(Refusal refusal) {
        RetryLoop loop = retries;
        return loop != null && clientGone == null && loop.retry(refusal, attempts);
    }

    /** Returns whether the route repeats responses with this status (and has retries). */
    boolean retriesStatus(int status) {
        return retries != null && route.resilience().retriesStatus(status);
    }

    /**
     * Whether the request may be sent again after reaching a backend: its method is idempotent and its body, if any,
     * was kept whole for a replay.
     */
    boolean safeToRepeat() {
        ClientBody client = body;
        return Failures.idempotent(server.method()) && (client == null || !client.consumed() || client.replayable());
    }

    /** Tells the retry policy, if any, that the attempt under way was the last. */
    void done() {
        RetryLoop loop = retries;
        if (loop != null) {
            loop.done();
        }
    }

    /** Returns the answer when no backend could be reached: why, as far as the attempts tell. */
    Refusal unreached() {
        if (timedOut) {
            return new Refusal(504, "no backend answered in time");
        }
        if (atLimit) {
            return new Refusal(503, "every backend is at its connection limit");
        }
        String tls = tlsFailure;
        if (tls != null) {
            return new Refusal(502, "TLS with the backend failed: " + tls);
        }
        return new Refusal(502, "no backend could be reached");
    }

    /** Notes that Junction's own connection limit kept an attempt from its backend. */
    void atLimit() {
        atLimit = true;
    }

    /** Notes why an attempt's TLS handshake failed, for the answer when no backend is left. */
    void tlsFailed(String why) {
        tlsFailure = why;
    }

    /** Notes that an attempt timed out, for the answer when no backend is left. */
    void timedOut() {
        timedOut = true;
    }

    /** Returns whether the route has retries. */
    boolean retrying() {
        return retries != null;
    }

    /** Returns whether the request has a body. */
    boolean hasBody() {
        return body != null;
    }

    /** Returns whether the request body waits for the client to send more. */
    boolean bodyAwaitingClient() {
        ClientBody client = body;
        return client != null && client.awaitingClient();
    }

    /** Returns the attempts to tell the client, or 0 when the route does not tell them. */
    int attemptsToTell() {
        RetryLoop loop = retries;
        return loop != null && loop.attemptsHeader() ? attempts : 0;
    }

    /** The client has gone (its connection closed or failed): the attempt under way is aborted. */
    void clientLeft(Throwable cause) {
        clientGone = cause;
        RouteQueue.Waiter waiter = waiting;
        RouteQueue queue = route.queue();
        if (waiter != null && queue != null && queue.remove(waiter)) {
            // It waited in the queue: out at once, with nothing sent anywhere.
            waiting = null;
            waiter.cancel();
            done();
            abort(cause);
            return;
        }
        Attempt attempt = current;
        if (attempt != null) {
            attempt.abort(cause);
        }
    }

    /**
     * The client's request body failed (the client reset or broke its upload): the transport fails the attempt that
     * read it, and the failure is the client's.
     */
    private void clientBodyFailed(Throwable cause) {
        bodyBroken = true;
        clientGone = cause;
    }

    /** Returns whether the client's request body broke off or was malformed. */
    boolean bodyBroken() {
        return bodyBroken;
    }

    /**
     * Answers a request whose body broke off or was malformed (bad chunked framing, a body cut short) with 400, or
     * one over the server's body limit with 413, and closes the connection: a client that is still there learns what
     * went wrong at once, and a write to one that has gone fails and closes it anyway.
     */
    void endBrokenBody() {
        if (ended.compareAndSet(false, true)) {
            Refusal refusal = clientGone instanceof BodyTooLargeException tooLarge
                    ? new Refusal(413, tooLarge.getMessage())
                    : new Refusal(400, "request body is malformed or cut short");
            Answers.refuse(route.name(), server, refusal, attemptsToTell(), requestId,
                    guarded(() -> exchangeEnded(refusal.status(), ExchangeResult.REFUSED)));
        }
    }

    /** Returns why the client went away, or null while it is there. */
    @Nullable Throwable clientGone() {
        return clientGone;
    }

    /** Answers with the route's fallback: no backend is available, and none is touched. */
    private void fallback() {
        Throwable gone = clientGone;
        if (gone != null) {
            abort(gone);
            return;
        }
        if (ended.compareAndSet(false, true)) {
            Answers.fallback(route.name(), route.config().fallback(), server, requestId, guarded(() -> exchangeEnded(
                    route.config().fallback().status(), ExchangeResult.NO_BACKEND)));
        }
    }

    /**
     * Returns how long a gRPC call has left until its own deadline (0 once it has passed), or -1 if it has none: the
     * attempts' timeouts are bounded by it.
     */
    long callLeftNanos() {
        return callDeadlineNanos == 0 ? -1 : Math.max(0, callDeadlineNanos - engine.ticker().nanos());
    }

    /** Returns whether the exchange is a gRPC call whose own deadline has passed. */
    boolean callDeadlinePassed() {
        return callDeadlineNanos != 0 && callLeftNanos() == 0;
    }

    /** The reason given when a gRPC call's deadline ends it. */
    static final String CALL_DEADLINE = "the call's deadline (grpc-timeout) passed";

    /** Answers the client with an error and ends the exchange. */
    void end(Refusal answer) {
        Throwable gone = clientGone;
        if (gone != null) {
            abort(gone);
            return;
        }
        Refusal refusal = answer.status() == 504 && callDeadlinePassed() ? new Refusal(504, CALL_DEADLINE, true)
                : answer;
        if (ended.compareAndSet(false, true)) {
            ExchangeResult result = shed ? ExchangeResult.OVERLOADED : result(refusal.status());
            Answers.refuse(route.name(), server, refusal, attemptsToTell(), requestId,
                    guarded(() -> exchangeEnded(refusal.status(), result)));
        }
    }

    /** Returns how an exchange Junction answers with {@code status} ended, for its metrics. */
    private static ExchangeResult result(int status) {
        if (status == 504) {
            return ExchangeResult.TIMED_OUT;
        }
        if (status == 429) {
            return ExchangeResult.RATE_LIMITED;
        }
        if (status == 503) {
            return ExchangeResult.NO_BACKEND;
        }
        return status < 500 ? ExchangeResult.REFUSED : ExchangeResult.BACKEND_FAILED;
    }

    /** Closes the client connection and ends the exchange: the client's doing if it left, else the backend's. */
    void abort(Throwable cause) {
        abort(cause, clientGone != null ? ExchangeResult.CLIENT_GONE : ExchangeResult.BACKEND_FAILED);
    }

    /** Closes the client connection and ends the exchange, which ended as {@code result}. */
    void abort(Throwable cause, ExchangeResult result) {
        if (ended.compareAndSet(false, true)) {
            server.abort(cause);
            exchangeEnded(0, result);
        }
    }

    /** Ends the exchange after its response, with {@code status}, reached the client whole. */
    void completed(int status) {
        if (ended.compareAndSet(false, true)) {
            exchangeEnded(status, ExchangeResult.FORWARDED);
        }
    }

    /** Returns {@code ended}, to run when an answer of Junction's own ends or the client has not taken it in time. */
    private Runnable guarded(Runnable ended) {
        AnswerGuard guard = AnswerGuard.watch(engine.deadlines(), engine.ticker(), route.timeouts().idle().toNanos(),
                server, ended);
        return guard::ended;
    }

    private void exchangeEnded(int status, ExchangeResult result) {
        Attempt last = current;
        ClientBody client = body;
        Observations.Exchange exchange = observed;
        if (exchange != null && exchange.owned()) {
            Observations.stop(exchange.observation(), status, result.tag(), null);
        }
        // Places are given back before anything of one's own is told (a listener that throws must not keep them).
        engine.admission().exit(route.slot());
        ConcurrencyLimiter limiter = route.concurrency();
        if (limiter != null && holdsPlace) {
            // What the exchange says of the backends: their latency to a response head, or a failure there (not the
            // client's own deadline, and not a request that never reached one).
            long upstream = last == null ? -1 : last.upstreamNanos();
            if (result == ExchangeResult.FORWARDED && upstream >= 0) {
                limiter.release(concurrencySince, upstream, false);
            } else if ((result == ExchangeResult.BACKEND_FAILED || result == ExchangeResult.TIMED_OUT) && last != null
                    && !callDeadlinePassed()) {
                limiter.release(concurrencySince, engine.ticker().nanos() - concurrencySince, true);
            } else {
                limiter.releaseUnsampled();
            }
        }
        engine.exchangeEnded(route, logged, requestId, last == null ? null : last.backend(), status, result, attempts,
                startNanos, client == null ? 0 : client.bytesRead(), last == null ? 0 : last.bytesWritten(),
                last == null ? -1 : last.upstreamNanos());
        if (last != null) {
            // Its hold on a backend is gone: a request waiting in the route's queue may have the place.
            route.placeFreed();
        }
    }

    ServerExchange server() {
        return server;
    }

    /** Returns the client's address: behind the route's trusted proxies, the one they name. */
    String client() {
        String address = client;
        if (address == null) {
            // Worked out once: rate limits, header rules and the release draw may each ask.
            address = route.trustedProxies().clientAddress(server.requestHeaders(), server.clientAddress());
            client = address;
        }
        return address;
    }

    /** Returns the exchange's {@code X-Request-Id}: the client's, or one Junction made. */
    String requestId() {
        return requestId;
    }

    RouteRuntime route() {
        return route;
    }

    Engine engine() {
        return engine;
    }

    /** Returns when the exchange started, in the engine's ticker's time. */
    long startNanos() {
        return startNanos;
    }

    /** Returns the session the first attempt found, or null. */
    dev.junction.core.internal.affinity.SessionAffinity.@Nullable Pin pin() {
        return choice.pin();
    }

    // SelectionContext: what the hashing strategies read.

    @Override
    public String clientAddress() {
        return server.clientAddress();
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public @Nullable String header(String name) {
        return server.requestHeaders().get(name);
    }

    @Override
    public @Nullable String cookie(String name) {
        Fields fields = server.requestHeaders();
        for (int i = 0; i < fields.size(); i++) {
            if (fields.is(i, "Cookie")) {
                String value = Cookies.find(fields.value(i), name);
                if (value != null) {
                    return value;
                }
            }
        }
        return null;
    }
}
