package dev.junction.undertow.transport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

import dev.junction.core.http.Fields;

/**
 * Reads the head of a backend's HTTP/1.1 response, strictly (RFC 9112), from as many pieces as the bytes come in, and
 * works out how its body is framed. A head it cannot read for certain (a malformed line, a field name with
 * whitespace, an obsolete line folding, lengths that disagree, {@code Content-Length} beside
 * {@code Transfer-Encoding}) is a {@link BadResponseException}, so no body is ever read by a guess. One per
 * connection, reused response after response.
 */
final class ResponseHead {

    /** The largest head read: Envoy's default limit (60 KiB) with room to spare. */
    static final int MAX_BYTES = 64 * 1024;

    /** How a response's body is delimited. */
    enum Framing {
        /** No body: a {@code HEAD} request's response, {@code 1xx}, {@code 204}, {@code 304}, a length of 0. */
        NONE,
        /** {@code Content-Length} bytes. */
        LENGTH,
        /** {@code Transfer-Encoding: chunked}. */
        CHUNKED,
        /** Whatever comes until the backend closes the connection. */
        CLOSE
    }

    /** The token characters (RFC 9110 5.6.2), by ASCII code. */
    private static final boolean[] TOKEN = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[Character.toUpperCase(c)] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TOKEN[c] = true;
        }
    }

    private byte[] bytes = new byte[1024];
    private int length;
    private int lineStart;

    // The head last read whole.
    private int status;
    private @Nullable Fields fields;
    private Framing framing = Framing.NONE;
    private long contentLength = -1;
    private boolean keepAlive;

    /** Forgets the head read, to read the next one. */
    void reset() {
        length = 0;
        lineStart = 0;
        fields = null;
    }

    /**
     * Takes the bytes of a head from {@code in}, up to its end; returns true once the head is whole and parsed,
     * {@code in} then positioned at the first byte after it (the body's), false if more bytes are needed.
     *
     * @param headRequest whether the request was {@code HEAD}: its response has no body whatever its fields say
     * @param upgradeAsked whether the request asked to switch protocols: only then may the answer be {@code 101}
     * @throws BadResponseException if the head is malformed or over {@link #MAX_BYTES}
     */
    boolean read(ByteBuffer in, boolean headRequest, boolean upgradeAsked) {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (length == bytes.length) {
                if (length == MAX_BYTES) {
                    throw new BadResponseException("response head over " + MAX_BYTES + " bytes");
                }
                bytes = Arrays.copyOf(bytes, Math.min(MAX_BYTES, length * 2));
            }
            bytes[length++] = b;
            if (b == '\n') {
                int line = length - 1 - lineStart;
                boolean empty = line == 0 || (line == 1 && bytes[lineStart] == '\r');
                lineStart = length;
                if (empty && length > 2) {
                    parse(headRequest, upgradeAsked);
                    return true;
                }
                if (empty) {
                    throw new BadResponseException("empty line before the status line");
                }
            }
        }
        return false;
    }

    /** Returns whether any byte of a head has been read since the last {@link #reset()}. */
    boolean begun() {
        return length > 0;
    }

    int status() {
        return status;
    }

    /** Returns the header fields of the head last read; the caller owns them. */
    Fields fields() {
        Fields read = fields;
        if (read == null) {
            throw new IllegalStateException("no head read");
        }
        return read;
    }

    Framing framing() {
        return framing;
    }

    /** Returns the body's length for {@link Framing#LENGTH}, else -1. */
    long contentLength() {
        return contentLength;
    }

    /** Returns whether the connection may carry another request after this response. */
    boolean keepAlive() {
        return keepAlive;
    }

    /**
     * Returns whether the head last read is an interim one ({@code 1xx} but {@code 101}, after which the connection
     * speaks another protocol), which the final one follows.
     */
    boolean interim() {
        return status < 200 && status != 101;
    }

    private void parse(boolean headRequest, boolean upgradeAsked) {
        int end = lineEnd(0);
        // HTTP-version SP status-code [SP reason-phrase]
        if (end < 12 || !startsWith("HTTP/1.") || (bytes[7] != '0' && bytes[7] != '1') || bytes[8] != ' '
                || !digit(bytes[9]) || !digit(bytes[10]) || !digit(bytes[11]) || (end > 12 && bytes[12] != ' ')) {
            throw new BadResponseException("malformed status line");
        }
        for (int i = 13; i < end; i++) {
            if (!fieldByte(bytes[i])) {
                throw new BadResponseException("control character in the status line");
            }
        }
        boolean http11 = bytes[7] == '1';
        status = (bytes[9] - '0') * 100 + (bytes[10] - '0') * 10 + (bytes[11] - '0');
        if (status < 100) {
            throw new BadResponseException("status " + status);
        }
        if (status == 101 && !upgradeAsked) {
            throw new BadResponseException("101 Switching Protocols to a request that asked for no upgrade");
        }
        Fields read = new Fields(16);
        int line = next(end);
        while (true) {
            end = lineEnd(line);
            if (end == line) {
                break;
            }
            field(read, line, end);
            line = next(end);
        }
        fields = read;
        framing(read, http11, headRequest);
    }

    private void field(Fields into, int start, int end) {
        byte first = bytes[start];
        if (first == ' ' || first == '\t') {
            throw new BadResponseException("obsolete line folding");
        }
        int colon = start;
        while (colon < end && bytes[colon] != ':') {
            if (!tokenByte(bytes[colon])) {
                throw new BadResponseException("invalid character in a field name");
            }
            colon++;
        }
        if (colon == start || colon == end) {
            throw new BadResponseException("field line without a name and a colon");
        }
        int from = colon + 1;
        int to = end;
        while (from < to && (bytes[from] == ' ' || bytes[from] == '\t')) {
            from++;
        }
        while (to > from && (bytes[to - 1] == ' ' || bytes[to - 1] == '\t')) {
            to--;
        }
        for (int i = from; i < to; i++) {
            if (!fieldByte(bytes[i])) {
                throw new BadResponseException("control character in the value of a field");
            }
        }
        into.add(KnownNames.name(bytes, start, colon - start), new String(bytes, from, to - from,
                StandardCharsets.ISO_8859_1));
    }

    private void framing(Fields read, boolean http11, boolean headRequest) {
        String transferEncoding = null;
        String length = null;
        boolean close = !http11;
        for (int i = 0; i < read.size(); i++) {
            if (read.is(i, "Transfer-Encoding")) {
                transferEncoding = transferEncoding == null ? read.value(i) : transferEncoding + "," + read.value(i);
            } else if (read.is(i, "Content-Length")) {
                length = length == null ? read.value(i) : length + "," + read.value(i);
            } else if (read.is(i, "Connection")) {
                String value = read.value(i);
                if (containsToken(value, "close")) {
                    close = true;
                } else if (!http11 && containsToken(value, "keep-alive")) {
                    close = false;
                }
            }
        }
        contentLength = -1;
        if (headRequest || status < 200 || status == 204 || status == 304) {
            framing = Framing.NONE;
        } else if (transferEncoding != null) {
            if (length != null) {
                throw new BadResponseException("both Transfer-Encoding and Content-Length");
            }
            if (!http11) {
                throw new BadResponseException("Transfer-Encoding in an HTTP/1.0 response");
            }
            framing = chunkedLast(transferEncoding) ? Framing.CHUNKED : Framing.CLOSE;
        } else if (length != null) {
            contentLength = contentLength(length);
            framing = contentLength == 0 ? Framing.NONE : Framing.LENGTH;
        } else {
            framing = Framing.CLOSE;
        }
        keepAlive = !close && framing != Framing.CLOSE;
    }

    /** Returns whether the comma-separated list {@code value} holds {@code token}, in any case. */
    private static boolean containsToken(String value, String token) {
        int from = 0;
        while (from <= value.length()) {
            int comma = value.indexOf(',', from);
            int end = comma < 0 ? value.length() : comma;
            int start = from;
            while (start < end && (value.charAt(start) == ' ' || value.charAt(start) == '\t')) {
                start++;
            }
            int stop = end;
            while (stop > start && (value.charAt(stop - 1) == ' ' || value.charAt(stop - 1) == '\t')) {
                stop--;
            }
            if (stop - start == token.length() && value.regionMatches(true, start, token, 0, token.length())) {
                return true;
            }
            if (comma < 0) {
                return false;
            }
            from = comma + 1;
        }
        return false;
    }

    /** Returns whether {@code chunked} is the last coding, and appears nowhere else. */
    private static boolean chunkedLast(String codings) {
        String[] parts = codings.split(",");
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].trim().equalsIgnoreCase("chunked")) {
                if (i != parts.length - 1) {
                    throw new BadResponseException("chunked is not the last transfer coding");
                }
                return true;
            }
        }
        return false;
    }

    /** Returns the one length a {@code Content-Length} list states; repeated equal values are one (RFC 9110 8.6). */
    private static long contentLength(String values) {
        if (values.indexOf(',') < 0) {
            return digits(values.trim());
        }
        long value = -1;
        for (String part : values.split(",", -1)) {
            long parsed = digits(part.trim());
            if (value >= 0 && value != parsed) {
                throw new BadResponseException("Content-Length values that differ");
            }
            value = parsed;
        }
        return value;
    }

    /** Returns the value of a {@code Content-Length}: 1 to 18 digits. */
    private static long digits(String digits) {
        if (digits.isEmpty() || digits.length() > 18) {
            throw new BadResponseException("invalid Content-Length");
        }
        long parsed = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw new BadResponseException("invalid Content-Length");
            }
            parsed = parsed * 10 + (c - '0');
        }
        return parsed;
    }

    /** Returns the end of the line starting at {@code start}: the index of its CR, or of its LF if it has no CR. */
    private int lineEnd(int start) {
        int i = start;
        while (bytes[i] != '\n') {
            i++;
        }
        if (i > start && bytes[i - 1] == '\r') {
            return i - 1;
        }
        return i;
    }

    /** Returns the start of the line after the one ending at {@code end}. */
    private int next(int end) {
        return bytes[end] == '\r' ? end + 2 : end + 1;
    }

    private boolean startsWith(String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            if (bytes[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** A byte of a field value or reason phrase: HTAB, SP, VCHAR or obs-text (RFC 9110 5.5). */
    private static boolean fieldByte(byte b) {
        return b == '\t' || (b >= 0x20 && b != 0x7F) || b < 0;
    }

    /** A byte of a token (RFC 9110 5.6.2). */
    static boolean tokenByte(byte b) {
        return b >= 0 && TOKEN[b];
    }
}
