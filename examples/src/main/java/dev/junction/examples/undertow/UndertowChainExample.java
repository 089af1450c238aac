package dev.junction.examples.undertow;

import java.util.List;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.PathHandler;

import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.undertow.JunctionHandler;

/**
 * Junction in an existing Undertow application: the application's handler chain (a health check and a greeting)
 * stays as it is, and {@link JunctionHandler} in front of it proxies {@code /api} to the backends given on the
 * command line.
 *
 * <pre>
 * java -cp "examples/target/junction-gateway.jar:examples/target/lib/*" \
 *     dev.junction.examples.undertow.UndertowChainExample 127.0.0.1:9001 127.0.0.1:9002
 * </pre>
 */
public final class UndertowChainExample {

    private UndertowChainExample() {
    }

    /** The application as it was before Junction: its own handlers. */
    static HttpHandler application() {
        PathHandler paths = Handlers.path(exchange -> exchange.getResponseSender()
                .send("Hello from the application\n"));
        paths.addExactPath("/health", exchange -> exchange.getResponseSender().send("ok\n"));
        return paths;
    }

    /** Wraps the application: {@code /api/...} goes to the backends with the prefix stripped, the rest is served. */
    static JunctionHandler withJunction(HttpHandler application, List<String> backends) {
        RouteConfig.Builder api = RouteConfig.builder().name("api").prefix("/api").stripPrefix(true)
                .strategy("least-connections");
        for (String backend : backends) {
            api.backend(backend.contains("://") ? backend : "http://" + backend);
        }
        return JunctionHandler.create(JunctionConfig.builder().route(api.build()).build(), application);
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("Usage: UndertowChainExample host:port [host:port ...]");
            System.exit(2);
        }
        JunctionHandler handler = withJunction(application(), List.of(args));
        Undertow server = Undertow.builder().addHttpListener(8080, "127.0.0.1").setHandler(handler).build();
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Take no new connections, let the exchanges in flight finish, then stop the server.
            server.getListenerInfo().forEach(Undertow.ListenerInfo::suspend);
            handler.close();
            server.stop();
        }, "junction-shutdown"));
        System.out.println("Listening on http://127.0.0.1:8080: /health and / served here, /api proxied");
    }
}
