package dev.junction.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkedDecoderTest {

    /** Decodes {@code body} fed {@code step} bytes at a time; returns the data, or throws. */
    private static String decode(String body, int step) {
        ChunkedDecoder decoder = ChunkedDecoder.forResponseBody(IllegalArgumentException::new);
        StringBuilder data = new StringBuilder();
        byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
        for (int at = 0; at < bytes.length && !decoder.done(); at += step) {
            ByteBuffer in = ByteBuffer.wrap(bytes, at, Math.min(step, bytes.length - at));
            while (in.hasRemaining() && !decoder.done()) {
                data.append(StandardCharsets.ISO_8859_1.decode(decoder.next(in)));
            }
        }
        assertThat(decoder.done()).as("the body ended").isTrue();
        return data.toString();
    }

    @Test
    void takesTheFramingOffWhateverThePieces() {
        String body = "5\r\nhello\r\n1;ext=\"a b\"\r\n \r\n10\r\n0123456789abcdef\r\n0\r\nX-Trailer: t\r\n\r\n";

        for (int step = 1; step <= body.length(); step++) {
            assertThat(decode(body, step)).as("in pieces of %d", step).isEqualTo("hello 0123456789abcdef");
        }
    }

    @Test
    void acceptsBareLineFeedsAndUpperCaseHex() {
        assertThat(decode("A\nabcdefghij\n0\n\n", 3)).isEqualTo("abcdefghij");
    }

    @Test
    void framingAfterDataTellsTheEndEarly() {
        ChunkedDecoder decoder = ChunkedDecoder.forResponseBody(IllegalArgumentException::new);
        ByteBuffer in = ByteBuffer.wrap("2\r\nok\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));

        ByteBuffer data = decoder.next(in);
        decoder.framing(in);

        assertThat(data.remaining()).isEqualTo(2);
        assertThat(decoder.done()).isTrue();
        assertThat(in.hasRemaining()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\r\n",
        "x\r\n",
        " 5\r\nhello\r\n0\r\n\r\n",
        "5\r\nhello!\r\n0\r\n\r\n",
        "5\rhello\r\n0\r\n\r\n",
        "5\r\nhello\rX0\r\n\r\n",
        "1000000000000000\r\n",
        "-1\r\n",
        "0\r\nX-Bad: a\u0001b\r\n\r\n",
    })
    void refusesMalformedFraming(String body) {
        assertThatThrownBy(() -> decode(body, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void boundsExtensionsAndTrailers() {
        assertThatThrownBy(() -> decode("1;" + "e".repeat(ChunkedDecoder.MAX_LINE_BYTES) + "\r\nx\r\n0\r\n\r\n", 64))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("extensions");
        assertThatThrownBy(() -> decode("0\r\nX: " + "t".repeat(ChunkedDecoder.MAX_LINE_BYTES) + "\r\n\r\n", 64))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trailer");
    }
}
