package dev.junction.core.forward;

import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.util.thread.Scheduler;
import org.jspecify.annotations.Nullable;

/**
 * The connect and response deadlines of every attempt in flight, checked by one periodic sweep. A timer per request
 * would cost a scheduler insertion and a cancellation on every request, nearly all of them for nothing. Here an
 * attempt is queued once (one CAS); it then moves its own deadline (connect, none, response, none) with plain
 * volatile writes, and the sweep drops it once it is done. Expiry is late by at most one tick.
 *
 * <p>Thread-safe.
 */
final class Deadlines {

    /** Something with deadlines: told when one has passed. */
    interface Watched {

        /** Returns the current deadline in {@link System#nanoTime()} terms, or 0 for none now. */
        long deadlineNanos();

        /** Returns whether it is over: the sweep forgets it. */
        boolean done();

        /** Called on the scheduler's thread when the deadline {@code deadline} has passed. */
        void expired(long deadline);
    }

    private final ConcurrentLinkedQueue<Watched> watched = new ConcurrentLinkedQueue<>();
    private final long tickMillis;
    private @Nullable Scheduler scheduler;
    private Scheduler.@Nullable Task task;
    private boolean running;

    /** Creates deadlines checked every {@code tickMillis}. */
    Deadlines(long tickMillis) {
        this.tickMillis = tickMillis;
    }

    /** Returns the tick for these timeouts: a tenth of the shortest, between 10 ms and 250 ms. */
    static long tickFor(long shortestTimeoutMillis) {
        return Math.max(10, Math.min(250, shortestTimeoutMillis / 10));
    }

    synchronized void start(Scheduler scheduler) {
        this.scheduler = scheduler;
        running = true;
        task = scheduler.schedule(this::sweep, tickMillis, TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
        running = false;
        if (task != null) {
            task.cancel();
        }
        watched.clear();
    }

    /** Watches an attempt until it is {@link Watched#done()}. */
    void watch(Watched item) {
        watched.add(item);
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Iterator<Watched> items = watched.iterator(); items.hasNext(); ) {
            Watched item = items.next();
            if (item.done()) {
                items.remove();
                continue;
            }
            long deadline = item.deadlineNanos();
            if (deadline != 0 && now - deadline >= 0) {
                item.expired(deadline);
            }
        }
        synchronized (this) {
            if (running && scheduler != null) {
                task = scheduler.schedule(this::sweep, tickMillis, TimeUnit.MILLISECONDS);
            }
        }
    }
}
