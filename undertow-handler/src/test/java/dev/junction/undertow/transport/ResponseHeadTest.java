package dev.junction.undertow.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.junction.undertow.transport.ResponseHead.Framing;

class ResponseHeadTest {

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static ResponseHead read(String text) {
        ResponseHead head = new ResponseHead();
        assertThat(head.read(bytes(text), false, false)).isTrue();
        return head;
    }

    @Test
    void readsAHeadInPiecesAndLeavesTheBodyInTheBuffer() {
        ResponseHead head = new ResponseHead();
        assertThat(head.read(bytes("HTTP/1.1 200 OK\r\nContent-Le"), false, false)).isFalse();
        ByteBuffer rest = bytes("ngth: 5\r\nX-A:  one \r\nX-A: two\r\n\r\nhello");

        assertThat(head.read(rest, false, false)).isTrue();

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.fields().values("X-A")).containsExactly("one", "two");
        assertThat(head.framing()).isEqualTo(Framing.LENGTH);
        assertThat(head.contentLength()).isEqualTo(5);
        assertThat(head.keepAlive()).isTrue();
        assertThat(StandardCharsets.ISO_8859_1.decode(rest).toString()).isEqualTo("hello");
    }

    @Test
    void acceptsBareLineFeedsAndAStatusLineWithoutAReason() {
        ResponseHead head = read("HTTP/1.1 204\nServer: x\n\n");

        assertThat(head.status()).isEqualTo(204);
        assertThat(head.fields().get("Server")).isEqualTo("x");
        assertThat(head.framing()).isEqualTo(Framing.NONE);
    }

    @Test
    void framesBodiesAsRfc9112Says() {
        assertThat(read("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n").framing())
                .isEqualTo(Framing.CHUNKED);
        assertThat(read("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n").framing()).isEqualTo(Framing.CLOSE);
        ResponseHead closeDelimited = read("HTTP/1.1 200 OK\r\n\r\n");
        assertThat(closeDelimited.framing()).isEqualTo(Framing.CLOSE);
        assertThat(closeDelimited.keepAlive()).isFalse();
        assertThat(read("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n").framing())
                .isEqualTo(Framing.NONE);
        assertThat(read("HTTP/1.1 200 OK\r\nContent-Length: 7, 7\r\nContent-Length: 7\r\n\r\n").contentLength())
                .isEqualTo(7);
        ResponseHead head = new ResponseHead();
        head.read(bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"), true, false);
        assertThat(head.framing()).isEqualTo(Framing.NONE);
    }

    @Test
    void keepsAliveAsTheVersionAndConnectionSay() {
        assertThat(read("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").keepAlive()).isFalse();
        assertThat(read("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").keepAlive()).isFalse();
        assertThat(read("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n").keepAlive())
                .isTrue();
    }

    @Test
    void interimHeadsAreReadOneAfterTheOther() {
        ResponseHead head = new ResponseHead();
        ByteBuffer in = bytes("HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\n"
                + "Content-Length: 0\r\n\r\n");

        assertThat(head.read(in, false, false)).isTrue();
        assertThat(head.interim()).isTrue();
        assertThat(head.fields().get("Link")).isEqualTo("</a.css>");
        head.reset();
        assertThat(head.read(in, false, false)).isTrue();

        assertThat(head.interim()).isFalse();
        assertThat(head.status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 0x5\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-A: one\r\n two\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-A : one\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-A: o\u0000ne\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-A: o\rne\r\n\r\n",
        "HTTP/1.1 200 OK\r\n: empty name\r\n\r\n",
        "HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
        "HTTP/2 200 OK\r\n\r\n",
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1 099 Odd\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
        "SURPRISE\r\n\r\n",
        "\r\nHTTP/1.1 200 OK\r\n\r\n",
    })
    void refusesWhatItCannotReadForCertain(String response) {
        assertThatThrownBy(() -> new ResponseHead().read(bytes(response), false, false))
                .isInstanceOf(BadResponseException.class)
                .hasMessageStartingWith("bad response from the backend: ");
    }

    @Test
    void refusesAHeadOverItsLimit() {
        String big = "HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(ResponseHead.MAX_BYTES) + "\r\n\r\n";

        assertThatThrownBy(() -> new ResponseHead().read(bytes(big), false, false))
                .isInstanceOf(BadResponseException.class)
                .hasMessageContaining("over " + ResponseHead.MAX_BYTES + " bytes");
    }
}
