package dev.junction.core.http;

import org.jspecify.annotations.Nullable;

/**
 * A message body read on demand: {@link #read()} until it returns null, then {@link #demand} and return; the demand
 * callback runs once more can be read. Nothing is read from the network that has not been demanded, so a slow reader
 * holds the writer back (TCP flow control does the rest) and memory stays flat whatever the body's size.
 *
 * <pre>{@code
 * void pump() {
 *     while (true) {
 *         Chunk chunk = body.read();
 *         if (chunk == null) {
 *             body.demand(this::pump);
 *             return;
 *         }
 *         if (chunk.failure() != null) { ...; return; }
 *         ... use chunk.buffer(), then chunk.release() ...
 *         if (chunk.last()) { ...; return; }
 *     }
 * }
 * }</pre>
 *
 * <p>One reader at a time. The last chunk is returned once with its bytes; later reads return {@link Chunk#EOF} or the
 * failure again.
 */
public interface BodySource {

    /**
     * Returns the next chunk, or null if none has arrived yet (then {@link #demand}). Never blocks.
     *
     * @return the next chunk, to be released once used, or null
     */
    @Nullable Chunk read();

    /**
     * Asks to be called back once {@link #read()} has something; at most one demand is pending at a time. The
     * callback may run at once, on the calling thread, or later on another.
     *
     * @param callback run once when there is something to read
     */
    void demand(Runnable callback);

    /** {@return the body's length in bytes if it was declared, else -1} */
    long length();

    /**
     * Returns the trailer fields that followed the body (gRPC's {@code grpc-status}, a checksum), once its last chunk
     * has been read; null if there were none, or before then. The default has none.
     *
     * @return the trailer fields, or null
     */
    default @Nullable Fields trailers() {
        return null;
    }
}
