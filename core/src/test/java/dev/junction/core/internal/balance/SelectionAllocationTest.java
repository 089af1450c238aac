package dev.junction.core.internal.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.junction.core.config.StrategyConfig;
import dev.junction.core.config.WhenAllDown;
import dev.junction.core.internal.LiveState;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Availability;
import dev.junction.core.spi.SelectionContext;

/**
 * Counts the bytes a thread allocates while selecting (HotSpot's per-thread allocation counter), so "selection
 * allocates nothing" is checked in every build, not only in benchmarks. It counts bytes, not time, so a busy
 * machine cannot make it flaky.
 */
class SelectionAllocationTest {

    private static final int SELECTIONS = 100_000;

    @ParameterizedTest
    @ValueSource(strings = {"round-robin", "weighted-round-robin", "least-connections", "random", "weighted-random",
            "power-of-two-choices", "least-response-time"})
    void nonHashingStrategiesSelectWithoutAllocating(String strategy) {
        BackendPool pool = TestPools.pool("a:3", "b:1", "c:2", "d:1", "x:1:backup");
        // One unavailable backend, so the fallback paths are measured too.
        LiveState.of(pool.get("b")).availability(Availability.UNHEALTHY);
        assertSelectsWithoutAllocating(pool, strategy);
    }

    @ParameterizedTest
    @ValueSource(strings = {"least-connections", "least-response-time", "power-of-two-choices"})
    void drawingFromALargePoolAllocatesNothingEither(String strategy) {
        String[] specs = new String[30];
        for (int i = 0; i < specs.length; i++) {
            specs[i] = "b" + i + ":" + (1 + i % 3);
        }
        BackendPool pool = TestPools.pool(specs);
        LiveState.of(pool.get("b4")).availability(Availability.UNHEALTHY);
        assertSelectsWithoutAllocating(pool, strategy);
    }

    private static void assertSelectsWithoutAllocating(BackendPool pool, String strategy) {
        com.sun.management.ThreadMXBean threads = threadBean();
        RouteBalancer balancer = new RouteBalancer(pool, Strategies.builtIn().create(StrategyConfig.of(strategy)),
                WhenAllDown.FAIL);
        select(balancer, SELECTIONS);
        long before = threads.getCurrentThreadAllocatedBytes();
        select(balancer, SELECTIONS);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // The counter itself may report a few hundred bytes of noise; 100,000 selections allocating even one
        // object each would show megabytes.
        assertThat(allocated).as("bytes allocated by %d selections", SELECTIONS).isLessThan(4_096);
    }

    private static void select(RouteBalancer balancer, int count) {
        for (int i = 0; i < count; i++) {
            if (balancer.select(SelectionContext.EMPTY) == null) {
                throw new AssertionError("no backend selected");
            }
        }
    }

    private static com.sun.management.ThreadMXBean threadBean() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "HotSpot thread allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported(), "thread allocation counter supported");
        threads.setThreadAllocatedMemoryEnabled(true);
        return threads;
    }
}
