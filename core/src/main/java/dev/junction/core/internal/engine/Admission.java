package dev.junction.core.internal.engine;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>Each route counts its exchanges in a {@link Slot} of its own, which it keeps when the configuration changes
 * around it; the set of routes (and so the share) is replaced as a whole by {@link #routes}. An exchange gives its
 * place back to the slot it took it from, even if its route has left the configuration meanwhile.
 *
 * <p>Thread-safe and lock-free; without caps configured, every call returns at once.
 */
final class Admission {

    /** One route's exchanges in flight, as the caps count them. */
    static final class Slot {

        private final AtomicInteger exchanges = new AtomicInteger();

        int exchanges() {
            return exchanges.get();
        }
    }

    /** The routes sharing the cap and the share of each, replaced together. */
    private record Routes(Slot[] slots, int share) {
    }

    private final int maxExchanges;
    private final int maxQueued;
    private volatile Routes routes;
    private final AtomicInteger exchanges = new AtomicInteger();
    private final AtomicInteger queued = new AtomicInteger();
    private final LongAdder refused = new LongAdder();

    /** Creates the caps of {@code limits}, shared by {@code routes}. */
    Admission(LimitsConfig limits, List<Slot> routes) {
        this.maxExchanges = limits.maxExchanges();
        this.maxQueued = limits.maxQueued();
        routes(routes);
    }

    /** Sets the routes that share the cap, each with an equal share ({@code maxExchanges / routes}, at least one). */
    void routes(List<Slot> slots) {
        this.routes = new Routes(slots.toArray(new Slot[0]), Math.max(1, maxExchanges / Math.max(1, slots.size())));
    }

    /**
     * Takes a place for an exchange of the route counted in {@code slot}; returns null, or why not (counting a
     * refusal): the gateway is at its cap, or the route has used its share and what it may borrow. Every null is to
     * be followed by one {@link #exit} with the same slot.
     */
    @Nullable String enter(Slot slot) {
        if (maxExchanges == 0) {
            return null;
        }
        Routes current = routes;
        while (true) {
            int total = exchanges.get();
            if (total >= maxExchanges) {
                refused.increment();
                return "the gateway is at its limit of " + maxExchanges + " exchanges in flight (limits.maxExchanges)";
            }
            if (slot.exchanges.get() >= current.share && total + reservedBesides(current, slot) >= maxExchanges) {
                refused.increment();
                return "the route has its share of the gateway's " + maxExchanges + " exchanges in flight, and the"
                        + " places other routes leave unused are kept for them (limits.maxExchanges)";
            }
            if (exchanges.compareAndSet(total, total + 1)) {
                slot.exchanges.incrementAndGet();
                return null;
            }
        }
    }

    /** Returns the places kept for the other routes: half of what they leave unused of their shares, rounded up. */
    private static int reservedBesides(Routes current, Slot slot) {
        int reserved = 0;
        for (Slot other : current.slots) {
            if (other != slot) {
                reserved += (Math.max(0, current.share - other.exchanges.get()) + 1) / 2;
            }
        }
        return reserved;
    }

    /** Gives back the place {@link #enter} took for an exchange of the route counted in {@code slot}. */
    void exit(Slot slot) {
        if (maxExchanges > 0) {
            slot.exchanges.decrementAndGet();
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
