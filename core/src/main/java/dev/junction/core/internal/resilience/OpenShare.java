package dev.junction.core.internal.resilience;

import java.util.concurrent.atomic.AtomicInteger;

import dev.junction.core.pool.BackendPool;

/**
 * How many of a route's breakers are open (or half-open) on their own, against the share the route allows
 * ({@code circuitBreaker.maxOpenPercent}, at least one): a breaker asks before it opens, and one that would go over
 * the share stays closed. Outlier detection's {@code maxEjectionPercent} does the same for ejections.
 *
 * <p>Thread-safe: breakers open and close on whatever thread recorded their last result.
 */
final class OpenShare {

    private final BackendPool pool;
    private final int percent;
    private final AtomicInteger open = new AtomicInteger();

    OpenShare(BackendPool pool, int percent) {
        this.pool = pool;
        this.percent = percent;
    }

    /** Takes a place for a breaker that is opening; false if the route's share is taken. */
    boolean tryOpen() {
        int allowed = allowed();
        while (true) {
            int now = open.get();
            if (now >= allowed) {
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Gives back the place of a breaker that closed again (or left with its backend). */
    void closed() {
        open.decrementAndGet();
    }

    /** Returns how many breakers may be open at once now: the share of the backends there are, at least one. */
    int allowed() {
        return Math.max(1, pool.all().size() * percent / 100);
    }

    /** Returns how many breakers are open now. */
    int open() {
        return open.get();
    }
}
