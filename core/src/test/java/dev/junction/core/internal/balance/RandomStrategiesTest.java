package dev.junction.core.internal.balance;

import static dev.junction.core.internal.balance.TestPools.pool;
import static dev.junction.core.internal.balance.TestPools.selector;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.junction.core.internal.LiveState;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Availability;
import dev.junction.core.spi.Backend;

/**
 * Statistical checks with fixed seeds: Pearson's chi-square against the expected shares, compared with the critical
 * value at p = 0.001, so a correct strategy fails about once in a thousand seeds and these seeds never.
 */
class RandomStrategiesTest {

    /** Chi-square critical values at p = 0.001 by degrees of freedom. */
    private static final double[] CRITICAL = {0, 10.828, 13.816, 16.266, 18.467};
    private static final int DRAWS = 60_000;

    @Test
    void randomSpreadsUniformlyIgnoringWeights() {
        BackendPool pool = pool("a:5", "b:1", "c:1", "d:1");
        Map<String, Integer> counts = DeterministicStrategiesTest.count(
                selector(BuiltIns.random(RandomSource.seeded(42)), pool), DRAWS);
        assertThat(chiSquare(counts, pool, new double[] {1, 1, 1, 1})).isLessThan(CRITICAL[3]);
    }

    @Test
    void randomSkipsUnavailableBackendsAndStaysUniformOverTheRest() {
        BackendPool pool = pool("a", "b", "c", "d");
        LiveState.of(pool.get("b")).availability(Availability.DRAINING);
        Map<String, Integer> counts = DeterministicStrategiesTest.count(
                selector(BuiltIns.random(RandomSource.seeded(7)), pool), DRAWS);
        assertThat(counts).doesNotContainKey("b");
        assertThat(chiSquare(counts, pool, new double[] {1, 0, 1, 1})).isLessThan(CRITICAL[2]);
    }

    @Test
    void weightedRandomFollowsWeights() {
        BackendPool pool = pool("a:1", "b:2", "c:3", "d:4");
        Map<String, Integer> counts = DeterministicStrategiesTest.count(
                selector(BuiltIns.weightedRandom(RandomSource.seeded(3)), pool), DRAWS);
        assertThat(chiSquare(counts, pool, new double[] {1, 2, 3, 4})).isLessThan(CRITICAL[3]);
    }

    @Test
    void weightedRandomFollowsWeightsOfWhatIsLeftWhenOneIsDown() {
        BackendPool pool = pool("a:1", "b:2", "c:3", "d:4");
        LiveState.of(pool.get("d")).availability(Availability.UNHEALTHY);
        Map<String, Integer> counts = DeterministicStrategiesTest.count(
                selector(BuiltIns.weightedRandom(RandomSource.seeded(5)), pool), DRAWS);
        assertThat(chiSquare(counts, pool, new double[] {1, 2, 3, 0})).isLessThan(CRITICAL[2]);
    }

    @Test
    void powerOfTwoChoicesNeverPicksTheMostLoadedBackend() {
        BackendPool pool = pool("a", "b", "c");
        Backend busy = pool.get("a");
        for (int i = 0; i < 10; i++) {
            LiveState.of(busy).tryAcquire(0);
        }
        Map<String, Integer> counts = DeterministicStrategiesTest.count(
                selector(BuiltIns.powerOfTwoChoices(RandomSource.seeded(11)), pool), DRAWS);
        assertThat(counts).doesNotContainKey("a");
        assertThat(chiSquare(counts, pool, new double[] {0, 1, 1})).isLessThan(CRITICAL[1]);
    }

    @Test
    void powerOfTwoChoicesSpreadsAnIdlePoolEvenly() {
        BackendPool pool = pool("a", "b", "c", "d", "e");
        Map<String, Integer> counts = DeterministicStrategiesTest.count(
                selector(BuiltIns.powerOfTwoChoices(RandomSource.seeded(13)), pool), DRAWS);
        assertThat(chiSquare(counts, pool, new double[] {1, 1, 1, 1, 1})).isLessThan(CRITICAL[4]);
    }

    @Test
    void powerOfTwoChoicesComparesLoadPerUnitOfWeight() {
        BackendPool pool = pool("a:4", "b:1");
        for (int i = 0; i < 3; i++) {
            LiveState.of(pool.get("a")).tryAcquire(0);
        }
        LiveState.of(pool.get("b")).tryAcquire(0);
        // a: 3/4 in flight per weight, b: 1/1; with two backends both are always drawn, so a always wins.
        Map<String, Integer> counts = DeterministicStrategiesTest.count(
                selector(BuiltIns.powerOfTwoChoices(RandomSource.seeded(17)), pool), 1_000);
        assertThat(counts).containsOnlyKeys("a");
    }

    @Test
    void powerOfTwoChoicesFallsBackToTheEligibleBackends() {
        BackendPool pool = pool("a", "b", "c", "d");
        LiveState.of(pool.get("a")).availability(Availability.UNHEALTHY);
        LiveState.of(pool.get("c")).availability(Availability.UNHEALTHY);
        Map<String, Integer> counts = DeterministicStrategiesTest.count(
                selector(BuiltIns.powerOfTwoChoices(RandomSource.seeded(19)), pool), DRAWS);
        assertThat(counts).containsOnlyKeys("b", "d");
        assertThat(chiSquare(counts, pool, new double[] {0, 1, 0, 1})).isLessThan(CRITICAL[1]);
    }

    /** Pearson's statistic of observed counts against shares proportional to {@code expected}, by pool order. */
    private static double chiSquare(Map<String, Integer> counts, BackendPool pool, double[] expected) {
        double totalShare = 0;
        for (double share : expected) {
            totalShare += share;
        }
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        double statistic = 0;
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] == 0) {
                continue;
            }
            double want = total * expected[i] / totalShare;
            double got = counts.getOrDefault(pool.all().get(i).id(), 0);
            statistic += (got - want) * (got - want) / want;
        }
        return statistic;
    }
}
