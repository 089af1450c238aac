package dev.junction.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.junction.testkit.Http2Client;
import dev.junction.testkit.TestCertificates;

/**
 * The gateway's HTTP/2 towards clients: h2 by ALPN on HTTPS, h2c by prior knowledge and by Upgrade on HTTP, the
 * stream limit it announces, and HTTP/1.1 only with {@code --http2 off}.
 */
class GatewayHttp2Test extends GatewayCommandTest {

    @TempDir
    Path files;

    @Test
    void speaksH2ByAlpnOverTls() throws Exception {
        TestCertificates authority = TestCertificates.authority(files, "gateway-ca");
        TestCertificates.Issued certificate = authority.server("gateway");
        Gateway gateway = start("--port", "0", "--backends", backend().url(), "--access-log", "off",
                "--tls-cert", certificate.certificateFile().toString(), "--tls-key", certificate.keyFile().toString());

        HttpResponse<String> answer = HttpClient.newBuilder().sslContext(authority.clientContext()).build().send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + gateway.port() + "/hello"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(answer.body()).contains("X-Forwarded-Proto: https", "target: /hello");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("(HTTP/1.1, h2 up to 128 streams per connection)");
    }

    @Test
    void speaksH2cByPriorKnowledgeAndUpgradeUpToItsStreamLimit() throws Exception {
        Gateway gateway = start("--port", "0", "--backends", backend().url(), "--access-log", "off",
                "--http2-max-streams", "8");
        URI hello = URI.create("http://127.0.0.1:" + gateway.port() + "/hello");

        HttpClient upgrading = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        upgrading.send(HttpRequest.newBuilder(hello).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upgrading.send(HttpRequest.newBuilder(hello).build(), HttpResponse.BodyHandlers.ofString())
                .version()).isEqualTo(HttpClient.Version.HTTP_2);

        Http2Client client = stopLater(Http2Client.start(null));
        // 40 requests at once on one connection that may carry 8 streams: the client queues the rest, none fails.
        List<CompletableFuture<ContentResponse>> sent = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            sent.add(new CompletableResponseListener(client.jetty().newRequest(hello)
                    .timeout(20, TimeUnit.SECONDS)).send());
        }
        for (CompletableFuture<ContentResponse> response : sent) {
            ContentResponse done = response.get(30, TimeUnit.SECONDS);
            assertThat(done.getVersion()).isEqualTo(HttpVersion.HTTP_2);
            assertThat(done.getStatus()).isEqualTo(200);
        }
        assertThat(announcedMaxStreams(gateway.port())).isEqualTo(8);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("h2c up to 8 streams per connection");
    }

    @Test
    void helpShowsTheHttp2Options() {
        assertThat(run("--help").exitCode()).isZero();
        assertThat(printed()).contains("--http2 on|off", "--http2-max-streams N");
        assertThat(run("--http2", "maybe", "--http2-max-streams", "0").exitCode()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--http2: 'maybe' (expected: on or off)",
                "--http2-max-streams: '0' (expected: an integer from 1 to 10000)");
    }

    /** Connects by prior knowledge and returns the SETTINGS_MAX_CONCURRENT_STREAMS the gateway announces. */
    private static int announcedMaxStreams(int port) throws Exception {
        HTTP2Client http2 = new HTTP2Client();
        http2.start();
        try {
            CompletableFuture<Integer> announced = new CompletableFuture<>();
            Session session = http2.connect(new InetSocketAddress("127.0.0.1", port), new Session.Listener() {
                @Override
                public void onSettings(Session session, SettingsFrame frame) {
                    announced.complete(frame.getSettings().get(SettingsFrame.MAX_CONCURRENT_STREAMS));
                }
            }).get(10, TimeUnit.SECONDS);
            try {
                return announced.get(10, TimeUnit.SECONDS);
            } finally {
                session.close(0, "done", Callback.NOOP);
            }
        } finally {
            http2.stop();
        }
    }

    @Test
    void http2OffServesHttp11Only() throws Exception {
        Gateway gateway = start("--port", "0", "--backends", backend().url(), "--access-log", "off",
                "--http2", "off");
        URI hello = URI.create("http://127.0.0.1:" + gateway.port() + "/hello");

        HttpClient upgrading = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        upgrading.send(HttpRequest.newBuilder(hello).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> second = upgrading.send(HttpRequest.newBuilder(hello).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("(HTTP/1.1)");
    }
}
