package dev.junction.examples.gateway;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.junction.core.Ticker;
import dev.junction.core.balance.LoadBalancerRegistry;
import dev.junction.core.balance.RouteBalancer;
import dev.junction.core.balance.SelectionContext;
import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.ConfigException;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.config.StrategyConfig;
import dev.junction.core.config.YamlConfigLoader;
import dev.junction.core.pool.Availability;
import dev.junction.core.pool.Backend;
import dev.junction.core.pool.BackendPool;

/**
 * The Junction gateway's command line. With no arguments it shows every balancing strategy at work on a demo pool;
 * with {@code --config FILE.yaml} it validates the file and shows how each route would spread its first requests.
 *
 * <pre>
 * java -jar examples/target/junction-gateway.jar
 * java -jar examples/target/junction-gateway.jar --config routes.yaml
 * </pre>
 */
public final class GatewayMain {

    private static final int PICKS = 14;

    private GatewayMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the process exit code (0 done, 2 bad arguments or configuration). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            demo(out);
            return 0;
        }
        if (args.length == 2 && args[0].equals("--config")) {
            try {
                JunctionConfig config = YamlConfigLoader.load(Path.of(args[1]));
                out.println("Configuration " + args[1] + " is valid: " + config.routes().size() + " route(s).");
                for (RouteConfig route : config.routes()) {
                    show(route, out);
                }
                return 0;
            } catch (ConfigException e) {
                err.println(e.getMessage());
                return 2;
            }
        }
        err.println("Usage: junction-gateway [--config FILE.yaml]");
        return 2;
    }

    private static void demo(PrintStream out) {
        out.println("Junction balancing demo: three backends a (weight 5), b and c (weight 1 each).");
        out.println("Each line is the backend each strategy picks for " + PICKS + " requests in a row.");
        out.println();
        for (String strategy : List.of("round-robin", "weighted-round-robin", "least-connections", "random",
                "weighted-random", "power-of-two-choices", "ip-hash", "least-response-time")) {
            show(demoRoute(StrategyConfig.of(strategy)), out);
        }
        show(demoRoute(StrategyConfig.of("consistent-hash", Map.of("key", "header:X-User"))), out);
        out.println();
        out.println("With backend a unhealthy, weighted-round-robin keeps b and c at 1:1:");
        RouteConfig route = demoRoute(StrategyConfig.of("weighted-round-robin"));
        BackendPool pool = BackendPool.of(route.backends(), Ticker.system());
        pool.get("a").state().availability(Availability.UNHEALTHY);
        out.println("  " + picks(new RouteBalancer(pool, LoadBalancerRegistry.create(route.strategy()),
                route.whenAllDown())));
    }

    private static RouteConfig demoRoute(StrategyConfig strategy) {
        return RouteConfig.builder()
                .name(strategy.name())
                .prefix("/")
                .backend(BackendConfig.builder().id("a").url("http://127.0.0.1:9001").weight(5).build())
                .backend(BackendConfig.builder().id("b").url("http://127.0.0.1:9002").build())
                .backend(BackendConfig.builder().id("c").url("http://127.0.0.1:9003").build())
                .strategy(strategy)
                .build();
    }

    private static void show(RouteConfig route, PrintStream out) {
        BackendPool pool = BackendPool.of(route.backends(), Ticker.system());
        RouteBalancer balancer = new RouteBalancer(pool, LoadBalancerRegistry.create(route.strategy()),
                route.whenAllDown());
        String options = route.strategy().options().isEmpty() ? "" : " " + route.strategy().options();
        out.printf("  %-38s %s%n", route.strategy().name() + options, picks(balancer));
    }

    /** Picks {@value #PICKS} backends, each request from another client and user, as traffic would be. */
    private static String picks(RouteBalancer balancer) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < PICKS; i++) {
            SelectionContext request = SelectionContext.of("192.0.2." + (i % 4), "/item/" + i,
                    Map.of("X-User", "user-" + (i % 4)), Map.of());
            Backend backend = balancer.select(request);
            ids.add(backend == null ? "-" : backend.id());
        }
        return String.join(" ", ids);
    }
}
