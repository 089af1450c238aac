package dev.junction.core.internal.limit;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limit.VegasLimit;

import dev.junction.core.config.AdaptiveConcurrencyConfig;

/**
 * A route's adaptive concurrency limit: Netflix's algorithm ({@link Gradient2Limit} or {@link VegasLimit}) finds the
 * limit from the latency of the requests that end; this class keeps the count in flight against it, per priority
 * class. A request of the highest class may take a place while fewer than the limit are in flight, one of the lowest
 * class while fewer than half of it are, the classes between in even steps: as the limit falls, the lowest classes are
 * refused first.
 *
 * <p>Thread-safe: the count is lock-free; the algorithm takes its samples under its own lock.
 */
public final class ConcurrencyLimiter {

    private final Limit limit;
    private final String algorithm;
    private final int minLimit;
    private final int classes;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder shed = new LongAdder();

    ConcurrencyLimiter(Limit limit, String algorithm, int minLimit, int classes) {
        this.limit = limit;
        this.algorithm = algorithm;
        this.minLimit = minLimit;
        this.classes = Math.max(1, classes);
    }

    /**
     * Returns the limiter of a route's configuration, or null when it has none.
     *
     * @param classes how many priority classes the route's requests come in
     */
    public static @Nullable ConcurrencyLimiter of(AdaptiveConcurrencyConfig config, int classes) {
        if (!config.enabled()) {
            return null;
        }
        Limit limit = config.algorithm().equals("vegas")
                ? VegasLimit.newBuilder().initialLimit(config.initialLimit()).maxConcurrency(config.maxLimit()).build()
                : Gradient2Limit.newBuilder().initialLimit(config.initialLimit()).minLimit(config.minLimit())
                        .maxConcurrency(config.maxLimit()).build();
        return new ConcurrencyLimiter(limit, config.algorithm(), config.minLimit(), classes);
    }

    /** Returns the limit now. */
    public int limit() {
        return Math.max(minLimit, limit.getLimit());
    }

    /** Returns the most requests of class {@code rank} (0 the highest) that may be in flight now, at least one. */
    int threshold(int rank) {
        int now = limit();
        if (classes == 1) {
            return now;
        }
        double share = 1.0 - 0.5 * Math.min(rank, classes - 1) / (classes - 1);
        return Math.max(1, (int) Math.ceil(now * share));
    }

    /** Takes a place for a request of class {@code rank}; returns false, counting it shed, when there is none. */
    public boolean tryAcquire(int rank) {
        int threshold = threshold(rank);
        while (true) {
            int current = inFlight.get();
            if (current >= threshold) {
                shed.increment();
                return false;
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /**
     * Gives a place back with what the request says of the backends: its latency to the response head
     * ({@code rttNanos}), or {@code dropped} when it failed or timed out there.
     */
    public void release(long startNanos, long rttNanos, boolean dropped) {
        int was = inFlight.getAndDecrement();
        limit.onSample(startNanos, Math.max(1, rttNanos), was, dropped);
    }

    /** Gives a place back without a sample: the request says nothing of the backends (the client left, say). */
    public void releaseUnsampled() {
        inFlight.decrementAndGet();
    }

    /** Returns the requests in flight under the limit now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Returns the requests refused since start. */
    public long shed() {
        return shed.sum();
    }

    /** Returns the algorithm's name. */
    public String algorithm() {
        return algorithm;
    }
}
