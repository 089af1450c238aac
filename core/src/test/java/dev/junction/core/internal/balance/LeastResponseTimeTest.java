package dev.junction.core.internal.balance;

import static dev.junction.core.internal.balance.TestPools.pool;
import static dev.junction.core.internal.balance.TestPools.selector;
import static dev.junction.core.internal.balance.TestPools.sequence;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.junction.core.internal.FakeTicker;
import dev.junction.core.internal.LiveState;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.Eligibility;
import dev.junction.core.spi.LoadBalancer;
import dev.junction.core.spi.SelectionContext;

class LeastResponseTimeTest {

    private final FakeTicker ticker = new FakeTicker();

    @Test
    void prefersTheFasterBackend() {
        BackendPool pool = pool(ticker, "slow", "fast");
        record(pool.get("slow"), 100);
        record(pool.get("fast"), 10);
        assertThat(sequence(selector(BuiltIns.leastResponseTime(), pool), 5)).isEqualTo("fastfastfastfastfast");
    }

    @Test
    void triesBackendsWithoutSamplesFirst() {
        BackendPool pool = pool(ticker, "measured", "new");
        record(pool.get("measured"), 5);
        assertThat(sequence(selector(BuiltIns.leastResponseTime(), pool), 1)).isEqualTo("new");
    }

    @Test
    void anUnmeasuredBackendWithRequestsInFlightDoesNotTakeEverything() {
        BackendPool pool = pool(ticker, "measured", "new");
        record(pool.get("measured"), 5);
        LiveState.of(pool.get("new")).tryAcquire(0);
        assertThat(sequence(selector(BuiltIns.leastResponseTime(), pool), 1)).isEqualTo("measured");
    }

    @Test
    void theUnmeasuredPenaltyDoesNotFadeWithTime() {
        BackendPool pool = pool(ticker, "measured", "new");
        ticker.advance(Duration.ofMinutes(10));
        record(pool.get("measured"), 5);
        LiveState.of(pool.get("new")).tryAcquire(0);
        ticker.advance(Duration.ofMinutes(50));
        assertThat(sequence(selector(BuiltIns.leastResponseTime(), pool), 1)).isEqualTo("measured");
    }

    @Test
    void weighsRequestsInFlight() {
        BackendPool pool = pool(ticker, "a", "b");
        record(pool.get("a"), 10);
        record(pool.get("b"), 15);
        for (int i = 0; i < 2; i++) {
            LiveState.of(pool.get("a")).tryAcquire(0);
        }
        // a: 10 ms x 3 = 30 > b: 15 ms x 1.
        assertThat(sequence(selector(BuiltIns.leastResponseTime(), pool), 1)).isEqualTo("b");
    }

    @Test
    void aOnceSlowBackendGetsTrafficBackAsItsAverageDecays() {
        BackendPool pool = pool(ticker, "slow", "fast");
        record(pool.get("slow"), 200);
        LoadBalancer.Selector selector = selector(BuiltIns.leastResponseTime(), pool);
        int secondsUntilRetried = -1;
        for (int second = 1; second <= 120; second++) {
            ticker.advance(Duration.ofSeconds(1));
            // The fast backend keeps answering in 10 ms; the slow one gets no traffic and so no samples.
            record(pool.get("fast"), 10);
            if (selector.select(SelectionContext.EMPTY, Eligibility.AVAILABLE).id().equals("slow")) {
                secondsUntilRetried = second;
                break;
            }
        }
        // 200 ms x e^(-t/10 s) < 10 ms once t > 10 s x ln 20, about 30 s.
        assertThat(secondsUntilRetried).isBetween(28, 32);
    }

    @Test
    void equalCostsShareTheTraffic() {
        BackendPool pool = pool(ticker, "a", "b", "c");
        assertThat(sequence(selector(BuiltIns.leastResponseTime(), pool), 6)).isEqualTo("abcabc");
    }

    private static void record(Backend backend, long millis) {
        LiveState.of(backend).recordResponseTime(Duration.ofMillis(millis).toNanos());
    }
}
