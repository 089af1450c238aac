package dev.junction.core.internal.resilience;

import java.util.concurrent.atomic.AtomicLongArray;

import dev.junction.core.spi.Ticker;

/**
 * Caps a route's retries at a share of its recent requests plus a small allowance per second, as Finagle's and
 * Envoy's retry budgets do, so that a backend outage cannot multiply the load on what is left: over the last
 * {@value #WINDOW_SECONDS} seconds, retries may be at most {@code percent}% of requests plus {@code minPerSecond} for
 * each of those seconds.
 *
 * <p>Thread-safe and lock-free: one compare-and-set per request, in a ring of per-second counters.
 */
public final class RetryBudget {

    /** The seconds the budget looks back over. */
    public static final int WINDOW_SECONDS = 10;
    private static final int COUNT_BITS = 24;
    private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;

    private final int percent;
    private final int minPerSecond;
    private final Ticker ticker;
    /** Per second of the ring: the second in the high bits, the count in the low {@value #COUNT_BITS}. */
    private final AtomicLongArray requests = new AtomicLongArray(WINDOW_SECONDS);
    private final AtomicLongArray retries = new AtomicLongArray(WINDOW_SECONDS);

    public RetryBudget(int percent, int minPerSecond, Ticker ticker) {
        this.percent = percent;
        this.minPerSecond = minPerSecond;
        this.ticker = ticker;
    }

    /** Counts a request of the route (not a retry). */
    public void deposit() {
        add(requests, second());
    }

    /** Takes one retry from the budget; returns false, and takes nothing, if it is spent. */
    public boolean tryWithdraw() {
        long now = second();
        long allowed = sum(requests, now) * percent / 100 + (long) minPerSecond * WINDOW_SECONDS;
        if (sum(retries, now) >= allowed) {
            return false;
        }
        add(retries, now);
        return true;
    }

    private long second() {
        return ticker.nanos() / 1_000_000_000L;
    }

    private static void add(AtomicLongArray ring, long second) {
        int slot = (int) Math.floorMod(second, (long) WINDOW_SECONDS);
        long stamp = second << COUNT_BITS;
        while (true) {
            long current = ring.get(slot);
            long next = (current & ~COUNT_MASK) == stamp ? Math.min(current + 1, stamp | COUNT_MASK) : stamp | 1;
            if (ring.compareAndSet(slot, current, next)) {
                return;
            }
        }
    }

    private static long sum(AtomicLongArray ring, long now) {
        long total = 0;
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            long value = ring.get(i);
            long second = value >>> COUNT_BITS;
            if (second > now - WINDOW_SECONDS && second <= now) {
                total += value & COUNT_MASK;
            }
        }
        return total;
    }
}
