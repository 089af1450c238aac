package dev.junction.core.http;

import java.nio.ByteBuffer;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A piece of a message body, read from a {@link BodySource}: bytes, whether it is the last piece, or the failure that
 * ended the body. Whoever reads a chunk {@link #release() releases} it once its bytes have been used (written on, or
 * copied), so a pooled buffer goes back to its pool.
 *
 * <p>Subclasses tie release to a buffer pool; the factories cover the rest. The bytes are the buffer's remaining
 * ones; a reader consumes them by moving the buffer's position.
 */
public abstract class Chunk {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    /** The end of a body, with no bytes. */
    public static final Chunk EOF = new Chunk(EMPTY, true, null) {
        @Override
        public void release() {
        }
    };

    private final ByteBuffer buffer;
    private final boolean last;
    private final @Nullable Throwable failure;

    /**
     * Creates a chunk.
     *
     * @param buffer the bytes, between position and limit
     * @param last whether this is the last piece of the body
     * @param failure the failure that ended the body, or null
     */
    protected Chunk(ByteBuffer buffer, boolean last, @Nullable Throwable failure) {
        this.buffer = Objects.requireNonNull(buffer, "buffer");
        this.last = last;
        this.failure = failure;
    }

    /**
     * Returns a chunk of {@code buffer}'s remaining bytes that holds nothing to give back.
     *
     * @param buffer the bytes, between position and limit; not copied
     * @param last whether this is the last piece of the body
     * @return a chunk whose {@link #release()} does nothing
     */
    public static Chunk of(ByteBuffer buffer, boolean last) {
        return new Plain(buffer, last, null, null);
    }

    /**
     * Returns a chunk of {@code buffer}'s remaining bytes; {@code release} runs once, when it is released.
     *
     * @param buffer the bytes, between position and limit; not copied
     * @param last whether this is the last piece of the body
     * @param release gives the buffer back, run on the first {@link #release()} only
     * @return the chunk
     * @throws NullPointerException if {@code buffer} or {@code release} is null
     */
    public static Chunk of(ByteBuffer buffer, boolean last, Runnable release) {
        return new Plain(buffer, last, null, Objects.requireNonNull(release, "release"));
    }

    /**
     * Returns the last chunk of a body that failed: the reader stops and handles {@code failure}.
     *
     * @param failure what ended the body
     * @return a last chunk with no bytes and that failure
     * @throws NullPointerException if {@code failure} is null
     */
    public static Chunk failed(Throwable failure) {
        return new Plain(EMPTY, true, Objects.requireNonNull(failure, "failure"), null);
    }

    /** {@return the bytes: from the buffer's position to its limit} */
    public final ByteBuffer buffer() {
        return buffer;
    }

    /** {@return whether this is the last piece of the body} */
    public final boolean last() {
        return last;
    }

    /** {@return the failure that ended the body, or null for a chunk of bytes} */
    public final @Nullable Throwable failure() {
        return failure;
    }

    /** {@return whether the buffer has bytes left} */
    public final boolean hasRemaining() {
        return buffer.hasRemaining();
    }

    /** Gives the chunk's buffer back; called once by whoever read it. */
    public abstract void release();

    @Override
    public String toString() {
        return failure != null ? "Chunk{failed: " + failure + '}'
                : "Chunk{" + buffer.remaining() + " bytes" + (last ? ", last" : "") + '}';
    }

    private static final class Plain extends Chunk {

        private @Nullable Runnable release;

        Plain(ByteBuffer buffer, boolean last, @Nullable Throwable failure, @Nullable Runnable release) {
            super(buffer, last, failure);
            this.release = release;
        }

        @Override
        public void release() {
            Runnable once = release;
            release = null;
            if (once != null) {
                once.run();
            }
        }
    }
}
