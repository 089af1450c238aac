package dev.junction.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.StrategyConfig;
import dev.junction.core.config.WhenAllDown;
import dev.junction.core.internal.LiveState;
import dev.junction.core.internal.balance.RouteBalancer;
import dev.junction.core.internal.balance.Strategies;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.SelectionContext;
import dev.junction.core.spi.Ticker;

/**
 * One selection, as every request pays it: the route's balancer (tiers, panic and slow-start checks included) over
 * a pool of 3, 10 or 100 healthy backends with weights 1 to 3 and a few requests in flight each, for every
 * built-in strategy. Requests vary (1024 client addresses, paths and header values, taken in turn), so the hashing
 * strategies hash a different key each time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SelectionBenchmark {

    private static final int CONTEXTS = 1024;

    @Param({"round-robin", "weighted-round-robin", "least-connections", "random", "weighted-random",
            "power-of-two-choices", "ip-hash", "consistent-hash", "least-response-time"})
    public String strategy;

    @Param({"3", "10", "100"})
    public int backends;

    /**
     * The {@code choices} option of least-connections and least-response-time ({@code all}, or a number); empty for
     * the default. {@code -p choices=all} measures the full scan at every size.
     */
    @Param({""})
    public String choices;

    private RouteBalancer balancer;
    private SelectionContext[] contexts;
    private int next;

    @Setup
    public void setUp() {
        List<BackendConfig> configs = new ArrayList<>();
        for (int i = 0; i < backends; i++) {
            configs.add(BackendConfig.builder().url("http://10.0." + (i / 250) + "." + (i % 250 + 1) + ":8080")
                    .weight(1 + i % 3).build());
        }
        BackendPool pool = BackendPool.of(configs, Ticker.system());
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (Backend backend : pool.all()) {
            // A few requests in flight and a response-time history, as under load: the load-aware strategies
            // compare real numbers rather than break ties among idle backends.
            for (int i = random.nextInt(1, 6); i > 0; i--) {
                LiveState.of(backend).tryAcquire(0);
            }
            LiveState.of(backend).recordResponseTime(random.nextLong(500_000, 5_000_000));
        }
        StrategyConfig config = choices.isEmpty() ? StrategyConfig.of(strategy)
                : StrategyConfig.of(strategy, Map.of("choices", choices));
        balancer = new RouteBalancer(pool, Strategies.builtIn().create(config), WhenAllDown.FAIL, 50);
        contexts = new SelectionContext[CONTEXTS];
        for (int i = 0; i < CONTEXTS; i++) {
            contexts[i] = SelectionContext.of("198.51." + (i / 256) + "." + (i % 256), "/api/items/" + i,
                    Map.of("X-User-Id", "user-" + i), Map.of());
        }
    }

    @Benchmark
    public Backend select() {
        SelectionContext context = contexts[next++ & (CONTEXTS - 1)];
        return balancer.select(context);
    }
}
