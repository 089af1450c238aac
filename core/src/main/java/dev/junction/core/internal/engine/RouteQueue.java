package dev.junction.core.internal.engine;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

import dev.junction.core.config.QueueConfig;
import dev.junction.core.internal.metrics.RouteMeters;
import dev.junction.core.spi.Ticker;

/**
 * The requests of one route that wait for a backend below its {@code maxConcurrent} limit ({@code routes[].queue}),
 * in priority classes, first come, first served within a class. A freed place goes to the waiter whose class rank
 * less its waiting time in {@code aging} steps is lowest (the highest class, unless a lower one has waited long
 * enough to pass it); a full queue makes room for a higher class by shedding the newest waiter of the lowest class
 * waiting. A waiting request holds no thread: it is an entry here and a deadline in the engine's sweep. Whoever
 * takes an entry out (the next request to end on the route, the deadline, the client leaving, a shed) owns what
 * happens to it next, so each waiter is resumed, refused or dropped exactly once.
 *
 * <p>Thread-safe: a monitor around a deque, held for a few field writes.
 */
final class RouteQueue {

    private final int maxWaiting;
    private final long timeoutNanos;
    private final long agingNanos;
    private final Ticker ticker;
    private final List<String> classes;
    /** The waiters of each class, highest class first. */
    private final ArrayDeque<Waiter>[] waiting;
    private int size;
    /** The highest class (lowest rank) waiting now; {@link Integer#MAX_VALUE} when none waits. */
    private volatile int bestRank = Integer.MAX_VALUE;
    private final LongAdder queued = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder expired = new LongAdder();
    private final LongAdder waitedNanos = new LongAdder();
    private final LongAdder shed = new LongAdder();
    private final RouteMeters meters;
    private final Admission admission;

    @SuppressWarnings("unchecked")
    RouteQueue(QueueConfig config, Ticker ticker, RouteMeters meters, Admission admission) {
        this.admission = admission;
        this.meters = meters;
        this.maxWaiting = config.maxWaiting();
        this.timeoutNanos = config.timeout().toNanos();
        this.agingNanos = config.aging().toNanos();
        this.ticker = ticker;
        this.classes = config.classes();
        this.waiting = new ArrayDeque[classes.size()];
        for (int i = 0; i < waiting.length; i++) {
            waiting[i] = new ArrayDeque<>();
        }
    }

    /** Returns the class names, highest first. */
    List<String> classes() {
        return classes;
    }

    /**
     * Returns the route's queue, or null if the route has none.
     *
     * @param meters where the waits are recorded
     * @param admission the gateway's cap on requests waiting across routes
     */
    static @Nullable RouteQueue of(QueueConfig config, Ticker ticker, RouteMeters meters, Admission admission) {
        return config.enabled() ? new RouteQueue(config, ticker, meters, admission) : null;
    }

    /**
     * Puts {@code exchange} at the end of its class {@code rank} (0 the highest); returns its place, or null if the
     * queue is full of requests of its class or higher (counted as refused). A full queue with a lower class waiting
     * sheds the newest of the lowest class to make room: that one is answered {@code 503} by the caller's thread.
     */
    @Nullable Waiter offer(ProxyExchange exchange, int rank) {
        Waiter waiter = new Waiter(exchange, ticker.nanos(), rank);
        Waiter evicted = null;
        synchronized (this) {
            // Full: the route's own queue, or the gateway's queues together. A shed waiter's place is taken over.
            if (size >= maxWaiting || !admission.takeQueuePlace()) {
                evicted = lowestBelow(rank);
                if (evicted == null) {
                    refused.increment();
                    return null;
                }
                size--;
            }
            waiting[rank].addLast(waiter);
            size++;
            bestRank = Math.min(bestRank, rank);
        }
        queued.increment();
        if (evicted != null) {
            shed(evicted, rank);
        }
        return waiter;
    }

    /** Refuses a waiter taken out to make room for a request of class {@code forRank}. */
    private void shed(Waiter evicted, int forRank) {
        evicted.done(ticker.nanos(), waitedNanos);
        evicted.cancel();
        shed.increment();
        evicted.exchange.queueShed(evicted.waitedNanos(), classes.get(forRank));
    }

    /** Takes out the newest waiter of the lowest class below {@code rank}, or returns null if none waits. */
    private @Nullable Waiter lowestBelow(int rank) {
        for (int i = waiting.length - 1; i > rank; i--) {
            Waiter newest = waiting[i].pollLast();
            if (newest != null) {
                updateBestRank();
                return newest;
            }
        }
        return null;
    }

    /**
     * Puts a waiter that was woken and found every backend full again back at the head of its class, where it was:
     * its deadline still runs from when it first came. Returns false if the queue is full meanwhile.
     */
    boolean requeue(Waiter waiter) {
        Waiter evicted = null;
        synchronized (this) {
            if (size >= maxWaiting || !admission.takeQueuePlace()) {
                // Full meanwhile: a lower class makes room, as for an arrival of this class.
                evicted = lowestBelow(waiter.rank);
                if (evicted == null) {
                    return false;
                }
                size--;
            }
            waiting[waiter.rank].addFirst(waiter);
            size++;
            bestRank = Math.min(bestRank, waiter.rank);
        }
        if (evicted != null) {
            shed(evicted, waiter.rank);
        }
        return true;
    }

    /** Returns whether any request waits (cheap: no class need be worked out when none does). */
    boolean anyWaiting() {
        return bestRank != Integer.MAX_VALUE;
    }

    /**
     * Returns whether a request of a higher class than {@code rank} (0 the highest) waits: then an arriving request of
     * class {@code rank} must wait behind it rather than take a place that frees first.
     */
    boolean higherWaiting(int rank) {
        return bestRank < rank;
    }

    /** Works out the highest class waiting again, after a waiter left; under the queue's lock. */
    private void updateBestRank() {
        int best = Integer.MAX_VALUE;
        for (int i = 0; i < waiting.length; i++) {
            if (!waiting[i].isEmpty()) {
                best = i;
                break;
            }
        }
        bestRank = best;
    }

    /** Takes out the waiter a freed place goes to, now the caller's to resume; null if none waits. */
    @Nullable Waiter poll() {
        Waiter waiter;
        long now = ticker.nanos();
        synchronized (this) {
            int best = -1;
            long bestScore = Long.MAX_VALUE;
            for (int i = 0; i < waiting.length; i++) {
                Waiter head = waiting[i].peekFirst();
                if (head == null) {
                    continue;
                }
                // Rank in aging steps, less the time waited: each step waited counts as one class higher.
                long score = agingNanos == 0 ? i : i * agingNanos - (now - head.since);
                if (score < bestScore) {
                    bestScore = score;
                    best = i;
                }
            }
            if (best < 0) {
                return null;
            }
            waiter = waiting[best].pollFirst();
            size--;
            updateBestRank();
        }
        admission.giveQueuePlace();
        waiter.done(now, waitedNanos);
        return waiter;
    }

    /** Takes {@code waiter} out if it still waits; returns whether this call did (and so owns what follows). */
    boolean remove(Waiter waiter) {
        boolean removed;
        synchronized (this) {
            removed = waiting[waiter.rank].remove(waiter);
            if (removed) {
                size--;
                updateBestRank();
            }
        }
        if (removed) {
            admission.giveQueuePlace();
            waiter.done(ticker.nanos(), waitedNanos);
        }
        return removed;
    }

    /** Returns how many requests wait now. */
    synchronized int depth() {
        return size;
    }

    /** Returns how many requests of each class wait now, highest class first. */
    synchronized int[] depthByClass() {
        int[] depths = new int[waiting.length];
        for (int i = 0; i < waiting.length; i++) {
            depths[i] = waiting[i].size();
        }
        return depths;
    }

    /** Returns how many waiters were shed to make room for a higher class. */
    long shed() {
        return shed.sum();
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
        private final int rank;
        private volatile long deadline;
        private volatile Deadlines.@Nullable Ticket ticket;
        /** Set once its wait is counted: a waiter put back at the head is counted when it first left. */
        private boolean counted;

        Waiter(ProxyExchange exchange, long since, int rank) {
            this.exchange = exchange;
            this.since = since;
            this.rank = rank;
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

        private void done(long now, LongAdder total) {
            synchronized (this) {
                if (counted) {
                    return;
                }
                counted = true;
            }
            total.add(now - since);
            meters.queueWaited(classes.get(rank), now - since);
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
