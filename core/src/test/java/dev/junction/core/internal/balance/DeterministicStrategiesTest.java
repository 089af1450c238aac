package dev.junction.core.internal.balance;

import static dev.junction.core.internal.balance.TestPools.pool;
import static dev.junction.core.internal.balance.TestPools.selector;
import static dev.junction.core.internal.balance.TestPools.sequence;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.junction.core.internal.LiveState;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Availability;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.Eligibility;
import dev.junction.core.spi.LoadBalancer;
import dev.junction.core.spi.SelectionContext;

class DeterministicStrategiesTest {

    @Test
    void roundRobinServesEachBackendInTurnIgnoringWeights() {
        BackendPool pool = pool("a:5", "b", "c");
        assertThat(sequence(selector(BuiltIns.roundRobin(), pool), 7)).isEqualTo("abcabca");
    }

    @Test
    void roundRobinSkipsUnhealthyBackendsWithoutDoublingTheNextOne() {
        BackendPool pool = pool("a", "b", "c", "d");
        LiveState.of(pool.get("b")).availability(Availability.UNHEALTHY);
        Map<String, Integer> counts = count(selector(BuiltIns.roundRobin(), pool), 300);
        assertThat(counts).containsOnlyKeys("a", "c", "d");
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isEqualTo(100));
    }

    @Test
    void roundRobinSharesEvenlyWhenEveryOtherBackendIsDown() {
        BackendPool pool = pool("a", "b", "c", "d");
        LiveState.of(pool.get("b")).availability(Availability.UNHEALTHY);
        LiveState.of(pool.get("d")).availability(Availability.UNHEALTHY);
        assertThat(count(selector(BuiltIns.roundRobin(), pool), 400)).containsEntry("a", 200).containsEntry("c", 200);
    }

    @Test
    void smoothWeightedRoundRobinFollowsNginxSequence() {
        BackendPool pool = pool("a:5", "b:1", "c:1");
        assertThat(sequence(selector(BuiltIns.weightedRoundRobin(), pool), 14)).isEqualTo("aabacaaaabacaa");
    }

    @Test
    void smoothWeightedRoundRobinReducesWeightsByTheirCommonDivisor() {
        BackendPool pool = pool("a:10", "b:20");
        assertThat(sequence(selector(BuiltIns.weightedRoundRobin(), pool), 6)).isEqualTo("babbab");
    }

    @Test
    void smoothWeightedRoundRobinWithEqualWeightsIsRoundRobin() {
        BackendPool pool = pool("a:2", "b:2", "c:2");
        assertThat(sequence(selector(BuiltIns.weightedRoundRobin(), pool), 6)).isEqualTo("abcabc");
    }

    @Test
    void smoothWeightedRoundRobinKeepsWeightProportionsWhenOneIsDown() {
        BackendPool pool = pool("a:5", "b:2", "c:1");
        LiveState.of(pool.get("a")).availability(Availability.UNHEALTHY);
        Map<String, Integer> counts = count(selector(BuiltIns.weightedRoundRobin(), pool), 8_000);
        assertThat(counts).containsOnlyKeys("b", "c");
        assertThat(counts.get("b")).isBetween(5_200, 5_470);
    }

    @Test
    void leastConnectionsPicksFewestInFlightPerWeight() {
        BackendPool pool = pool("a:1", "b:3", "c:1");
        acquire(pool.get("a"), 2);
        acquire(pool.get("b"), 3);
        acquire(pool.get("c"), 1);
        // a: 2/1, b: 3/3 = 1, c: 1/1 = 1; b and c tie and take turns by weight, 3 to 1.
        LoadBalancer.Selector selector = selector(BuiltIns.leastConnections(), pool);
        assertThat(count(selector, 8)).containsOnlyKeys("b", "c").containsEntry("b", 6).containsEntry("c", 2);
        acquire(pool.get("c"), 1);
        assertThat(sequence(selector, 3)).isEqualTo("bbb");
    }

    @Test
    void leastConnectionsRotatesAmongIdleBackends() {
        BackendPool pool = pool("a", "b", "c");
        assertThat(sequence(selector(BuiltIns.leastConnections(), pool), 6)).isEqualTo("abcabc");
    }

    @Test
    void leastConnectionsKeepsWeightsAmongIdleBackends() {
        BackendPool pool = pool("a:5", "b:1", "c:1");
        assertThat(count(selector(BuiltIns.leastConnections(), pool), 70))
                .containsEntry("a", 50).containsEntry("b", 10).containsEntry("c", 10);
    }

    @Test
    void backendsAtTheirConcurrencyLimitAreSkipped() {
        BackendPool pool = BackendPool.of(java.util.List.of(
                TestPools.backend("a").toBuilder().maxConcurrent(1).build(), TestPools.backend("b")),
                dev.junction.core.spi.Ticker.system());
        assertThat(LiveState.of(pool.get("a")).tryAcquire(1)).isTrue();
        assertThat(LiveState.of(pool.get("a")).tryAcquire(1)).isFalse();
        for (LoadBalancer strategy : new LoadBalancer[] {BuiltIns.roundRobin(), BuiltIns.weightedRoundRobin(),
                BuiltIns.leastConnections(), BuiltIns.random(RandomSource.seeded(1)),
                BuiltIns.weightedRandom(RandomSource.seeded(1)),
                BuiltIns.powerOfTwoChoices(RandomSource.seeded(1)), BuiltIns.ipHash(),
                BuiltIns.consistentHash(HashKey.PATH, HashAlgorithm.RING),
                BuiltIns.consistentHash(HashKey.PATH, HashAlgorithm.MAGLEV),
                BuiltIns.leastResponseTime()}) {
            LoadBalancer.Selector selector = selector(strategy, pool);
            for (int i = 0; i < 50; i++) {
                SelectionContext context = SelectionContext.of("10.0.0." + i, "/p" + i, Map.of(), Map.of());
                assertThat(selector.select(context, Eligibility.AVAILABLE).id()).as("%s", strategy).isEqualTo("b");
            }
        }
    }

    @Test
    void disabledBackendsAreNeverSelectedEvenInPanic() {
        BackendPool pool = BackendPool.of(java.util.List.of(
                TestPools.backend("a").toBuilder().disabled(true).build(), TestPools.backend("b")),
                dev.junction.core.spi.Ticker.system());
        LiveState.of(pool.get("b")).availability(Availability.UNHEALTHY);
        LoadBalancer.Selector selector = selector(BuiltIns.roundRobin(), pool);
        assertThat(selector.select(SelectionContext.EMPTY, Eligibility.AVAILABLE)).isNull();
        for (int i = 0; i < 4; i++) {
            assertThat(selector.select(SelectionContext.EMPTY, Eligibility.PANIC).id()).isEqualTo("b");
        }
    }

    private static void acquire(Backend backend, int requests) {
        for (int i = 0; i < requests; i++) {
            LiveState.of(backend).tryAcquire(0);
        }
    }

    static Map<String, Integer> count(LoadBalancer.Selector selector, int selections) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < selections; i++) {
            counts.merge(selector.select(SelectionContext.EMPTY, Eligibility.AVAILABLE).id(), 1, Integer::sum);
        }
        return counts;
    }
}
