package dev.junction.core.internal.engine;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.junction.core.spi.ServerExchange;
import dev.junction.core.spi.Ticker;

/**
 * Bounds the write of an answer Junction makes itself (a refusal, a fallback) by the route's idle timeout: a client
 * that never takes it, or a server that never reports the write's end on a connection it has closed (Undertow's
 * servlet container, after its own parser failed), would otherwise hold the exchange, counted in flight, for ever.
 * When the time passes, the client connection is closed and the exchange ends. Ends once, whichever comes first.
 */
final class AnswerGuard implements Deadlines.Watched {

    private final ServerExchange server;
    private final Runnable ended;
    private final long idleNanos;
    private final AtomicBoolean done = new AtomicBoolean();
    private final Deadlines.Ticket ticket;
    private volatile long deadlineNanos;

    private AnswerGuard(Deadlines deadlines, Ticker ticker, long idleNanos, ServerExchange server, Runnable ended) {
        this.server = server;
        this.ended = ended;
        this.idleNanos = idleNanos;
        this.deadlineNanos = ticker.nanos() + idleNanos;
        this.ticket = deadlines.watch(this);
    }

    /** Watches an answer about to be written; hand {@link #ended()} to the write as what runs when it ends. */
    static AnswerGuard watch(Deadlines deadlines, Ticker ticker, long idleNanos, ServerExchange server,
            Runnable ended) {
        return new AnswerGuard(deadlines, ticker, idleNanos, server, ended);
    }

    /** The answer was written, or its write failed: the exchange ends. */
    void ended() {
        if (done.compareAndSet(false, true)) {
            deadlineNanos = 0;
            ticket.cancel();
            ended.run();
        }
    }

    @Override
    public long deadlineNanos() {
        return deadlineNanos;
    }

    @Override
    public void expired(long deadline) {
        if (done.compareAndSet(false, true)) {
            deadlineNanos = 0;
            ticket.cancel();
            server.abort(new IOException("the client took no answer for "
                    + TimeUnit.NANOSECONDS.toMillis(idleNanos) + " ms"));
            ended.run();
        }
    }
}
