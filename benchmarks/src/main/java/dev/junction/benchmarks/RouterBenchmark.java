package dev.junction.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
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

import dev.junction.core.config.FieldMatch;
import dev.junction.core.config.MatchConfig;
import dev.junction.core.http.Fields;
import dev.junction.core.internal.route.RouteConditions;
import dev.junction.core.internal.route.Router;
import dev.junction.core.internal.route.TrustedProxies;
import dev.junction.core.spi.RequestHead;

/**
 * Finding the route of a request among 10 or 100 routes, with a browser's request headers.
 *
 * <ul>
 *   <li>{@code prefix}: two-level prefixes ({@code /svc-7/v2}) and nothing else.</li>
 *   <li>{@code predicates}: every prefix taken by two routes, one asking a method list, a header regex and a query
 *       parameter, the other nothing; the first quarter of the prefixes on an exact host, the next quarter on a
 *       wildcard host, the rest on any host. Requests go to both kinds, on matching and other hosts.</li>
 * </ul>
 * Requests are spread over all routes with deeper paths; one in 16 goes where no route takes it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RouterBenchmark {

    private static final int REQUESTS = 1024;

    @Param({"10", "100"})
    public int routes;

    @Param({"prefix", "predicates"})
    public String kind;

    private Router<RouteConditions> router;
    private Head[] requests;
    private int next;

    /** A request head as an adapter hands it over. */
    private record Head(String method, String rawPath, @Nullable String rawQuery, Fields requestHeaders,
            String clientAddress) implements RequestHead {
    }

    @Setup
    public void setUp() {
        boolean predicates = kind.equals("predicates");
        int prefixes = predicates ? routes / 2 : routes;
        List<RouteConditions> all = new ArrayList<>();
        for (int i = 0; i < prefixes; i++) {
            String prefix = "/svc-" + i + "/v2";
            if (!predicates) {
                all.add(RouteConditions.prefixOnly(prefix));
                continue;
            }
            MatchConfig.Builder hosts = MatchConfig.builder();
            if (i < prefixes / 4) {
                hosts.host("api.example.com");
            } else if (i < prefixes / 2) {
                hosts.host("*.shop.example.com");
            }
            all.add(RouteConditions.of(prefix, hosts.methods(List.of("GET", "HEAD"))
                    .header(FieldMatch.regex("X-Tenant", "tenant-[0-9]+"))
                    .query(FieldMatch.exact("view", "full")).build(), TrustedProxies.NONE));
            all.add(RouteConditions.of(prefix, hosts.build().hosts().isEmpty() ? MatchConfig.NONE
                    : MatchConfig.builder().hosts(hosts.build().hosts()).build(), TrustedProxies.NONE));
        }
        router = new Router<>(all, conditions -> conditions);
        requests = new Head[REQUESTS];
        String[] hosts = {"api.example.com", "eu.shop.example.com", "www.example.com"};
        for (int i = 0; i < REQUESTS; i++) {
            String path = i % 16 == 15 ? "/unknown/path/" + i : "/svc-" + (i % prefixes) + "/v2/items/" + i + "/detail";
            Fields headers = new Fields()
                    .add("Host", hosts[i % 3] + ":8443")
                    .add("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36")
                    .add("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
                    .add("Accept-Language", "en-GB,en;q=0.9")
                    .add("Accept-Encoding", "gzip, deflate, br")
                    .add("Cookie", "session=5f2b9c1e7a; theme=dark");
            if (i % 2 == 0) {
                headers.add("X-Tenant", "tenant-" + i);
            }
            requests[i] = new Head(i % 4 == 3 ? "POST" : "GET", path, i % 2 == 0 ? "page=2&view=full" : "page=2",
                    headers, "192.0.2.7");
        }
    }

    @Benchmark
    public RouteConditions match() {
        Head head = requests[next++ & (REQUESTS - 1)];
        return router.match(head.rawPath(), head);
    }
}
