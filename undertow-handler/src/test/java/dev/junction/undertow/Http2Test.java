package dev.junction.undertow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.BackendProtocol;
import dev.junction.core.config.ConfigException;
import dev.junction.core.config.HealthCheckConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.config.TlsConfig;
import dev.junction.core.status.BackendStatus;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.Http2Client;
import dev.junction.testkit.StartedServers;
import dev.junction.testkit.TestBackend;
import dev.junction.testkit.TestCertificates;

/**
 * HTTP/2 on both sides of the Undertow handler: clients that speak it to the server (h2c by prior knowledge and by
 * Upgrade, h2 by ALPN), and backends Junction speaks it to ({@code protocol: h2c | h2}), with trailers, many streams
 * on one connection, and health checks in the backend's protocol. Runs on both transports.
 */
class Http2Test {

    @RegisterExtension
    final StartedServers servers = new StartedServers();

    @TempDir
    Path files;

    private static JunctionConfig route(BackendConfig... backends) {
        RouteConfig.Builder route = RouteConfig.builder().name("api").prefix("/");
        for (BackendConfig backend : backends) {
            route.backend(backend);
        }
        return JunctionConfig.builder().route(route.build()).build();
    }

    @Test
    void clientsSpeakH2cByPriorKnowledgeAndByUpgrade() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        Gateway gateway = servers.add(UndertowGateway.startHttp2(route(BackendConfig.of(backend.url())), null));

        ContentResponse prior = servers.add(Http2Client.start(null)).jetty().newRequest(gateway.uri("/echo"))
                .timeout(10, TimeUnit.SECONDS).send();
        assertThat(prior.getVersion()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(prior.getStatus()).isEqualTo(200);
        // The client's :authority is its Host.
        assertThat(prior.getContentAsString()).contains("backend: a", "X-Forwarded-Host: 127.0.0.1:");

        HttpClient upgrading = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        HttpResponse<String> first = upgrading.send(HttpRequest.newBuilder(gateway.uri("/echo")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> second = upgrading.send(HttpRequest.newBuilder(gateway.uri("/echo")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(second.body()).contains("backend: a");
        // Every exchange ended as completed, on the streams as on the upgraded request; none is left in flight.
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.junction().inFlight() == 0);
        BackendStatus status = gateway.junction().status().get(0).backends().get(0);
        assertThat(status.requests()).isEqualTo(3);
        assertThat(status.successes()).isEqualTo(3);
    }

    @Test
    void clientsSpeakH2OverTlsByAlpn() throws Exception {
        TestCertificates authority = TestCertificates.authority(files, "h2");
        SSLContext server = TestCertificates.serverContext(authority.server("gateway", "localhost", "127.0.0.1"));
        TestBackend backend = servers.add(TestBackend.start("a"));
        Gateway gateway = servers.add(UndertowGateway.startHttp2(route(BackendConfig.of(backend.url())), server));

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(authority.clientContext()).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri("/echo")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("X-Forwarded-Proto: https");
    }

    @Test
    void anH2cBackendGetsHttp2WithBodiesBothWays() throws Exception {
        TestBackend backend = servers.add(TestBackend.startHttp2("a"));
        Gateway gateway = servers.add(UndertowGateway.start(route(BackendConfig.builder().url(backend.url())
                .protocol(BackendProtocol.H2C).build())));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        HttpResponse<String> protocol = client.send(HttpRequest.newBuilder(gateway.uri("/protocol")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(protocol.statusCode()).isEqualTo(200);
        assertThat(protocol.body()).isEqualTo("HTTP/2.0");
        assertThat(protocol.headers().firstValue("X-Backend")).hasValue("a");

        byte[] body = new byte[1 << 20];
        new Random(3).nextBytes(body);
        HttpResponse<String> upload = client.send(HttpRequest.newBuilder(gateway.uri("/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upload.body().strip()).isEqualTo(sha256(body) + " " + body.length);

        HttpResponse<byte[]> download = client.send(HttpRequest.newBuilder(gateway.uri("/download?size=3000000"))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).hasSize(3_000_000);
    }

    @Test
    void anH2BackendIsReachedOverTlsByAlpn() throws Exception {
        TestCertificates authority = TestCertificates.authority(files, "backends");
        TestBackend backend = servers.add(TestBackend.startHttp2Tls("a",
                TestCertificates.serverContext(authority.server("a", "localhost", "127.0.0.1"))));
        JunctionConfig config = JunctionConfig.builder().route(RouteConfig.builder().name("api").prefix("/")
                .tls(TlsConfig.builder().caBundle(authority.caBundle().toString()).build())
                .backend(BackendConfig.builder().url(backend.url()).protocol(BackendProtocol.H2).build())
                .build()).build();
        Gateway gateway = servers.add(UndertowGateway.start(config));

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                gateway.uri("/protocol")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("HTTP/2.0");
    }

    @Test
    void trailersAndManyStreamsPassThrough() throws Exception {
        TestBackend backend = servers.add(TestBackend.startHttp2("a"));
        Gateway gateway = servers.add(UndertowGateway.startHttp2(route(BackendConfig.builder().url(backend.url())
                .protocol(BackendProtocol.H2C).build()), null));
        org.eclipse.jetty.client.HttpClient client = servers.add(Http2Client.start(null)).jetty();

        ContentResponse trailers = client.newRequest(gateway.uri("/trailers")).timeout(10, TimeUnit.SECONDS).send();
        assertThat(trailers.getContentAsString()).isEqualTo("body before trailers");
        assertThat(trailers.getTrailers()).isNotNull();
        assertThat(trailers.getTrailers().get("X-Checksum")).isEqualTo("42");

        // 200 requests at once on the client's one connection, each a stream, and streams to the backend.
        List<CompletableFuture<ContentResponse>> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sent.add(new CompletableResponseListener(client.newRequest(gateway.uri("/echo?n=" + i))
                    .timeout(20, TimeUnit.SECONDS)).send());
        }
        for (int i = 0; i < sent.size(); i++) {
            ContentResponse response = sent.get(i).get(30, TimeUnit.SECONDS);
            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getContentAsString()).contains("target: /echo?n=" + i);
        }
        assertThat(client.getDestinations()).singleElement()
                .satisfies(destination -> assertThat(destination.getConnectionPool().isEmpty()).isFalse());

        byte[] body = new byte[500_000];
        new Random(5).nextBytes(body);
        // A body of unknown length on an HTTP/2 stream goes on to an HTTP/2 backend whole.
        ContentResponse upload = client.newRequest(gateway.uri("/upload")).method("POST")
                .body(new BytesRequestContent(body) {
                    @Override
                    public long getLength() {
                        return -1;
                    }
                }).timeout(20, TimeUnit.SECONDS).send();
        assertThat(upload.getContentAsString().strip()).isEqualTo(sha256(body) + " " + body.length);
    }

    @Test
    void healthChecksSpeakTheBackendsProtocol() throws Exception {
        TestBackend backend = servers.add(TestBackend.startHttp2("a"));
        JunctionConfig config = JunctionConfig.builder().route(RouteConfig.builder().name("api").prefix("/")
                .healthCheck(HealthCheckConfig.builder().path("/health").interval(Duration.ofMillis(200)).build())
                .backend(BackendConfig.builder().url(backend.url()).protocol(BackendProtocol.H2C).build())
                .build()).build();
        servers.add(UndertowGateway.start(config));

        await().atMost(Duration.ofSeconds(10)).until(() -> backend.healthChecks.get() > 0);
        assertThat(backend.healthCheckProtocol).isEqualTo("HTTP/2.0");
    }

    @Test
    void aProtocolThatDoesNotFitItsUrlIsRefusedAtStart() {
        assertThatThrownBy(() -> JunctionConfig.builder().route(RouteConfig.builder().name("api").prefix("/")
                .backend(BackendConfig.builder().url("http://127.0.0.1:1").protocol(BackendProtocol.H2).build())
                .backend(BackendConfig.builder().url("https://127.0.0.1:2").protocol(BackendProtocol.H2C).build())
                .build()).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("routes[0].backends[0].protocol: h2 is HTTP/2 over TLS and needs an https://")
                .hasMessageContaining("routes[0].backends[1].protocol: h2c is HTTP/2 in clear text and needs an"
                        + " http:// URL");
        assertThatThrownBy(() -> JunctionConfig.builder().route(RouteConfig.builder().name("api").prefix("/")
                .preserveHost(true)
                .backend(BackendConfig.builder().url("http://127.0.0.1:1").protocol(BackendProtocol.H2C).build())
                .build()).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("routes[0].preserveHost: not with HTTP/2 backends (backends[0])");
    }

    private static String sha256(byte[] body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    }
}
