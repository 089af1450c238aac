package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;

/**
 * A 1 GiB upload and a 1 GiB download through the gateway arrive intact while this JVM (client, gateway and backend
 * together) runs with {@code -Xmx128m}: the surefire execution {@code large-bodies} of the adapter module sets
 * it.
 * Neither side may hold a whole body.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class LargeBodySuite {

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    private static final long GIB = 1L << 30;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private TestBackend backend;
    private Gateway gateway;

    @BeforeAll
    void start() {
        assertThat(Runtime.getRuntime().maxMemory()).as("heap limit").isLessThanOrEqualTo(160L * 1024 * 1024);
        backend = TestBackend.start("a");
        gateway = startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().prefix("/").backend(backend.url()).build())
                .build());
    }

    @AfterAll
    void stop() {
        gateway.close();
        backend.close();
    }

    @Test
    void aGibibyteDownloadArrivesIntact() throws Exception {
        HttpResponse<InputStream> response = CLIENT.send(
                HttpRequest.newBuilder(gateway.uri("/download?size=" + GIB)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(GIB);
        assertThat(StreamingSuite.digest(response.body())).isEqualTo(TestBackend.downloadDigest(GIB));
    }

    @Test
    void aGibibyteUploadArrivesIntact() throws Exception {
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        HttpRequest request = HttpRequest.newBuilder(gateway.uri("/upload"))
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new RandomStream(GIB, sent)), GIB))
                .build();
        HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(HexFormat.of().formatHex(sent.digest()) + " " + GIB);
    }

    /** {@code size} pseudo-random bytes, digested as they are read. */
    private static final class RandomStream extends InputStream {
        private final Random random = new Random(7);
        private final MessageDigest digest;
        private long left;

        RandomStream(long size, MessageDigest digest) {
            this.left = size;
            this.digest = digest;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(length, left);
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, buffer, offset, n);
            digest.update(chunk);
            left -= n;
            return n;
        }
    }
}
