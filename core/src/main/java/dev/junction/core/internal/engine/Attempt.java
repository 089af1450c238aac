package dev.junction.core.internal.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.junction.core.config.RetryConfig;
import dev.junction.core.config.TimeoutConfig;
import dev.junction.core.http.BodySource;
import dev.junction.core.http.Fields;
import dev.junction.core.http.WriteCallback;
import dev.junction.core.internal.LiveState;
import dev.junction.core.internal.affinity.SessionAffinity;
import io.micrometer.observation.Observation;

import dev.junction.core.internal.metrics.ExchangeResult;
import dev.junction.core.internal.resilience.BackendBreaker;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.BackendRequest;
import dev.junction.core.spi.ExchangeListener.Outcome;
import dev.junction.core.spi.ResponseListener;
import dev.junction.core.spi.ServerExchange;
import dev.junction.core.spi.Transport;
import dev.junction.core.spi.TunnelEnd;
import dev.junction.core.tls.TlsFailures;

/**
 * One request to one backend on the wire, and the listener of what the transport tells of it. It runs the connect
 * and response deadlines, turns the backend's head into the client's (or drops it for a retry), streams the body
 * ({@link ResponseCopy}), and on failure works out what happened: the backend never reached (the next backend at
 * once), the keep-alive race (the same request again), a timeout or a broken exchange (retried when the route says
 * so and it is safe), or a failure after the head was forwarded (the client connection is closed). Its outcome is
 * counted once by {@link Outcomes}.
 *
 * <p>The transport calls one method at a time; the deadline sweep and the client's threads may call {@link #expired}
 * and {@link #abort} meanwhile, so what they read is volatile.
 */
final class Attempt implements ResponseListener, Deadlines.Watched {

    private static final Logger LOG = LoggerFactory.getLogger(Attempt.class);
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final ProxyExchange exchange;
    private final Backend backend;
    private final Outcomes outcomes;
    private final long startNanos;
    private long connectTimeoutNanos;
    private long responseTimeoutNanos;
    private volatile boolean begun;
    private volatile boolean responded;
    private volatile boolean headSent;
    private volatile boolean copying;
    /** Set when the response was dropped for a retry: nothing of it reaches the client. */
    private volatile boolean discarded;
    private volatile long headNanos;
    private volatile int status;
    private volatile long deadlineNanos;
    private @Nullable Fields clientHead;
    private Deadlines.@Nullable Ticket ticket;
    private volatile Transport.@Nullable Exchange wire;
    private volatile @Nullable ResponseCopy copy;
    private volatile @Nullable Throwable abortedBefore;
    /** Set once the backend is done and the last of its response waits for the client: the deadline is the client's. */
    private volatile boolean watchingClient;
    /** The backend's connection after its {@code 101}, to become a tunnel with the client's. */
    private volatile @Nullable TunnelEnd upgraded;

    Attempt(ProxyExchange exchange, Backend backend, @Nullable BackendBreaker breaker) {
        this.exchange = exchange;
        this.backend = backend;
        Engine engine = exchange.engine();
        this.startNanos = engine.ticker().nanos();
        this.outcomes = new Outcomes(exchange.route(), backend, breaker, engine.exchangeListeners(), engine.ticker(),
                startNanos, exchange.upgrade() != null);
    }

    /** Gives back the tunnel an upgrade's attempt holds, for an attempt that was never sent. */
    void releaseTunnel() {
        outcomes.releaseTunnel();
    }

    /** Has {@code observation} (started) stopped when the attempt is counted. Before {@link #start} only. */
    void observe(Observation observation) {
        outcomes.observe(observation);
    }

    /** Stops the attempt's observation, for an attempt that could not be sent. */
    void unobserved() {
        outcomes.unobserved();
    }

    /** Returns the backend this attempt went to. */
    Backend backend() {
        return backend;
    }

    /** Returns the time from sending this attempt to its response head, or -1 if no head came. */
    long upstreamNanos() {
        return status == 0 ? -1 : headNanos;
    }

    /** Returns the response body bytes this attempt handed to the client. */
    long bytesWritten() {
        ResponseCopy started = copy;
        return started == null ? 0 : started.bytesWritten();
    }

    /**
     * Sends the request, under the route's connect and response deadlines (bounded by the retries' deadline).
     *
     * @throws IllegalArgumentException if the transport cannot send the request; nothing was sent
     */
    void start(BackendRequest request) {
        TimeoutConfig timeouts = exchange.route().timeouts();
        connectTimeoutNanos = timeouts.connect().toNanos();
        responseTimeoutNanos = timeouts.response().toNanos();
        RetryConfig retries = exchange.route().retries();
        if (retries != null && !retries.deadline().isZero()) {
            // The retries' deadline bounds this attempt too.
            long left = Math.max(1, retries.deadline().toNanos() - (startNanos - exchange.startNanos()));
            connectTimeoutNanos = Math.min(connectTimeoutNanos, left);
            responseTimeoutNanos = Math.min(responseTimeoutNanos, left);
        }
        long callLeft = exchange.callLeftNanos();
        if (callLeft >= 0) {
            // A gRPC call's deadline bounds it as well.
            connectTimeoutNanos = Math.min(connectTimeoutNanos, Math.max(1, callLeft));
            responseTimeoutNanos = Math.min(responseTimeoutNanos, Math.max(1, callLeft));
        }
        Transport transport = exchange.engine().transport().of(backend);
        BackendRequest sending = request;
        if (transport.enforcesDeadlines()) {
            // The transport watches them on its own event loop, with no shared queue in between.
            sending = request.withDeadlines(Math.max(1, TimeUnit.NANOSECONDS.toMillis(connectTimeoutNanos)),
                    Math.max(1, TimeUnit.NANOSECONDS.toMillis(responseTimeoutNanos)));
        } else {
            deadlineNanos = startNanos + connectTimeoutNanos;
            ticket = exchange.engine().deadlines().watch(this);
        }
        Transport.Exchange sent = transport.send(sending, this);
        wire = sent;
        Throwable early = abortedBefore;
        if (early != null) {
            sent.abort(early);
        }
    }

    /** Stops watching the deadlines of an attempt that was never sent. */
    void cancelDeadlines() {
        deadlineNanos = 0;
        Deadlines.Ticket watching = ticket;
        if (watching != null) {
            watching.cancel();
        }
    }

    /** Aborts the attempt on the wire; the transport's {@link #completed} follows. */
    void abort(Throwable cause) {
        Transport.Exchange sent = wire;
        if (sent != null) {
            sent.abort(cause);
        } else {
            abortedBefore = cause;
        }
    }

    @Override
    public long deadlineNanos() {
        return deadlineNanos;
    }

    @Override
    public void expired(long deadline) {
        deadlineNanos = 0;
        if (watchingClient) {
            // The client took none of the response's last bytes for the idle timeout: it is cut off, as a slow
            // reader is while the backend streams, and nothing is counted against the backend.
            IOException stalled = new IOException("the client took no response bytes for "
                    + exchange.route().timeouts().idle().toMillis() + " ms");
            exchange.clientLeft(stalled);
            outcomes.abandoned(headNanos, status);
            exchange.done();
            exchange.abort(stalled);
            return;
        }
        boolean connecting = !begun;
        long millis = TimeUnit.NANOSECONDS.toMillis(connecting ? connectTimeoutNanos : responseTimeoutNanos);
        abort(new BackendTimeoutException(connecting ? "connect" : "response", millis));
    }

    @Override
    public void requestBegun() {
        begun = true;
        deadlineNanos = 0;
    }

    @Override
    public void requestSent() {
        if (!responded) {
            deadlineNanos = exchange.engine().ticker().nanos() + responseTimeoutNanos;
            if (responded) {
                deadlineNanos = 0;
            }
        }
    }

    @Override
    public void responseBegun() {
        responded = true;
        deadlineNanos = 0;
    }

    @Override
    public void head(int status, Fields headers) {
        headNanos = exchange.engine().ticker().nanos() - startNanos;
        this.status = status;
        if (exchange.clientGone() != null) {
            return;
        }
        if (exchange.retriesStatus(status) && exchange.safeToRepeat()
                && exchange.retryNow(new Refusal(status == 503 ? 503 : 502, "backend answered " + status
                + " to every attempt"))) {
            // Dropped rather than forwarded; the next attempt starts after its backoff.
            discarded = true;
            outcomes.statusVerdict(status);
            abort(new RetriedException(status));
            return;
        }
        if (outcomes.breakerFails(status)) {
            // Told before the client can see the answer, so its next request already meets the breaker's count.
            outcomes.tellBreaker(false, "status " + status);
        }
        exchange.done();
        String switched = status == 101 ? headers.get("Upgrade") : null;
        Fields client = ForwardHeaders.toClient(headers, exchange.route().config());
        exchange.route().responseEdits().apply(client, exchange, backend);
        exchange.rateLimitFields(client);
        if (switched != null) {
            // Hop-by-hop, so dropped above; the client's 101 names the protocol it switches to. A 101 has no body, so
            // no framing field goes with it (Transfer-Encoding, hop-by-hop, is gone already).
            client.set("Upgrade", switched);
            client.remove("Content-Length");
        }
        client.set(RequestIds.HEADER, exchange.requestId());
        SessionAffinity affinity = exchange.route().affinity();
        SessionAffinity.Pin session = exchange.pin();
        if (affinity != null && session != null) {
            client = affinity.served(session, backend, client);
        }
        int told = exchange.attemptsToTell();
        if (told > 0) {
            client.set(Answers.ATTEMPTS_HEADER, Integer.toString(told));
        }
        clientHead = client;
        headSent = true;
    }

    @Override
    public void upgraded(TunnelEnd backendEnd) {
        if (discarded || status != 101 || exchange.upgrade() == null) {
            backendEnd.close();
            return;
        }
        upgraded = backendEnd;
    }

    @Override
    public void body(BodySource source) {
        if (discarded) {
            return;
        }
        Fields head = clientHead;
        if (head == null) {
            // The client left before the head came: nothing of the body is wanted.
            Throwable gone = exchange.clientGone();
            abort(gone != null ? gone : new IOException("client connection closed"));
            return;
        }
        copying = true;
        ResponseCopy started = new ResponseCopy(source, exchange.server(), status, head, new ResponseCopy.Done() {
            @Override
            public void copied() {
                finish();
            }

            @Override
            public void failed(Throwable failure) {
                // The backend's body failed: the transport's completed() follows with the failure, and answers (or
                // closes the client connection if the head has gone out).
                abort(failure);
            }

            @Override
            public void clientFailed(Throwable failure) {
                // The client's connection failed under a write: its doing, not the backend's.
                exchange.clientLeft(failure);
                outcomes.abandoned(headNanos, status);
                exchange.abort(failure);
            }
        });
        copy = started;
        started.start();
    }

    @Override
    public void completed(@Nullable Failure failure) {
        cancelDeadlines();
        if (discarded) {
            outcomes.settle(false, headNanos, Outcome.FAILED_STATUS, status);
        } else if (failure != null) {
            failed(failure);
        } else if (copying) {
            ResponseCopy started = copy;
            if (started != null && started.awaitingClient()) {
                // The backend is done, and with it the transport's idle timeout; the last of the response waits for
                // the client, which gets the same timeout to take it.
                watchingClient = true;
                deadlineNanos = exchange.engine().ticker().nanos() + exchange.route().timeouts().idle().toNanos();
                ticket = exchange.engine().deadlines().watch(this);
                if (!started.awaitingClient()) {
                    // The client took it meanwhile.
                    cancelDeadlines();
                }
            }
        } else {
            Fields head = clientHead;
            if (head == null) {
                // A transport that completed without a head: nothing valid came back.
                failed(new Failure(Phase.AWAIT_HEAD, new IOException("no response head")));
                return;
            }
            if (status == 101) {
                TunnelEnd backendEnd = upgraded;
                if (backendEnd == null) {
                    // A 101 the exchange did not ask for, or whose connection the transport did not hand over.
                    failed(new Failure(Phase.AWAIT_HEAD, new IOException("101 Switching Protocols with no tunnel")));
                } else {
                    tunnel(head, backendEnd);
                }
                return;
            }
            exchange.server().writeHead(status, head, true, EMPTY, new WriteCallback() {
                @Override
                public void succeeded() {
                    finish();
                }

                @Override
                public void failed(Throwable cause) {
                    outcomes.abandoned(headNanos, status);
                    exchange.abort(cause);
                }
            });
        }
    }

    /**
     * Answers the client's upgrade with the backend's {@code 101} and joins the two connections into a tunnel. The
     * exchange ends there (counted, logged with its {@code 101}); the tunnel counts as a request in flight to the
     * backend until it closes.
     */
    private void tunnel(Fields head, TunnelEnd backendEnd) {
        ServerExchange.Upgrader upgrader = exchange.server().upgrader();
        if (upgrader == null) {
            backendEnd.close();
            failed(new Failure(Phase.BODY, new IOException("the client connection cannot be upgraded")));
            return;
        }
        Engine engine = exchange.engine();
        String route = exchange.route().name();
        upgrader.upgrade(head, clientEnd -> {
            LiveState state = LiveState.of(backend);
            if (!outcomes.keepTunnel()) {
                state.tryHoldTunnel(0);
            }
            state.tunnelOpened();
            Tunnel tunnel = Tunnel.open(clientEnd, backendEnd, engine.deadlines(), engine.ticker(),
                    exchange.route().timeouts().tunnelIdle().toNanos(), (ended, cause) -> {
                        state.tunnelClosed();
                        exchange.route().placeFreed();
                        engine.tunnelClosed(ended);
                        if (cause != null && LOG.isDebugEnabled()) {
                            LOG.debug("Route {}: tunnel to backend {} ended: {}", route, backend.id(),
                                    cause.toString());
                        }
                    });
            // Counted before the exchange ends, so draining always sees one or the other; the exchange ends before
            // bytes move, so its request no longer counts in flight once the tunnel carries any.
            engine.tunnelOpened(tunnel);
            finish();
            tunnel.pump();
        }, failure -> {
            backendEnd.close();
            exchange.clientLeft(failure);
            outcomes.abandoned(headNanos, status);
            exchange.abort(failure);
        });
    }

    /** The response reached the client whole: the attempt is counted by its status. */
    private void finish() {
        cancelDeadlines();
        outcomes.settle(status < 500, headNanos, status < 500 ? Outcome.SUCCEEDED : Outcome.FAILED_STATUS, status);
        outcomes.statusVerdict(status);
        exchange.completed(status);
    }

    /** Whether the exchange waits on its client: for more of the request body, or to take a response write. */
    private boolean clientStalled() {
        ResponseCopy started = copy;
        return started != null ? started.awaitingClient() : !responded && exchange.bodyAwaitingClient();
    }

    private void failed(Failure failure) {
        Throwable cause = failure.cause();
        Throwable gone = exchange.clientGone();
        if (gone != null) {
            outcomes.abandoned(headNanos, status);
            exchange.done();
            ResponseCopy started = copy;
            if (exchange.bodyBroken() && (started == null || !started.wroteHead())) {
                exchange.endBrokenBody();
            } else {
                exchange.abort(gone);
            }
            return;
        }
        String route = exchange.route().name();
        boolean timeout = Failures.timeout(cause);
        if (timeout && exchange.callDeadlinePassed()) {
            // The gRPC call's own deadline ended it, a limit the client chose: nothing is concluded about the
            // backend, and nothing is tried again.
            outcomes.abandoned(headNanos, status);
            exchange.done();
            ResponseCopy started = copy;
            if (started != null && started.wroteHead()) {
                exchange.abort(cause, ExchangeResult.TIMED_OUT);
            } else {
                exchange.end(new Refusal(504, ProxyExchange.CALL_DEADLINE, true));
            }
            return;
        }
        if (timeout && clientStalled()) {
            // The client stopped sending its body or taking the response: the backend waited on it, not the
            // other way round.
            outcomes.abandoned(headNanos, status);
            exchange.done();
            ResponseCopy started = copy;
            LOG.debug("Route {}: the client held up the exchange with backend {} past its timeout", route,
                    backend.id());
            if (started != null && started.wroteHead()) {
                exchange.abort(cause, ExchangeResult.CLIENT_GONE);
            } else {
                exchange.end(new Refusal(408, "request body not received in time"));
            }
            return;
        }
        if (headSent) {
            outcomes.settle(false, headNanos, Outcome.BROKEN, status);
            outcomes.failedVerdict("broken off mid-response", false);
            exchange.done();
            ResponseCopy started = copy;
            if (started != null && started.wroteHead()) {
                LOG.debug("Route {}: backend {} failed after the response head; closing the client connection",
                        route, backend.id(), cause);
                exchange.abort(cause);
            } else {
                // Nothing reached the client yet: it gets a whole answer, not a closed connection.
                LOG.debug("Route {}: backend {} failed before its body began: {}", route, backend.id(),
                        cause.toString());
                exchange.end(new Refusal(502, "backend sent no valid response"));
            }
            return;
        }
        if (Failures.neverReached(failure)) {
            if (Failures.proxyLimit(cause)) {
                // Junction's own connection limit kept the request from the backend: nothing is concluded about it.
                outcomes.atLimit();
                exchange.atLimit();
            } else {
                outcomes.settle(false, headNanos, timeout ? Outcome.TIMED_OUT : Outcome.NOT_REACHED, 0);
                outcomes.failedVerdict(cause.toString(), true);
            }
            if (timeout) {
                exchange.timedOut();
            }
            String tls = TlsFailures.describe(cause);
            if (tls != null) {
                exchange.tlsFailed(tls);
                LOG.warn("Route {}: TLS with backend {} failed: {}", route, backend.id(), tls);
            }
            LOG.debug("Route {}: backend {} not reached, trying another: {}", route, backend.id(), cause.toString());
            if (!exchange.retrying()) {
                exchange.next();
                return;
            }
            Refusal refusal = exchange.unreached();
            if (!exchange.retry(refusal, RetryConfig.RetryOn.CONNECT_FAILURE)) {
                exchange.done();
                exchange.end(refusal);
            }
            return;
        }
        if (!responded && Failures.connectionLost(cause) && !exchange.hasBody() && !exchange.resent()
                && Failures.idempotent(exchange.server().method())) {
            // The keep-alive race: the backend closed a pooled connection as this request went out on it.
            outcomes.settle(false, headNanos, Outcome.BROKEN, 0);
            LOG.debug("Route {}: backend {} closed the connection under the request; sending it again", route,
                    backend.id());
            exchange.resend(backend, outcomes.breaker());
            return;
        }
        if (!responded && Failures.connectionLost(cause) && exchange.resent() && !exchange.retrying()
                && !exchange.hasBody() && Failures.idempotent(exchange.server().method())) {
            // Sent again after the keep-alive race and lost again before any answer: the backend is dropping its
            // connections (it is going away). Nothing was answered and nothing can be done twice, so the next
            // backend serves, as nginx's proxy_next_upstream error does.
            outcomes.settle(false, headNanos, Outcome.BROKEN, 0);
            outcomes.failedVerdict(cause.toString(), false);
            LOG.debug("Route {}: backend {} dropped the connection again, trying another: {}", route, backend.id(),
                    cause.toString());
            exchange.next();
            return;
        }
        outcomes.settle(false, headNanos, timeout ? Outcome.TIMED_OUT : Outcome.BROKEN, status);
        LOG.debug("Route {}: backend {} failed: {}", route, backend.id(), cause.toString());
        outcomes.failedVerdict(timeout ? "no response in time" : cause.toString(), false);
        Refusal refusal = timeout ? new Refusal(504, "backend did not answer in time")
                : new Refusal(502, "backend sent no valid response");
        RetryConfig.RetryOn kind = timeout ? RetryConfig.RetryOn.TIMEOUT
                : !responded && Failures.connectionLost(cause) ? RetryConfig.RetryOn.RESET : null;
        if (kind != null && exchange.safeToRepeat() && exchange.retry(refusal, kind)) {
            return;
        }
        exchange.done();
        exchange.end(refusal);
    }

}
