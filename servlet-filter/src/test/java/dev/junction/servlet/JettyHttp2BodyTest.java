package dev.junction.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.StartedServers;
import dev.junction.testkit.TestBackend;

/**
 * The filter in Jetty serving HTTP/2 (h2c): a body the client frames without a Content-Length is forwarded whole,
 * and a request whose stream ends with its headers is forwarded with no body at all.
 */
class JettyHttp2BodyTest {

    @RegisterExtension
    final StartedServers servers = new StartedServers();

    @Test
    void anHttp2BodyWithoutContentLengthIsForwardedWholeAndABodylessRequestWithoutOne() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        Gateway gateway = servers.add(ServletGateway.start(JettyContainer.H2C, JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/").backend(backend.url()).build()).build()));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        // The first request upgrades the connection to h2c; the next ones are HTTP/2 streams.
        assertThat(client.send(HttpRequest.newBuilder(gateway.uri("/echo")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        byte[] body = new byte[300_000];
        new Random(7).nextBytes(body);

        HttpResponse<String> upload = client.send(HttpRequest.newBuilder(gateway.uri("/upload"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(gateway.uri("/echo")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(upload.version()).isEqualTo(HttpClient.Version.HTTP_2);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        assertThat(upload.body().strip()).isEqualTo(sha + " " + body.length);
        assertThat(get.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(get.body().toLowerCase(Locale.ROOT)).contains("body-bytes: 0").doesNotContain("transfer-encoding");
    }
}
