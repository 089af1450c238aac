package dev.junction.core.internal.balance;

import static dev.junction.core.internal.balance.TestPools.selector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.junction.core.internal.FakeTicker;
import dev.junction.core.internal.LiveState;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Availability;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.Eligibility;
import dev.junction.core.spi.LoadBalancer;
import dev.junction.core.spi.SelectionContext;

/**
 * The load-aware strategies over groups larger than their choices: a few backends drawn in proportion to weight
 * (Walker's alias method) instead of a scan. Seeded, so the statistical bounds hold for these seeds every time.
 */
class SampledSelectionTest {

    private final FakeTicker ticker = new FakeTicker();

    @Test
    void drawsFollowTheWeights() {
        BackendPool pool = TestPools.pool(ticker, "a:1", "b:2", "c:3", "d:4", "e:10");
        WeightedDraw draw = new WeightedDraw(pool.all().toArray(new Backend[0]));
        RandomSource random = RandomSource.seeded(23);
        Map<String, Integer> counts = new HashMap<>();
        int draws = 200_000;
        for (int i = 0; i < draws; i++) {
            counts.merge(draw.next(random).id(), 1, Integer::sum);
        }
        // Within 1.5% of the draws of each share (about six standard deviations).
        int[] weights = {1, 2, 3, 4, 10};
        for (int i = 0; i < weights.length; i++) {
            String id = pool.all().get(i).id();
            assertThat(counts.get(id)).as(id).isCloseTo(draws * weights[i] / 20, within(draws * 15 / 1000));
        }
    }

    @Test
    void leastConnectionsOverALargePoolNeverPicksTheBusiestAndSpreadsTheRest() {
        BackendPool pool = pool(40);
        Backend busy = pool.all().get(0);
        for (int i = 0; i < 50; i++) {
            LiveState.of(busy).tryAcquire(0);
        }
        LoadBalancer.Selector selector = selector(
                new LeastConnectionsLoadBalancer(LeastConnectionsLoadBalancer.DEFAULT_CHOICES,
                        RandomSource.seeded(29)), pool);
        Map<String, Integer> counts = simulate(selector, 40_000, 4);
        // Drawn with another, the busiest always loses; only when both draws land on it does it serve.
        assertThat(counts.getOrDefault(busy.id(), 0)).isLessThan(20);
        assertThat(counts).hasSize(40);
        int fewest = counts.entrySet().stream().filter(e -> !e.getKey().equals(busy.id()))
                .mapToInt(Map.Entry::getValue).min().orElseThrow();
        assertThat(fewest).as("every other backend serves").isGreaterThan(500);
    }

    @Test
    void leastConnectionsOverALargePoolKeepsTheWeights() {
        List<String> specs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            specs.add("b" + i + ":" + (i < 10 ? 3 : 1));
        }
        BackendPool pool = TestPools.pool(ticker, specs.toArray(new String[0]));
        LoadBalancer.Selector selector = selector(
                new LeastConnectionsLoadBalancer(LeastConnectionsLoadBalancer.DEFAULT_CHOICES,
                        RandomSource.seeded(31)), pool);
        Map<String, Integer> counts = simulate(selector, 50_000, 20);
        // Ten backends of weight 3 among twenty of weight 1: 30 of 50 weight units, so 60% of the requests.
        assertThat(shareOfFirst(10, counts)).isBetween(0.55, 0.65);
    }

    @Test
    void drawsThatKeepMissingFallBackToTheScan() {
        BackendPool pool = pool(64);
        for (Backend backend : pool.all()) {
            if (!backend.id().equals("b17")) {
                LiveState.of(backend).availability(Availability.UNHEALTHY);
            }
        }
        for (LoadBalancer strategy : List.of(
                new LeastConnectionsLoadBalancer(LeastConnectionsLoadBalancer.DEFAULT_CHOICES, RandomSource.seeded(37)),
                new LeastResponseTimeLoadBalancer(LeastResponseTimeLoadBalancer.DEFAULT_CHOICES,
                        RandomSource.seeded(37)))) {
            assertThat(TestPools.sequence(selector(strategy, pool), 20)).isEqualTo("b17".repeat(20));
            LiveState.of(pool.get("b17")).availability(Availability.UNHEALTHY);
            assertThat(TestPools.sequence(selector(strategy, pool), 1)).isEqualTo("-");
            LiveState.of(pool.get("b17")).availability(Availability.HEALTHY);
        }
    }

    @Test
    void leastResponseTimeOverALargePoolSendsLittleToTheSlowBackends() {
        BackendPool pool = pool(40);
        for (int i = 0; i < 40; i++) {
            long millis = i < 4 ? 500 : 10;
            LiveState.of(pool.all().get(i)).recordResponseTime(Duration.ofMillis(millis).toNanos());
        }
        LoadBalancer.Selector selector = selector(
                new LeastResponseTimeLoadBalancer(LeastResponseTimeLoadBalancer.DEFAULT_CHOICES,
                        RandomSource.seeded(41)), pool);
        Map<String, Integer> counts = simulate(selector, 20_000, 4);
        // A slow backend serves only when both draws land on slow ones: (4/40)^2 = 1%.
        assertThat(shareOfFirst(4, counts)).isLessThan(0.02);
    }

    @Test
    void theChoicesOptionScansSmallGroupsWhole() {
        BackendPool pool = pool(12);
        Backend idle = pool.get("b7");
        for (Backend backend : pool.all()) {
            if (backend != idle) {
                LiveState.of(backend).tryAcquire(0);
            }
        }
        LoadBalancer.Selector all = selector(new LeastConnectionsLoadBalancer(
                Choices.fromOptions("least-connections", Map.of("choices", "all"), null), RandomSource.seeded(1)),
                pool);
        assertThat(TestPools.sequence(all, 50)).isEqualTo("b7".repeat(50));
        LoadBalancer.Selector sixteen = selector(new LeastConnectionsLoadBalancer(
                Choices.fromOptions("least-connections", Map.of("choices", "16"), null), RandomSource.seeded(1)),
                pool);
        assertThat(TestPools.sequence(sixteen, 50)).isEqualTo("b7".repeat(50));
    }

    /** Returns the share of the picks that went to backends {@code b0} to {@code b<n-1>}. */
    private static double shareOfFirst(int n, Map<String, Integer> counts) {
        long first = counts.entrySet().stream().filter(e -> Integer.parseInt(e.getKey().substring(1)) < n)
                .mapToLong(Map.Entry::getValue).sum();
        return (double) first / counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    private BackendPool pool(int size) {
        String[] specs = new String[size];
        for (int i = 0; i < size; i++) {
            specs[i] = "b" + i;
        }
        return TestPools.pool(ticker, specs);
    }

    /**
     * Makes {@code selections} picks while requests stay in flight for {@code holding} picks each, so the
     * least-loaded choice sees a moving load, as under real traffic; returns the picks per backend.
     */
    private static Map<String, Integer> simulate(LoadBalancer.Selector selector, int selections, int holding) {
        Map<String, Integer> counts = new HashMap<>();
        Backend[] inFlight = new Backend[holding];
        for (int i = 0; i < selections; i++) {
            int slot = i % holding;
            if (inFlight[slot] != null) {
                LiveState.of(inFlight[slot]).requestEnded(false, 0);
            }
            Backend picked = selector.select(SelectionContext.EMPTY, Eligibility.AVAILABLE);
            LiveState.of(picked).tryAcquire(0);
            inFlight[slot] = picked;
            counts.merge(picked.id(), 1, Integer::sum);
        }
        return counts;
    }
}
