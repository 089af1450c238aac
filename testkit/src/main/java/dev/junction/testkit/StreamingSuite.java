package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;

public abstract class StreamingSuite {

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    private final HttpClient client = HttpClient.newHttpClient();
    private TestBackend backend;
    private Gateway gateway;

    @BeforeEach
    void start() {
        backend = TestBackend.start("a");
        gateway = startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().prefix("/").backend(backend.url()).build())
                .build());
    }

    @AfterEach
    void stop() {
        gateway.close();
        backend.close();
    }

    @Test
    void aServerSentEventReachesTheClientBeforeTheNextIsWritten() throws Exception {
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(gateway.uri("/sse")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        try (BufferedReader events = new BufferedReader(
                new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            assertThat(events.readLine()).isEqualTo("data: one");
            // The backend writes its second event a second after the first: the first must not wait for it.
            assertThat(backend.secondEventWritten).isFalse();
            assertThat(events.readLine()).isEmpty();
            assertThat(events.readLine()).isEqualTo("data: two");
        }
    }

    @Test
    void aChunkedDownloadArrivesWhole() throws Exception {
        long size = 5L * 1024 * 1024 + 17;
        HttpResponse<InputStream> response = client.send(
                HttpRequest.newBuilder(gateway.uri("/download?size=" + size + "&chunked")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.headers().firstValue("Content-Length")).isEmpty();
        assertThat(digest(response.body())).isEqualTo(TestBackend.downloadDigest(size));
    }

    public static byte[] digest(InputStream in) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 * 1024];
        try (in) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
            }
        }
        return sha.digest();
    }
}
