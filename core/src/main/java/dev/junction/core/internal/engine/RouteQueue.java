package dev.junction.core.internal.engine;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

import dev.junction.core.config.QueueConfig;
import dev.junction.core.spi.Ticker;

/**
 * The requests of one route that wait for a backend below its {@code maxConcurrent} limit ({@code routes[].queue}),
 * first come, first served. A waiting request holds no thread: it is an entry here and a deadline in the engine's
 * sweep. Whoever takes an entry out (the next request to end on the route, the deadline, the client leaving) owns
 * what happens to it next, so each waiter is resumed, refused or dropped exactly once.
 *
 * <p>Thread-safe: a monitor around a deque, held for a few field writes.
 */
final class RouteQueue {

    private final int maxWaiting;
    private final long timeoutNanos;
    private final Ticker ticker;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private final LongAdder queued = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder expired = new LongAdder();
    private final LongAdder waitedNanos = new LongAdder();

    RouteQueue(QueueConfig config, Ticker ticker) {
        this.maxWaiting = config.maxWaiting();
        this.timeoutNanos = config.timeout().toNanos();
        this.ticker = ticker;
    }

    /** Returns the route's queue, or null if the route has none. */
    static @Nullable RouteQueue of(QueueConfig config, Ticker ticker) {
        return config.enabled() ? new RouteQueue(config, ticker) : null;
    }

    /**
     * Puts {@code exchange} at the end of the queue; returns its place, or null if the queue is full (counted as
     * refused).
     */
    @Nullable Waiter offer(ProxyExchange exchange) {
        Waiter waiter = new Waiter(exchange, ticker.nanos());
        synchronized (this) {
            if (waiting.size() >= maxWaiting) {
                refused.increment();
                return null;
            }
            waiting.addLast(waiter);
        }
        queued.increment();
        return waiter;
    }

    /**
     * Puts a waiter that was woken and found every backend full again back at the head of the queue, where it was:
     * its deadline still runs from when it first came. Returns false if the queue is full meanwhile.
     */
    boolean requeue(Waiter waiter) {
        synchronized (this) {
            if (waiting.size() >= maxWaiting) {
                return false;
            }
            waiting.addFirst(waiter);
            return true;
        }
    }

    /** Takes out the first waiter, now the caller's to resume; null if none waits. */
    @Nullable Waiter poll() {
        Waiter waiter;
        synchronized (this) {
            waiter = waiting.pollFirst();
        }
        if (waiter != null) {
            waiter.done(ticker.nanos(), waitedNanos);
        }
        return waiter;
    }

    /** Takes {@code waiter} out if it still waits; returns whether this call did (and so owns what follows). */
    boolean remove(Waiter waiter) {
        boolean removed;
        synchronized (this) {
            removed = waiting.remove(waiter);
        }
        if (removed) {
            waiter.done(ticker.nanos(), waitedNanos);
        }
        return removed;
    }

    /** Returns how many requests wait now. */
    synchronized int depth() {
        return waiting.size();
    }

    /** Returns how many requests have queued so far. */
    long queued() {
        return queued.sum();
    }

    /** Returns how many requests found the queue full. */
    long refused() {
        return refused.sum();
    }

    /** Returns how many requests waited out the timeout. */
    long expired() {
        return expired.sum();
    }

    /** Returns the mean wait of the requests that have left the queue, in milliseconds; 0 before any has. */
    double meanWaitMillis() {
        long left = queued.sum() - depth();
        return left <= 0 ? 0 : waitedNanos.sum() / 1e6 / left;
    }

    /** One waiting request, and its deadline in the engine's sweep. */
    final class Waiter implements Deadlines.Watched {

        private final ProxyExchange exchange;
        private final long since;
        private volatile long deadline;
        private volatile Deadlines.@Nullable Ticket ticket;
        /** Set once its wait is counted: a waiter put back at the head is counted when it first left. */
        private boolean counted;

        Waiter(ProxyExchange exchange, long since) {
            this.exchange = exchange;
            this.since = since;
            this.deadline = since + timeoutNanos;
        }

        ProxyExchange exchange() {
            return exchange;
        }

        void watchedBy(Deadlines.Ticket watching) {
            ticket = watching;
        }

        /** Returns how long it has waited so far. */
        long waitedNanos() {
            return ticker.nanos() - since;
        }

        private synchronized void done(long now, LongAdder total) {
            if (!counted) {
                counted = true;
                total.add(now - since);
            }
        }

        /** Stops the deadline: the waiter has left the queue for good. */
        void cancel() {
            deadline = 0;
            Deadlines.Ticket watching = ticket;
            if (watching != null) {
                watching.cancel();
            }
        }

        @Override
        public long deadlineNanos() {
            return deadline;
        }

        @Override
        public void expired(long at) {
            deadline = 0;
            if (remove(this)) {
                expired.increment();
                exchange.queueTimedOut(waitedNanos());
            }
        }
    }
}
