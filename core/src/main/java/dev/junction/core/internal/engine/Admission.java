package dev.junction.core.internal.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

import dev.junction.core.config.LimitsConfig;

/**
 * The gateway-wide caps of {@code limits.maxExchanges} and {@code limits.maxQueued}: how many exchanges may be in
 * flight across every route, and how many requests may wait in route queues.
 *
 * <p>Each route has a share of the exchanges ({@code maxExchanges / routes}, at least one), which it gets whenever
 * the gateway is below its cap. A route at or above its share may borrow the places other routes leave unused, but
 * only half of them: a quiet route always finds places free when its traffic comes back, and as the borrowed exchanges
 * end, the places go to the route below its share (a borrower needs the other half still free). Shares and borrowing
 * as in Linux's HTB, without its pre-emption: an exchange in flight is never cut to give its place back.
 *
 * <p>Thread-safe and lock-free; without caps configured, every call returns at once.
 */
final class Admission {

    private final int maxExchanges;
    private final int maxQueued;
    private final int share;
    private final AtomicInteger exchanges = new AtomicInteger();
    private final AtomicIntegerArray byRoute;
    private final AtomicInteger queued = new AtomicInteger();
    private final LongAdder refused = new LongAdder();

    Admission(LimitsConfig limits, int routes) {
        this.maxExchanges = limits.maxExchanges();
        this.maxQueued = limits.maxQueued();
        this.share = Math.max(1, maxExchanges / Math.max(1, routes));
        this.byRoute = new AtomicIntegerArray(Math.max(1, routes));
    }

    /**
     * Takes a place for an exchange of the route at {@code index}; returns null, or why not (counting a refusal): the
     * gateway is at its cap, or the route has used its share and what it may borrow. Every null is to be followed by
     * one {@link #exit}.
     */
    @Nullable String enter(int index) {
        if (maxExchanges == 0) {
            return null;
        }
        while (true) {
            int total = exchanges.get();
            if (total >= maxExchanges) {
                refused.increment();
                return "the gateway is at its limit of " + maxExchanges + " exchanges in flight (limits.maxExchanges)";
            }
            if (byRoute.get(index) >= share && total + reservedBesides(index) >= maxExchanges) {
                refused.increment();
                return "the route has its share of the gateway's " + maxExchanges + " exchanges in flight, and the"
                        + " places other routes leave unused are kept for them (limits.maxExchanges)";
            }
            if (exchanges.compareAndSet(total, total + 1)) {
                byRoute.incrementAndGet(index);
                return null;
            }
        }
    }

    /** Returns the places kept for the other routes: half of what they leave unused of their shares, rounded up. */
    private int reservedBesides(int index) {
        int reserved = 0;
        for (int i = 0; i < byRoute.length(); i++) {
            if (i != index) {
                reserved += (Math.max(0, share - byRoute.get(i)) + 1) / 2;
            }
        }
        return reserved;
    }

    /** Gives back the place {@link #enter} took for an exchange of the route at {@code index}. */
    void exit(int index) {
        if (maxExchanges > 0) {
            byRoute.decrementAndGet(index);
            exchanges.decrementAndGet();
        }
    }

    /** Takes a place for a request about to wait in a queue; false when the gateway's queues are full. */
    boolean takeQueuePlace() {
        if (maxQueued == 0) {
            return true;
        }
        while (true) {
            int waiting = queued.get();
            if (waiting >= maxQueued) {
                return false;
            }
            if (queued.compareAndSet(waiting, waiting + 1)) {
                return true;
            }
        }
    }

    /** Gives back a place {@link #takeQueuePlace} took. */
    void giveQueuePlace() {
        if (maxQueued > 0) {
            queued.decrementAndGet();
        }
    }

    /** Returns the exchanges refused at the cap since start. */
    long refused() {
        return refused.sum();
    }
}
