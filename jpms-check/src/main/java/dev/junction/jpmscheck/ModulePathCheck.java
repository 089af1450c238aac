package dev.junction.jpmscheck;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.sun.net.httpserver.HttpServer;

import dev.junction.core.Junction;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.YamlConfigLoader;
import dev.junction.gateway.GatewayMain;
import dev.junction.servlet.ProxyFilter;
import dev.junction.spring.JunctionAutoConfiguration;
import dev.junction.undertow.JunctionHandler;
import io.undertow.Undertow;
import io.undertow.util.StatusCodes;
import jakarta.servlet.Filter;

/**
 * Runs on the module path: a backend, Junction's Undertow handler in front of it, one request through both; and the
 * servlet filter, the gateway and the Spring Boot starter loaded from their modules. Exits with 1, saying what went
 * wrong, if anything does.
 */
public final class ModulePathCheck {

    private ModulePathCheck() {
    }

    /**
     * Runs the check.
     *
     * @param args none
     * @throws Exception if the check cannot run
     */
    public static void main(String[] args) throws Exception {
        try {
            run();
        } catch (Throwable e) {
            e.printStackTrace();
            check(false, e.toString());
        }
        // The backend's and the servers' threads are stopped; nothing else may keep the JVM.
        System.exit(0);
    }

    private static void run() throws Exception {
        HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.createContext("/", exchange -> {
            byte[] body = ("backend saw " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        backend.start();
        JunctionConfig config = YamlConfigLoader.load("""
                routes:
                  - prefix: /api
                    backends: ["http://127.0.0.1:%d"]
                """.formatted(backend.getAddress().getPort()));
        JunctionHandler handler = JunctionHandler.create(config, exchange -> {
            exchange.setStatusCode(StatusCodes.NOT_FOUND);
            exchange.getResponseSender().send("no route");
        });
        Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(handler).build();
        server.start();
        try {
            int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/modules"))
                            .timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            check(response.statusCode() == 200 && response.body().equals("backend saw /api/modules"),
                    "a request through the handler answered " + response.statusCode() + " " + response.body());
            Filter filter = new ProxyFilter();
            check(filter.getClass().getModule().getName().equals("dev.junction.servlet"),
                    "ProxyFilter is in module " + filter.getClass().getModule());
            check(GatewayMain.class.getModule().getName().equals("dev.junction.gateway"),
                    "GatewayMain is in module " + GatewayMain.class.getModule());
            check(JunctionAutoConfiguration.class.getModule().getName().equals("dev.junction.spring"),
                    "JunctionAutoConfiguration is in module " + JunctionAutoConfiguration.class.getModule());
            check(Junction.class.getModule().getName().equals("dev.junction.core"),
                    "Junction is in module " + Junction.class.getModule());
            System.out.println("Junction " + Junction.version() + " on the module path: dev.junction.core, "
                    + "dev.junction.servlet, dev.junction.undertow, dev.junction.gateway, dev.junction.spring");
        } finally {
            server.stop();
            handler.junction().close();
            backend.stop(0);
        }
    }

    private static void check(boolean holds, String otherwise) {
        if (!holds) {
            System.err.println("JPMS check failed: " + otherwise);
            System.exit(1);
        }
    }
}
