package dev.junction.core.balance;

import static dev.junction.core.balance.TestPools.pool;
import static dev.junction.core.balance.TestPools.selector;
import static dev.junction.core.balance.TestPools.sequence;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.junction.core.pool.Availability;
import dev.junction.core.pool.Backend;
import dev.junction.core.pool.BackendPool;

class DeterministicStrategiesTest {

    @Test
    void roundRobinServesEachBackendInTurnIgnoringWeights() {
        BackendPool pool = pool("a:5", "b", "c");
        assertThat(sequence(selector(LoadBalancer.roundRobin(), pool), 7)).isEqualTo("abcabca");
    }

    @Test
    void roundRobinSkipsUnhealthyBackendsWithoutDoublingTheNextOne() {
        BackendPool pool = pool("a", "b", "c", "d");
        pool.get("b").state().availability(Availability.UNHEALTHY);
        Map<String, Integer> counts = count(selector(LoadBalancer.roundRobin(), pool), 300);
        assertThat(counts).containsOnlyKeys("a", "c", "d");
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isEqualTo(100));
    }

    @Test
    void roundRobinSharesEvenlyWhenEveryOtherBackendIsDown() {
        BackendPool pool = pool("a", "b", "c", "d");
        pool.get("b").state().availability(Availability.UNHEALTHY);
        pool.get("d").state().availability(Availability.UNHEALTHY);
        assertThat(count(selector(LoadBalancer.roundRobin(), pool), 400)).containsEntry("a", 200).containsEntry("c", 200);
    }

    @Test
    void smoothWeightedRoundRobinFollowsNginxSequence() {
        BackendPool pool = pool("a:5", "b:1", "c:1");
        assertThat(sequence(selector(LoadBalancer.weightedRoundRobin(), pool), 14)).isEqualTo("aabacaaaabacaa");
    }

    @Test
    void smoothWeightedRoundRobinReducesWeightsByTheirCommonDivisor() {
        BackendPool pool = pool("a:10", "b:20");
        assertThat(sequence(selector(LoadBalancer.weightedRoundRobin(), pool), 6)).isEqualTo("babbab");
    }

    @Test
    void smoothWeightedRoundRobinWithEqualWeightsIsRoundRobin() {
        BackendPool pool = pool("a:2", "b:2", "c:2");
        assertThat(sequence(selector(LoadBalancer.weightedRoundRobin(), pool), 6)).isEqualTo("abcabc");
    }

    @Test
    void smoothWeightedRoundRobinKeepsWeightProportionsWhenOneIsDown() {
        BackendPool pool = pool("a:5", "b:2", "c:1");
        pool.get("a").state().availability(Availability.UNHEALTHY);
        Map<String, Integer> counts = count(selector(LoadBalancer.weightedRoundRobin(), pool), 8_000);
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
        LoadBalancer.Selector selector = selector(LoadBalancer.leastConnections(), pool);
        assertThat(count(selector, 8)).containsOnlyKeys("b", "c").containsEntry("b", 6).containsEntry("c", 2);
        acquire(pool.get("c"), 1);
        assertThat(sequence(selector, 3)).isEqualTo("bbb");
    }

    @Test
    void leastConnectionsRotatesAmongIdleBackends() {
        BackendPool pool = pool("a", "b", "c");
        assertThat(sequence(selector(LoadBalancer.leastConnections(), pool), 6)).isEqualTo("abcabc");
    }

    @Test
    void leastConnectionsKeepsWeightsAmongIdleBackends() {
        BackendPool pool = pool("a:5", "b:1", "c:1");
        assertThat(count(selector(LoadBalancer.leastConnections(), pool), 70))
                .containsEntry("a", 50).containsEntry("b", 10).containsEntry("c", 10);
    }

    @Test
    void backendsAtTheirConcurrencyLimitAreSkipped() {
        BackendPool pool = BackendPool.of(java.util.List.of(
                TestPools.backend("a").toBuilder().maxConcurrent(1).build(), TestPools.backend("b")),
                dev.junction.core.Ticker.system());
        assertThat(pool.get("a").state().tryAcquire(1)).isTrue();
        assertThat(pool.get("a").state().tryAcquire(1)).isFalse();
        for (LoadBalancer strategy : new LoadBalancer[] {LoadBalancer.roundRobin(), LoadBalancer.weightedRoundRobin(),
                LoadBalancer.leastConnections(), LoadBalancer.random(RandomSource.seeded(1)),
                LoadBalancer.weightedRandom(RandomSource.seeded(1)),
                LoadBalancer.powerOfTwoChoices(RandomSource.seeded(1)), LoadBalancer.ipHash(),
                LoadBalancer.consistentHash(HashKey.PATH, HashAlgorithm.RING),
                LoadBalancer.consistentHash(HashKey.PATH, HashAlgorithm.MAGLEV),
                LoadBalancer.leastResponseTime()}) {
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
                dev.junction.core.Ticker.system());
        pool.get("b").state().availability(Availability.UNHEALTHY);
        LoadBalancer.Selector selector = selector(LoadBalancer.roundRobin(), pool);
        assertThat(selector.select(SelectionContext.EMPTY, Eligibility.AVAILABLE)).isNull();
        for (int i = 0; i < 4; i++) {
            assertThat(selector.select(SelectionContext.EMPTY, Eligibility.PANIC).id()).isEqualTo("b");
        }
    }

    private static void acquire(Backend backend, int requests) {
        for (int i = 0; i < requests; i++) {
            backend.state().tryAcquire(0);
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
