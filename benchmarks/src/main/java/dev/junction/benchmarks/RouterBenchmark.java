package dev.junction.benchmarks;

import java.util.ArrayList;
import java.util.List;
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

import dev.junction.core.internal.route.Router;

/**
 * Matching a request path to its route among 10 or 100 routes: two-level prefixes ({@code /svc-7/v2}), requests
 * spread over all of them with deeper paths, and one path no route takes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RouterBenchmark {

    private static final int PATHS = 1024;

    @Param({"10", "100"})
    public int routes;

    private Router<String> router;
    private String[] paths;
    private int next;

    @Setup
    public void setUp() {
        List<String> prefixes = new ArrayList<>();
        for (int i = 0; i < routes; i++) {
            prefixes.add("/svc-" + i + "/v2");
        }
        router = new Router<>(prefixes, prefix -> prefix);
        paths = new String[PATHS];
        for (int i = 0; i < PATHS; i++) {
            paths[i] = i % 16 == 15 ? "/unknown/path/" + i : "/svc-" + (i % routes) + "/v2/items/" + i + "/detail";
        }
    }

    @Benchmark
    public String match() {
        return router.match(paths[next++ & (PATHS - 1)]);
    }
}
