package dev.junction.core.internal.engine;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

import dev.junction.core.http.WriteCallback;
import dev.junction.core.spi.Ticker;
import dev.junction.core.spi.TunnelEnd;

/**
 * A tunnel between a client and a backend after {@code 101 Switching Protocols}: bytes pumped both ways, one read and
 * one write at a time in each direction, so the slower reader holds back the faster writer. One side shutting its
 * output is passed on (half-close); the tunnel ends when both have, when either fails, or when no byte has moved
 * either way for its idle timeout (checked by the engine's deadline sweep).
 *
 * <p>Thread-safe: each direction's reads are serialised by a trampoline, so an end that answers a read at once does
 * not grow the stack.
 */
final class Tunnel implements Deadlines.Watched {

    private final TunnelEnd client;
    private final TunnelEnd backend;
    private final Ticker ticker;
    private final long idleNanos;
    private final BiConsumer<Tunnel, @Nullable Throwable> ended;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger openDirections = new AtomicInteger(2);
    private volatile long lastActivity;
    private volatile Deadlines.@Nullable Ticket ticket;

    private Tunnel(TunnelEnd client, TunnelEnd backend, Ticker ticker, long idleNanos,
            BiConsumer<Tunnel, @Nullable Throwable> ended) {
        this.client = client;
        this.backend = backend;
        this.ticker = ticker;
        this.idleNanos = idleNanos;
        this.ended = ended;
        this.lastActivity = ticker.nanos();
    }

    /**
     * Joins the two ends; nothing moves until {@link #pump()}.
     *
     * @param idleNanos the longest no byte may move either way before both ends are closed, 0 for no limit
     * @param ended told once when the tunnel is over, with why: null when both sides shut their output
     */
    static Tunnel open(TunnelEnd client, TunnelEnd backend, Deadlines deadlines, Ticker ticker, long idleNanos,
            BiConsumer<Tunnel, @Nullable Throwable> ended) {
        Tunnel tunnel = new Tunnel(client, backend, ticker, idleNanos, ended);
        if (idleNanos > 0) {
            tunnel.ticket = deadlines.watch(tunnel);
        }
        return tunnel;
    }

    /** Starts moving bytes both ways. */
    void pump() {
        new Direction(this, client, backend).demand();
        new Direction(this, backend, client).demand();
    }

    /** Returns whether the tunnel is over. */
    boolean closed() {
        return closed.get();
    }

    /** Closes both ends now: {@code cause} says why (null for a normal end). */
    void close(@Nullable Throwable cause) {
        if (closed.compareAndSet(false, true)) {
            Deadlines.Ticket watched = ticket;
            if (watched != null) {
                watched.cancel();
            }
            client.close();
            backend.close();
            ended.accept(this, cause);
        }
    }

    @Override
    public long deadlineNanos() {
        return closed.get() || idleNanos <= 0 ? 0 : lastActivity + idleNanos;
    }

    @Override
    public void expired(long deadline) {
        if (deadline == deadlineNanos()) {
            close(new TimeoutException("tunnel idle for " + idleNanos / 1_000_000 + " ms"));
        }
    }

    private void moved() {
        lastActivity = ticker.nanos();
    }

    /** One direction: reads from one end, writes to the other, then reads again. */
    private static final class Direction implements TunnelEnd.Reader {

        private final Tunnel tunnel;
        private final TunnelEnd from;
        private final TunnelEnd to;
        private final AtomicInteger demands = new AtomicInteger();

        Direction(Tunnel tunnel, TunnelEnd from, TunnelEnd to) {
            this.tunnel = tunnel;
            this.from = from;
            this.to = to;
        }

        /** Asks for the next bytes; a demand made while a read is being asked for runs when that call returns. */
        void demand() {
            if (demands.getAndIncrement() != 0) {
                return;
            }
            do {
                if (!tunnel.closed()) {
                    from.read(this);
                }
            } while (demands.decrementAndGet() != 0);
        }

        @Override
        public void bytes(ByteBuffer bytes, Runnable consumed) {
            tunnel.moved();
            to.write(bytes, new WriteCallback() {
                @Override
                public void succeeded() {
                    consumed.run();
                    tunnel.moved();
                    demand();
                }

                @Override
                public void failed(Throwable failure) {
                    consumed.run();
                    tunnel.close(failure);
                }
            });
        }

        @Override
        public void ended() {
            to.shutdownOutput();
            if (tunnel.openDirections.decrementAndGet() == 0) {
                tunnel.close(null);
            }
        }

        @Override
        public void failed(Throwable cause) {
            tunnel.close(cause);
        }
    }
}
