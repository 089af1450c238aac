package dev.junction.core.internal.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.junction.core.config.AdaptiveConcurrencyConfig;

class ConcurrencyLimiterTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private static ConcurrencyLimiter limiter(String algorithm, int initial, int min, int max, int classes) {
        ConcurrencyLimiter limiter = ConcurrencyLimiter.of(AdaptiveConcurrencyConfig.of(algorithm)
                .withLimits(initial, min, max), classes);
        assertThat(limiter).isNotNull();
        return limiter;
    }

    /** Takes places until the limit refuses one. */
    private static void fill(ConcurrencyLimiter limiter) {
        while (limiter.tryAcquire(0)) {
            // Another request in flight.
        }
    }

    @Test
    void lowerClassesMayUseLessOfTheLimit() {
        ConcurrencyLimiter limiter = limiter("gradient2", 10, 1, 10, 3);

        assertThat(limiter.threshold(0)).isEqualTo(10);
        assertThat(limiter.threshold(1)).isEqualTo(8);
        assertThat(limiter.threshold(2)).isEqualTo(5);
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire(2)).isTrue();
        }
        assertThat(limiter.tryAcquire(2)).isFalse();
        assertThat(limiter.tryAcquire(0)).isTrue();
        assertThat(limiter.shed()).isEqualTo(1);
        assertThat(limiter.inFlight()).isEqualTo(6);
    }

    @Test
    void gradient2LowersTheLimitWhenLatencyGrowsAndKeepsItAboveTheMinimum() {
        ConcurrencyLimiter limiter = limiter("gradient2", 50, 5, 200, 1);
        // Saturated all along (the algorithm learns only from a limit in use): each request that ends is followed by
        // as many as the limit takes.
        fill(limiter);
        long now = 0;
        // Steady: 10 ms at the backends.
        for (int i = 0; i < 1000; i++) {
            limiter.release(now, 10 * MS, false);
            fill(limiter);
            now += MS;
        }
        int steady = limiter.limit();
        // The backends slow down tenfold: requests queue somewhere behind the limit. (Held there long enough, the
        // long-term average catches up and the limit recovers: Gradient2 reacts to change, not to a level.)
        int lowest = steady;
        for (int i = 0; i < 200; i++) {
            limiter.release(now, 100 * MS, false);
            fill(limiter);
            lowest = Math.min(lowest, limiter.limit());
            now += MS;
        }

        assertThat(lowest).isLessThan(steady / 2).isGreaterThanOrEqualTo(5);
    }

    @Test
    void vegasLowersTheLimitWhenRequestsAreDropped() {
        ConcurrencyLimiter limiter = limiter("vegas", 50, 2, 200, 1);
        fill(limiter);
        long now = 0;
        for (int i = 0; i < 200; i++) {
            limiter.release(now, 10 * MS, true);
            fill(limiter);
            now += MS;
        }

        assertThat(limiter.limit()).isLessThan(50).isGreaterThanOrEqualTo(2);
    }
}
