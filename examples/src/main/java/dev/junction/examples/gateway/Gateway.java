package dev.junction.examples.gateway;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import dev.junction.core.config.AdminConfig;
import dev.junction.core.config.BackendConfig;
import dev.junction.core.Junction;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.config.YamlConfigLoader;
import dev.junction.undertow.JunctionHandler;

/**
 * The standalone gateway: an Undertow server whose only handler is Junction's, in front of the routes of a
 * configuration file, of a list of backends, or of three demo backends it starts itself.
 *
 * <p>{@link #start} returns once the gateway listens; {@link #close} stops the server, lets exchanges in flight
 * finish (Junction's grace period) and stops the demo backends.
 */
public final class Gateway implements AutoCloseable {

    private final Undertow server;
    private final JunctionHandler handler;
    private final List<DemoBackend> demoBackends;
    private final int port;

    private Gateway(Undertow server, JunctionHandler handler, List<DemoBackend> demoBackends) {
        this.server = server;
        this.handler = handler;
        this.demoBackends = demoBackends;
        this.port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    /**
     * Starts a gateway as the options say and describes it on {@code out}.
     *
     * @throws dev.junction.core.config.ConfigException if the configuration is invalid (nothing is left running)
     * @throws RuntimeException if the server cannot listen (nothing is left running)
     */
    static Gateway start(GatewayOptions options, PrintStream out) {
        List<DemoBackend> demo = new ArrayList<>();
        JunctionHandler handler = null;
        try {
            Junction.Builder junction = JunctionHandler.junctionBuilder();
            JunctionConfig config;
            if (options.config() != null) {
                // The strategies and checks the file names are checked with it: every problem in one report.
                config = YamlConfigLoader.load(options.config(), junction.configCheck());
            } else if (!options.backends().isEmpty()) {
                RouteConfig.Builder route = RouteConfig.builder().name("default").prefix("/")
                        .strategy(options.strategy());
                options.backends().forEach(route::backend);
                config = JunctionConfig.builder().route(route.build()).build();
            } else {
                config = demoConfig(demo);
            }
            handler = JunctionHandler.create(junction.build(config), Gateway::noRoute);
            Undertow server = Undertow.builder()
                    .addHttpListener(options.port(), options.host())
                    .setIoThreads(options.ioThreads())
                    // Junction streams bodies and applies its own header limit (431); Undertow's 2 MiB body
                    // limit is for servers that buffer.
                    .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, Long.MAX_VALUE)
                    // A connection that sends no request for a minute is closed, as nginx's keepalive_timeout.
                    .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 60_000)
                    // A request head must arrive within 30 s: slow-header (slowloris) clients do not hold
                    // connections open for ever.
                    .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, 30_000)
                    // Raw non-ASCII bytes in a target are refused with 400, not decoded in some charset.
                    .setServerOption(UndertowOptions.ALLOW_UNESCAPED_CHARACTERS_IN_URL, false)
                    .setServerOption(UndertowOptions.ENABLE_HTTP2, false)
                    .setHandler(handler)
                    .build();
            server.start();
            Gateway gateway = new Gateway(server, handler, demo);
            gateway.describe(config, options, out);
            return gateway;
        } catch (RuntimeException e) {
            if (handler != null) {
                handler.close();
            }
            demo.forEach(DemoBackend::close);
            throw e;
        }
    }

    /**
     * Three demo backends, a (weight 3), b and c, under one route {@code /}: the balancing shows in a few curls, the
     * status at the admin endpoint (open: the demo listens on loopback).
     */
    private static JunctionConfig demoConfig(List<DemoBackend> demo) {
        RouteConfig.Builder route = RouteConfig.builder().name("demo").prefix("/").strategy("weighted-round-robin");
        for (String name : List.of("a", "b", "c")) {
            DemoBackend backend = new DemoBackend(name);
            demo.add(backend);
            route.backend(BackendConfig.builder().id(name).url(backend.url()).weight(name.equals("a") ? 3 : 1)
                    .build());
        }
        return JunctionConfig.builder().route(route.build()).admin(AdminConfig.at("/_junction")).build();
    }

    private static void noRoute(HttpServerExchange exchange) {
        exchange.setStatusCode(404);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain;charset=utf-8");
        exchange.getResponseSender().send("no route for " + exchange.getRequestPath() + "\n",
                StandardCharsets.UTF_8);
    }

    private void describe(JunctionConfig config, GatewayOptions options, PrintStream out) {
        String address = "http://" + (options.host().contains(":") ? "[" + options.host() + "]" : options.host())
                + ":" + port;
        out.println("Junction gateway listening on " + address);
        for (RouteConfig route : config.routes()) {
            out.println("  " + route.prefix() + " -> " + route.backends().stream()
                    .map(backend -> backend.id() + (backend.weight() == 1 ? "" : " (weight " + backend.weight() + ")")
                            + (backend.backup() ? " (backup)" : ""))
                    .collect(Collectors.joining(", ")) + "  [" + route.strategy().name() + "]");
        }
        if (config.admin().enabled()) {
            String admin = config.admin().path();
            out.println("  admin: " + address + admin + " (status as JSON; POST " + admin + "/checks runs the checks)");
        }
        if (!demoBackends.isEmpty()) {
            out.println();
            out.println("Demo: three backends a, b, c on loopback, a with three times the weight. Try:");
            out.println("  for i in 1 2 3 4 5; do curl -s " + address + "/hello; done");
            out.println("  curl -si " + address + "/hello | grep X-Backend");
            out.println("Serve your own backends with --backends host:port,host:port or --config FILE.yaml.");
        }
        out.println("Ctrl-C stops it.");
    }

    /** Returns the port the gateway listens on. */
    public int port() {
        return port;
    }

    /** Stops accepting, lets exchanges in flight finish, stops the demo backends. Idempotent. */
    @Override
    public void close() {
        server.stop();
        handler.close();
        demoBackends.forEach(DemoBackend::close);
    }
}
