package dev.junction.core.forward;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

import org.eclipse.jetty.io.Content;
import org.jspecify.annotations.Nullable;

/**
 * The client's request body as each attempt towards a backend reads it. The attempt's sender fails its content when
 * the attempt fails; that must not fail the client's body, which the next attempt may still send if nothing of it
 * was read (a backend that refused the connection saw nothing). So failures stop here: when the exchange ends, the
 * adapter disposes of whatever the client has not sent.
 *
 * <p>When a retry may need it, the body is also kept as it is read, up to a limit: once read whole within the limit,
 * it can be sent again from memory ({@link #replay()}).
 *
 * <p>Used by one attempt at a time, as the {@link Content.Source} contract requires.
 */
final class ClientBody implements Content.Source {

    private final Content.Source source;
    private final int keepLimit;
    private volatile boolean consumed;
    private @Nullable ByteArrayOutputStream kept;
    private volatile boolean whole;

    /**
     * @param keepLimit the most bytes kept for a replay, 0 to keep nothing
     */
    ClientBody(Content.Source source, int keepLimit) {
        this.source = source;
        this.keepLimit = keepLimit;
        this.kept = keepLimit > 0 ? new ByteArrayOutputStream(Math.min(keepLimit, 8192)) : null;
    }

    /** Returns whether any chunk was read: the body can no longer be sent again from the client. */
    boolean consumed() {
        return consumed;
    }

    /** Returns whether the body was read whole and kept within the limit: it can be sent again. */
    boolean replayable() {
        return whole && kept != null;
    }

    /** Returns the whole body, read and kept within the limit, for sending again; or null if it cannot be. */
    byte @Nullable [] replay() {
        ByteArrayOutputStream bytes = kept;
        return whole && bytes != null ? bytes.toByteArray() : null;
    }

    @Override
    public Content.@Nullable Chunk read() {
        Content.Chunk chunk = source.read();
        if (chunk != null) {
            consumed = true;
            keep(chunk);
        }
        return chunk;
    }

    private void keep(Content.Chunk chunk) {
        ByteArrayOutputStream bytes = kept;
        if (bytes == null || Content.Chunk.isFailure(chunk)) {
            return;
        }
        ByteBuffer data = chunk.getByteBuffer().slice();
        if (bytes.size() + data.remaining() > keepLimit) {
            kept = null;
            return;
        }
        byte[] copy = new byte[data.remaining()];
        data.get(copy);
        bytes.write(copy, 0, copy.length);
        // Whole at its last chunk, or as soon as its declared length is in: the backend may answer before the
        // client's end-of-body is read.
        long length = source.getLength();
        if (chunk.isLast() || length >= 0 && bytes.size() == length) {
            whole = true;
        }
    }

    @Override
    public void demand(Runnable demandCallback) {
        source.demand(demandCallback);
    }

    @Override
    public void fail(Throwable failure) {
        // Deliberately not passed on: see the class comment.
    }

    @Override
    public long getLength() {
        return source.getLength();
    }
}
