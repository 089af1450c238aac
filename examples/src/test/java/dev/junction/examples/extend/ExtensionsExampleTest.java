package dev.junction.examples.extend;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.undertow.Undertow;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

import dev.junction.core.Junction;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.YamlConfigLoader;
import dev.junction.core.transport.JettyTransport;
import dev.junction.undertow.JunctionHandler;

/** The extension examples of docs/api.md, registered on one Junction in front of real backends. */
class ExtensionsExampleTest {

    @TempDir
    Path maintenance;

    private final List<Undertow> servers = new CopyOnWriteArrayList<>();
    private final List<String> traces = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() {
        servers.forEach(Undertow::stop);
    }

    private int backend(String name) {
        Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(exchange -> {
            String trace = exchange.getRequestHeaders().getFirst("X-Trace-Id");
            if (trace != null) {
                traces.add(trace);
            }
            exchange.getResponseHeaders().put(HttpString.tryFromString("X-Backend"), name);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
            exchange.getResponseSender().send(name);
        }).build();
        server.start();
        servers.add(server);
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Test
    void aStrategyACheckAListenerAndATransportOfOnesOwnWorkTogether() throws Exception {
        int a = backend("a");
        int b = backend("b");
        AlertingHealthListener alerts = new AlertingHealthListener();
        Junction.Builder builder = Junction.builder()
                .strategy("first-available", FirstAvailableLoadBalancer.FACTORY)
                .healthCheck("maintenance-flag", new FileFlagHealthCheck(maintenance))
                .healthListener(alerts);
        JunctionConfig config = YamlConfigLoader.load("""
                routes:
                  - name: shop
                    prefix: /
                    strategy: first-available
                    healthCheck: {check: maintenance-flag, interval: 1h, healthyThreshold: 1, unhealthyThreshold: 1,
                                  startHealthy: true}
                    backends:
                      - {id: a, url: "http://127.0.0.1:%d"}
                      - {id: b, url: "http://127.0.0.1:%d"}
                """.formatted(a, b), builder.configCheck());
        TracingTransport tracing = new TracingTransport(JettyTransport.create(config.client(), Duration.ofSeconds(5)),
                "X-Trace-Id");
        tracing.start();
        Junction junction = builder.transport(tracing).build(config);
        JunctionHandler handler = JunctionHandler.create(junction, exchange -> exchange.setStatusCode(404));
        Undertow gateway = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(handler).build();
        gateway.start();
        try {
            int port = ((InetSocketAddress) gateway.getListenerInfo().get(0).getAddress()).getPort();
            for (int i = 0; i < 3; i++) {
                assertThat(get(port).body()).as("the first available backend takes everything").isEqualTo("a");
            }

            Files.createFile(maintenance.resolve("a"));
            junction.checkHealth().get(5, TimeUnit.SECONDS);
            assertThat(get(port).body()).as("a is in maintenance").isEqualTo("b");
            assertThat(alerts.alerts()).containsExactly("shop/a down: in maintenance: " + maintenance.resolve("a")
                    + " exists");

            Files.delete(maintenance.resolve("a"));
            junction.checkHealth().get(5, TimeUnit.SECONDS);
            assertThat(get(port).body()).isEqualTo("a");
            assertThat(alerts.alerts()).last().isEqualTo("shop/a up");

            assertThat(traces).as("every request carried a trace id").hasSize(5).doesNotHaveDuplicates();
            assertThat(tracing.responses()).isEqualTo(5);
            assertThat(tracing.failures()).isZero();
        } finally {
            gateway.stop();
            handler.close();
            tracing.stop();
        }
    }

    private HttpResponse<String> get(int port) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
