package dev.junction.core.internal.engine;

import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import dev.junction.core.spi.Scheduler;
import dev.junction.core.spi.Ticker;

/**
 * The connect and response deadlines of every attempt in flight, checked by one periodic sweep. A timer per request
 * would cost a scheduler insertion and a cancellation on every request, nearly all of them for nothing. Here an
 * attempt is queued once (one CAS); it then moves its own deadline (connect, none, response, none) with plain
 * volatile writes, and cancels its {@link Ticket} when it is over. Expiry is late by at most one tick.
 *
 * <p>The queue holds tickets, not attempts: a cancelled ticket lets go of its attempt at once, so what waits for the
 * next sweep is a few bytes, not a finished exchange with its request, headers and buffers. (Holding the attempts
 * until the sweep kept a quarter-second of traffic reachable: young collections copied megabytes of it each time.)
 *
 * <p>Thread-safe.
 */
final class Deadlines {

    /** Something with deadlines: told when one has passed. */
    interface Watched {

        /** Returns the current deadline in the ticker's terms, or 0 for none now. */
        long deadlineNanos();

        /** Called on the scheduler's thread when the deadline {@code deadline} has passed. */
        void expired(long deadline);
    }

    /** An item's place in the sweep; {@link #cancel() cancelled} once the item has no more deadlines. */
    static final class Ticket {

        private volatile @Nullable Watched item;

        private Ticket(Watched item) {
            this.item = item;
        }

        /** Forgets the item: it is never expired after this, and the sweep drops the ticket. */
        void cancel() {
            item = null;
        }
    }

    private final ConcurrentLinkedQueue<Ticket> tickets = new ConcurrentLinkedQueue<>();
    private final long tickMillis;
    private final Ticker ticker;
    private @Nullable Scheduler scheduler;
    private Scheduler.@Nullable Task task;
    private boolean running;

    /** Creates deadlines checked every {@code tickMillis}, in {@code ticker}'s time. */
    Deadlines(long tickMillis, Ticker ticker) {
        this.tickMillis = tickMillis;
        this.ticker = ticker;
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
        tickets.clear();
    }

    /** Watches an item until its ticket is cancelled. */
    Ticket watch(Watched item) {
        Ticket ticket = new Ticket(item);
        tickets.add(ticket);
        return ticket;
    }

    /** Returns how many tickets wait for the sweep, cancelled ones included. */
    int size() {
        return tickets.size();
    }

    private void sweep() {
        long now = ticker.nanos();
        for (Iterator<Ticket> each = tickets.iterator(); each.hasNext(); ) {
            Watched item = each.next().item;
            if (item == null) {
                each.remove();
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
