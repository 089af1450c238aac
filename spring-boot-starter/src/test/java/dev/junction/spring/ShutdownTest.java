package dev.junction.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.junction.core.Junction;
import dev.junction.spring.app.TestApplication;
import dev.junction.testkit.StartedServers;
import dev.junction.testkit.TestBackend;

/** A proxied request in flight when the application shuts down is answered in full before Junction stops. */
class ShutdownTest {

    /** Longer than the shutdown takes to begin once the request has reached the backend. */
    private static final int SLOW_MILLIS = 1000;

    @RegisterExtension
    final StartedServers servers = new StartedServers();

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void gracefulShutdownLetsAProxiedRequestInFlightFinish() throws Exception {
        assertAnInFlightRequestFinishesWhileTheApplicationCloses("server.shutdown=graceful");
    }

    @Test
    void withImmediateShutdownJunctionItselfLetsAProxiedRequestInFlightFinish() throws Exception {
        // No graceful shutdown of the server: only Junction's close, before the server stops, waits for it.
        assertAnInFlightRequestFinishesWhileTheApplicationCloses("server.shutdown=immediate");
    }

    private void assertAnInFlightRequestFinishesWhileTheApplicationCloses(String shutdown) throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        ConfigurableApplicationContext context = servers.add(new SpringApplicationBuilder(TestApplication.class)
                .properties("server.address=127.0.0.1", "server.port=0", shutdown,
                        "junction.routes[0].prefix=/api", "junction.routes[0].strip-prefix=true",
                        "junction.routes[0].backends[0]=" + backend.url())
                .run());
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        Junction junction = context.getBean(Junction.class);

        CompletableFuture<HttpResponse<String>> response = client.sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/slow?ms=" + SLOW_MILLIS)).build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> backend.requests.get() == 1);
        context.close();

        assertThat(junction.isRunning()).isFalse();
        HttpResponse<String> answered = response.get(10, TimeUnit.SECONDS);
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(answered.body()).isEqualTo("slow a");
    }
}
