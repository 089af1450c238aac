package dev.junction.undertow.transport;

import java.util.Arrays;

import dev.junction.core.http.BodySource;
import dev.junction.core.http.Fields;
import dev.junction.core.spi.BackendRequest;

/**
 * Writes the head of a request to a backend as HTTP/1.1 bytes, straight from the engine's fields in their order, and
 * decides how its body is framed: the {@code Content-Length} the request carries, else the body's known length, else
 * chunked; the framing field comes last, as Jetty's client writes it. Every byte is checked as it is written: a
 * method or a name that is not a token, or a target or value with a control character, is refused before anything
 * is sent, so nothing the engine was handed can split a request.
 */
final class RequestHead {

    /** How the request body goes on the wire. */
    enum Framing {
        /** No body. */
        NONE,
        /** {@link #length} bytes. */
        LENGTH,
        /** Chunked: the length is not known. */
        CHUNKED
    }

    private static final byte[] VERSION = {' ', 'H', 'T', 'T', 'P', '/', '1', '.', '1', '\r', '\n'};
    private static final byte[] CHUNKED = "Transfer-Encoding: chunked\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

    final byte[] bytes;
    final Framing framing;
    /** The body's length for {@link Framing#LENGTH}, else -1. */
    final long length;

    private RequestHead(byte[] bytes, Framing framing, long length) {
        this.bytes = bytes;
        this.framing = framing;
        this.length = length;
    }

    /**
     * Returns the head of {@code request}, encoded.
     *
     * @throws IllegalArgumentException if a method, target, name or value cannot be sent as it is
     */
    static RequestHead of(BackendRequest request) {
        Fields fields = request.headers();
        BodySource body = request.body();
        long length = -1;
        String declared = fields.get("Content-Length");
        if (declared != null) {
            length = parseLength(declared);
        } else if (body != null) {
            length = body.length();
        }
        Framing framing = body == null ? Framing.NONE : length >= 0 ? Framing.LENGTH : Framing.CHUNKED;
        Writer out = new Writer(256 + fields.size() * 48);
        out.token(request.method(), "method");
        out.put((byte) ' ');
        out.target(request.target());
        out.put(VERSION);
        // The fields in the engine's order, then the framing this transport writes.
        for (int i = 0; i < fields.size(); i++) {
            if (!fields.is(i, "Content-Length") && !fields.is(i, "Transfer-Encoding")) {
                out.field(fields.name(i), fields.value(i));
            }
        }
        if (framing == Framing.LENGTH || (body == null && declared != null)) {
            out.ascii("Content-Length: " + length + "\r\n");
        } else if (framing == Framing.CHUNKED) {
            out.put(CHUNKED);
        }
        out.put((byte) '\r');
        out.put((byte) '\n');
        return new RequestHead(out.bytes(), framing, framing == Framing.LENGTH ? length : -1);
    }

    private static long parseLength(String value) {
        String digits = value.trim();
        if (digits.isEmpty() || digits.length() > 18) {
            throw new IllegalArgumentException("request not sendable: Content-Length '" + value + "'");
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                throw new IllegalArgumentException("request not sendable: Content-Length '" + value + "'");
            }
        }
        return Long.parseLong(digits);
    }

    /** A growing byte array that checks what it is given. */
    private static final class Writer {

        private byte[] bytes;
        private int length;

        Writer(int capacity) {
            this.bytes = new byte[capacity];
        }

        void put(byte b) {
            if (length == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            bytes[length++] = b;
        }

        void put(byte[] more) {
            for (byte b : more) {
                put(b);
            }
        }

        void ascii(String text) {
            for (int i = 0; i < text.length(); i++) {
                put((byte) text.charAt(i));
            }
        }

        void token(String text, String what) {
            if (text.isEmpty()) {
                throw new IllegalArgumentException("request not sendable: empty " + what);
            }
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c > 0x7F || !ResponseHead.tokenByte((byte) c)) {
                    throw new IllegalArgumentException("request not sendable: " + what + " '" + text + "'");
                }
                put((byte) c);
            }
        }

        void target(String text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c <= 0x20 || c >= 0x7F) {
                    throw new IllegalArgumentException("request not sendable: a control character, space or"
                            + " non-ASCII character in the target");
                }
                put((byte) c);
            }
        }

        void field(String name, String value) {
            token(name, "field name");
            put((byte) ':');
            put((byte) ' ');
            value(value, name);
            put((byte) '\r');
            put((byte) '\n');
        }

        void value(String text, String name) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c > 0xFF || (c < 0x20 && c != '\t') || c == 0x7F) {
                    throw new IllegalArgumentException("request not sendable: a control or non-Latin-1 character in"
                            + " the value of " + name);
                }
                put((byte) c);
            }
        }

        byte[] bytes() {
            return Arrays.copyOf(bytes, length);
        }
    }
}
