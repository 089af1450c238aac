package dev.junction.core.internal.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.StrategyConfig;
import dev.junction.core.config.WhenAllDown;
import dev.junction.core.internal.LiveState;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.SelectionContext;

/** Selections racing with changes to the pool: never an exception, never a lost or invented selection. */
class ConcurrentSelectionTest {

    private static final int THREADS = 8;
    private static final int SELECTIONS = 1_000_000;

    @ParameterizedTest
    @ValueSource(strings = {"round-robin", "weighted-round-robin", "least-connections", "random", "weighted-random",
            "power-of-two-choices", "ip-hash", "consistent-hash", "least-response-time"})
    void eightThreadsSelectAMillionTimesWhileBackendsComeAndGo(String strategy) throws Exception {
        BackendPool pool = TestPools.pool("anchor:2", "b", "c");
        RouteBalancer balancer = new RouteBalancer(pool, Strategies.builtIn().create(StrategyConfig.of(strategy)),
                WhenAllDown.FAIL);
        Map<String, LongAdder> counts = new ConcurrentHashMap<>();
        LongAdder misses = new LongAdder();
        AtomicBoolean selecting = new AtomicBoolean(true);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(THREADS + 1);
        try {
            Future<Integer> churn = threads.submit(() -> {
                start.await();
                int changes = 0;
                // Bounded: stops when the selectors are done, or after 100,000 changes.
                while (selecting.get() && changes < 100_000) {
                    String id = "x" + (changes % 5);
                    if (pool.get(id) == null) {
                        pool.add(BackendConfig.builder().id(id).url("http://" + id + ".test").weight(1 + changes % 3)
                                .build());
                    } else {
                        pool.remove(id);
                    }
                    changes++;
                }
                return changes;
            });
            List<Future<?>> workers = new java.util.ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                workers.add(threads.submit(() -> {
                    start.await();
                    for (int i = 0; i < SELECTIONS / THREADS; i++) {
                        SelectionContext context = SelectionContext.of("10.0." + thread + "." + (i & 0xff), "/",
                                Map.of(), Map.of());
                        Backend backend = balancer.select(context);
                        if (backend == null) {
                            misses.increment();
                            continue;
                        }
                        LiveState.of(backend).tryAcquire(0);
                        LiveState.of(backend).requestEnded(true, 1_000 + (i & 0xfff));
                        counts.computeIfAbsent(backend.id(), id -> new LongAdder()).increment();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
            selecting.set(false);
            assertThat(churn.get(10, TimeUnit.SECONDS)).isPositive();
        } finally {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        long total = counts.values().stream().mapToLong(LongAdder::sum).sum();
        assertThat(misses.sum()).isZero();
        assertThat(total).isEqualTo(SELECTIONS);
        assertThat(counts).containsKey("anchor");
        for (Backend backend : pool.all()) {
            assertThat(backend.state().inFlight()).isZero();
        }
    }
}
