package dev.junction.core.http;

import java.nio.ByteBuffer;
import java.util.function.Function;

/**
 * Takes the framing off a chunked body (RFC 9112 7.1) as its bytes come in, strictly: a chunk size is hex digits
 * (at most 15 of them), optionally followed by extensions; each line ends in CRLF or LF; chunk data is followed by
 * its line end and nothing else; the trailer section is read and dropped (trailer fields are not forwarded).
 * Extensions and trailers are bounded, so a peer cannot make Junction hold an unbounded line. The Undertow transport
 * decodes backends' responses with it; in Undertow, the handler and the servlet filter decode clients' request bodies
 * with it, since Undertow's own decoder does not check framing as strictly. Junction frames a body anew for the next
 * hop, so a line end read as LF alone cannot make two hops disagree.
 *
 * <p>Not thread-safe: one body, read by one thread.
 */
public final class ChunkedDecoder {

    /** The most bytes a chunk line's extensions, or the whole trailer section, may take. */
    public static final int MAX_LINE_BYTES = 8 * 1024;

    private enum State { SIZE, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER_START, TRAILER, TRAILER_END, DONE }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private ChunkedDecoder(Function<String, ? extends RuntimeException> malformed) {
        this.malformed = malformed;
    }

    /**
     * Returns a decoder of a backend's response body: malformed framing is the exception {@code malformed} makes of
     * a message saying what is wrong.
     *
     * @param malformed makes the exception to throw from a message saying what is wrong with the framing
     * @return a new decoder, before the first chunk size
     */
    public static ChunkedDecoder forResponseBody(Function<String, ? extends RuntimeException> malformed) {
        return new ChunkedDecoder(malformed);
    }

    /**
     * Returns a decoder of a client's request body: malformed framing is a {@link MalformedBodyException}, whose
     * message says what is wrong.
     *
     * @return a new decoder, before the first chunk size
     */
    public static ChunkedDecoder forRequestBody() {
        return new ChunkedDecoder(what -> new MalformedBodyException("malformed chunked request body: " + what));
    }

    private final Function<String, ? extends RuntimeException> malformed;
    private State state = State.SIZE;
    private long remaining;
    private int digits;
    private int lineBytes;
    private int trailerBytes;

    /**
     * Returns the next data bytes in {@code in} as a slice of it (sharing its bytes; empty if {@code in} held only
     * framing), and moves {@code in} past what it consumed. Call again while {@code in} has bytes and the body is
     * not {@link #done()}.
     *
     * @param in the body's bytes as received, from its position
     * @return the data bytes found, empty when {@code in} held only framing or the body is done
     * @throws RuntimeException if the framing is malformed or over its limits: a {@link MalformedBodyException} for a
     *     request body, the exception given to {@link #forResponseBody} for a response
     */
    public ByteBuffer next(ByteBuffer in) {
        while (in.hasRemaining()) {
            if (state == State.DATA) {
                int take = (int) Math.min(remaining, in.remaining());
                ByteBuffer data = in.slice(in.position(), take);
                in.position(in.position() + take);
                remaining -= take;
                if (remaining == 0) {
                    state = State.DATA_CR;
                }
                return data;
            }
            if (state == State.DONE) {
                break;
            }
            step(in.get());
        }
        return EMPTY;
    }

    /**
     * Consumes the framing that follows chunk data in {@code in} (the CRLF, the next size line, the trailer section),
     * up to the next data or the end, so that the data just cut can be known for the last.
     *
     * @param in the body's bytes as received, from its position; moved past the framing consumed
     * @throws RuntimeException if the framing is malformed or over its limits, as for {@link #next}
     */
    public void framing(ByteBuffer in) {
        while (in.hasRemaining() && state != State.DATA && state != State.DONE) {
            step(in.get());
        }
    }

    /** {@return whether the body has ended: the last chunk and the trailer section are read} */
    public boolean done() {
        return state == State.DONE;
    }

    private void step(byte b) {
        switch (state) {
            case SIZE -> size(b);
            case EXTENSION -> {
                if (b == '\n') {
                    sizeEnd();
                } else if (b == '\r') {
                    state = State.SIZE_LF;
                } else if (++lineBytes > MAX_LINE_BYTES) {
                    throw malformed.apply("chunk extensions over " + MAX_LINE_BYTES + " bytes");
                } else if (b != '\t' && (b < 0x20 && b >= 0 || b == 0x7F)) {
                    throw malformed.apply("control character in a chunk extension");
                }
            }
            case SIZE_LF -> {
                if (b != '\n') {
                    throw malformed.apply("CR without LF in a chunk line");
                }
                sizeEnd();
            }
            case DATA_CR -> {
                if (b == '\n') {
                    state = State.SIZE;
                } else if (b == '\r') {
                    state = State.DATA_LF;
                } else {
                    throw malformed.apply("chunk data longer than its size");
                }
            }
            case DATA_LF -> {
                if (b != '\n') {
                    throw malformed.apply("CR without LF after chunk data");
                }
                state = State.SIZE;
            }
            case TRAILER_START -> {
                if (b == '\n') {
                    state = State.DONE;
                } else if (b == '\r') {
                    state = State.TRAILER_END;
                } else {
                    trailer(b);
                    state = State.TRAILER;
                }
            }
            case TRAILER -> {
                if (b == '\n') {
                    state = State.TRAILER_START;
                } else {
                    trailer(b);
                }
            }
            case TRAILER_END -> {
                if (b != '\n') {
                    throw malformed.apply("CR without LF at the end of the trailer section");
                }
                state = State.DONE;
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    private void size(byte b) {
        int value = Character.digit(b, 16);
        if (value >= 0 && b < 0x80) {
            if (++digits > 15) {
                throw malformed.apply("chunk size over 15 hex digits");
            }
            remaining = remaining * 16 + value;
            return;
        }
        if (digits == 0) {
            throw malformed.apply("chunk line without a size");
        }
        if (b == ';' || b == ' ' || b == '\t') {
            lineBytes = 1;
            state = State.EXTENSION;
        } else if (b == '\r') {
            state = State.SIZE_LF;
        } else if (b == '\n') {
            sizeEnd();
        } else {
            throw malformed.apply("invalid character in a chunk size");
        }
    }

    private void sizeEnd() {
        digits = 0;
        lineBytes = 0;
        state = remaining == 0 ? State.TRAILER_START : State.DATA;
    }

    private void trailer(byte b) {
        if (++trailerBytes > MAX_LINE_BYTES) {
            throw malformed.apply("trailer section over " + MAX_LINE_BYTES + " bytes");
        }
        if (b != '\t' && b != '\r' && (b < 0x20 && b >= 0 || b == 0x7F)) {
            throw malformed.apply("control character in a trailer field");
        }
    }
}
