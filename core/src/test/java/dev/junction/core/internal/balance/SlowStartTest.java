package dev.junction.core.internal.balance;

import static dev.junction.core.internal.balance.TestPools.backend;
import static dev.junction.core.internal.balance.TestPools.pool;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.junction.core.config.SlowStartConfig;
import dev.junction.core.config.WhenAllDown;
import dev.junction.core.internal.FakeTicker;
import dev.junction.core.internal.LiveState;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.LoadBalancer;
import dev.junction.core.spi.SelectionContext;

class SlowStartTest {

    private static final SlowStartConfig TEN_SECONDS = new SlowStartConfig(Duration.ofSeconds(10), 10);
    private static final int PICKS = 20_000;

    private final FakeTicker ticker = new FakeTicker();

    @Test
    void aRampingBackendTakesAShareGrowingLinearlyFromTheMinimumToItsWhole() {
        BackendPool pool = pool(ticker, "a", "b");
        RouteBalancer balancer = balancer(pool, BuiltIns.roundRobin());
        balancer.startRamp(pool.get("b"));

        // b keeps 10%, then 50%, then 90% of its turns; a turn it gives up goes to a, and round-robin moves on, so b
        // takes what a weight scaled by its ramp share would give it: s / (1 + s).
        assertThat(shareOf("b", balancer)).isCloseTo(0.1 / 1.1, within(0.01));
        ticker.advance(Duration.ofSeconds(5));
        assertThat(shareOf("b", balancer)).isCloseTo(0.5 / 1.5, within(0.015));
        ticker.advance(Duration.ofSeconds(4));
        assertThat(shareOf("b", balancer)).isCloseTo(0.9 / 1.9, within(0.015));
        ticker.advance(Duration.ofSeconds(1));
        assertThat(shareOf("b", balancer)).isEqualTo(0.5);
    }

    @Test
    void weightedStrategiesRampTheWeightedShare() {
        BackendPool pool = pool(ticker, "a:3", "b:1");
        RouteBalancer balancer = balancer(pool, BuiltIns.weightedRoundRobin());
        balancer.startRamp(pool.get("a"));
        ticker.advance(Duration.ofSeconds(5));
        // Half-way, a keeps half of its turns (75% of the schedule); the turns it gives up go to b.
        assertThat(shareOf("a", balancer)).isCloseTo(0.375, within(0.02));
    }

    @Test
    void leastConnectionsDoesNotFloodAnIdleNewBackend() {
        BackendPool pool = pool(ticker, "a", "b");
        for (int i = 0; i < 50; i++) {
            LiveState.of(pool.get("a")).tryAcquire(0);
        }
        RouteBalancer balancer = balancer(pool, BuiltIns.leastConnections());
        assertThat(shareOf("b", balancer)).as("without a ramp, the idle backend wins every pick").isEqualTo(1.0);

        balancer.startRamp(pool.get("b"));
        assertThat(shareOf("b", balancer)).isCloseTo(0.10, within(0.015));
        ticker.advance(Duration.ofSeconds(7));
        assertThat(shareOf("b", balancer)).isCloseTo(0.70, within(0.015));
    }

    @Test
    void keyedStrategiesAreLeftAlone() {
        BackendPool pool = pool(ticker, "a", "b");
        RouteBalancer balancer = balancer(pool, BuiltIns.ipHash());
        balancer.startRamp(pool.get("b"));
        SelectionContext client = SelectionContext.of("192.0.2.7", "/", java.util.Map.of(), java.util.Map.of());
        Backend first = balancer.select(client);
        for (int i = 0; i < 1000; i++) {
            assertThat(balancer.select(client)).isSameAs(first);
        }
    }

    @Test
    void aRampingPrimaryNeverSendsItsTrafficToTheBackups() {
        BackendPool pool = pool(ticker, "a", "x:1:backup");
        RouteBalancer balancer = balancer(pool, BuiltIns.roundRobin());
        balancer.startRamp(pool.get("a"));
        assertThat(shareOf("a", balancer)).isEqualTo(1.0);
    }

    @Test
    void backendsAddedOrEnabledAgainRampButNotThoseTheRouteStartedWith() {
        BackendPool pool = pool(ticker, "a", "b");
        RouteBalancer balancer = balancer(pool, BuiltIns.roundRobin());
        assertThat(shareOf("b", balancer)).isEqualTo(0.5);

        pool.add(backend("c"));
        assertThat(shareOf("c", balancer)).isCloseTo(0.1 / 2.1, within(0.01));

        ticker.advance(Duration.ofSeconds(10));
        pool.update(backend("a").toBuilder().disabled(true).build());
        pool.update(backend("a"));
        assertThat(shareOf("a", balancer)).isCloseTo(0.1 / 2.1, within(0.01));
        assertThat(shareOf("c", balancer)).as("c's ramp is over").isCloseTo(1 / 2.1, within(0.015));
    }

    @Test
    void aRouteWithoutSlowStartNeverRamps() {
        BackendPool pool = pool(ticker, "a", "b");
        RouteBalancer balancer = new RouteBalancer(pool, BuiltIns.roundRobin(), WhenAllDown.FAIL, 0,
                SlowStartConfig.NONE, RandomSource.seeded(1));
        balancer.startRamp(pool.get("b"));
        assertThat(shareOf("b", balancer)).isEqualTo(0.5);
    }

    private RouteBalancer balancer(BackendPool pool, LoadBalancer strategy) {
        return new RouteBalancer(pool, strategy, WhenAllDown.FAIL, 0, TEN_SECONDS, RandomSource.seeded(42));
    }

    private static double shareOf(String id, RouteBalancer balancer) {
        int hits = 0;
        for (int i = 0; i < PICKS; i++) {
            Backend backend = balancer.select(SelectionContext.EMPTY);
            if (backend != null && backend.id().equals(id)) {
                hits++;
            }
        }
        return (double) hits / PICKS;
    }

    private static org.assertj.core.data.Offset<Double> within(double offset) {
        return org.assertj.core.data.Offset.offset(offset);
    }
}
