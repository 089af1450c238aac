package dev.junction.undertow.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.junction.core.config.BackendConfig;
import dev.junction.core.http.BodySource;
import dev.junction.core.http.Chunk;
import dev.junction.core.http.Fields;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.BackendRequest;
import dev.junction.core.spi.Ticker;

class RequestHeadTest {

    private static final Backend BACKEND = BackendPool.of(List.of(BackendConfig.of("http://127.0.0.1:8080")),
            Ticker.system()).all().get(0);

    private static BackendRequest request(String method, String target, Fields headers, @Nullable BodySource body) {
        return new BackendRequest(BACKEND, BACKEND.origin(), method, target, headers, body, 0, 0);
    }

    private static BodySource body(long length) {
        return new BodySource() {
            @Override
            public @Nullable Chunk read() {
                return Chunk.of(ByteBuffer.allocate(0), true);
            }

            @Override
            public void demand(Runnable callback) {
                callback.run();
            }

            @Override
            public long length() {
                return length;
            }
        };
    }

    private static String text(RequestHead head) {
        return new String(head.bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void writesTheHeadAsGivenWithTheFramingItNeeds() {
        Fields headers = new Fields().add("Host", "api").add("X-A", "1").add("X-A", "2");

        RequestHead bodiless = RequestHead.of(request("GET", "/p%20q?x=1", headers, null));
        RequestHead known = RequestHead.of(request("POST", "/", Fields.copyOf(headers), body(12)));
        RequestHead unknown = RequestHead.of(request("POST", "/", Fields.copyOf(headers), body(-1)));

        assertThat(text(bodiless)).isEqualTo("GET /p%20q?x=1 HTTP/1.1\r\nHost: api\r\nX-A: 1\r\nX-A: 2\r\n\r\n");
        assertThat(bodiless.framing).isEqualTo(RequestHead.Framing.NONE);
        assertThat(text(known)).endsWith("X-A: 2\r\nContent-Length: 12\r\n\r\n");
        assertThat(known.length).isEqualTo(12);
        assertThat(text(unknown)).endsWith("X-A: 2\r\nTransfer-Encoding: chunked\r\n\r\n");
        assertThat(unknown.framing).isEqualTo(RequestHead.Framing.CHUNKED);
    }

    @Test
    void aDeclaredLengthStandsAndATransferEncodingIsTheTransportsOwn() {
        Fields headers = new Fields().add("Host", "api").add("Content-Length", "3")
                .add("Transfer-Encoding", "chunked");

        RequestHead head = RequestHead.of(request("PUT", "/", headers, body(-1)));

        assertThat(text(head)).isEqualTo("PUT / HTTP/1.1\r\nHost: api\r\nContent-Length: 3\r\n\r\n");
        assertThat(head.length).isEqualTo(3);
    }

    @Test
    void theFieldsKeepTheirOrderAndTheFramingGoesLast() {
        Fields headers = new Fields().add("Content-Length", "2").add("Accept", "*/*").add("Host", "api")
                .add("X-A", "1");

        RequestHead head = RequestHead.of(request("POST", "/", headers, body(2)));

        assertThat(text(head)).isEqualTo("POST / HTTP/1.1\r\nAccept: */*\r\nHost: api\r\nX-A: 1\r\n"
                + "Content-Length: 2\r\n\r\n");
    }

    @Test
    void refusesWhatCouldSplitTheRequest() {
        assertThatThrownBy(() -> RequestHead.of(request("GET", "/a b", new Fields(), null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("target");
        assertThatThrownBy(() -> RequestHead.of(request("GET", "/", new Fields().add("X", "a\r\nEvil: 1"), null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("value of X");
        assertThatThrownBy(() -> RequestHead.of(request("GET", "/", new Fields().add("Bad Name", "a"), null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("field name");
        assertThatThrownBy(() -> RequestHead.of(request("G\nET", "/", new Fields(), null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("method");
        assertThatThrownBy(() -> RequestHead.of(request("POST", "/", new Fields().add("Content-Length", "1e3"),
                body(1000)))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Content-Length");
    }
}
