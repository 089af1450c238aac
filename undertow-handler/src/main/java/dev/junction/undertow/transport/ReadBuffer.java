package dev.junction.undertow.transport;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

import io.undertow.connector.PooledByteBuffer;

import dev.junction.core.http.Chunk;

/**
 * A pooled buffer a backend connection reads into, shared by the chunks of body cut from it: it goes back to its
 * pool when the connection is done with it and every chunk is released, whichever comes last, on whichever thread.
 */
final class ReadBuffer {

    private final PooledByteBuffer pooled;
    private final AtomicInteger holders = new AtomicInteger(1);

    ReadBuffer(PooledByteBuffer pooled) {
        this.pooled = pooled;
    }

    /** Returns the bytes: written by the connection's reads, read by its parsing. */
    ByteBuffer buffer() {
        return pooled.getBuffer();
    }

    /** Returns a chunk of {@code bytes} (a slice of this buffer) that holds the buffer until it is released. */
    Chunk chunk(ByteBuffer bytes, boolean last) {
        holders.incrementAndGet();
        return new Piece(bytes, last, this);
    }

    /** Takes one more hold of the buffer, for a chunk of its own kind cut from it; returns this buffer. */
    ReadBuffer hold() {
        holders.incrementAndGet();
        return this;
    }

    /** Lets go of one hold; the last gives the buffer back. */
    void release() {
        if (holders.decrementAndGet() == 0) {
            pooled.close();
        }
    }

    /** A chunk of body cut from a read buffer. */
    private static final class Piece extends Chunk {

        private final ReadBuffer buffer;

        Piece(ByteBuffer bytes, boolean last, ReadBuffer buffer) {
            super(bytes, last, null);
            this.buffer = buffer;
        }

        @Override
        public void release() {
            buffer.release();
        }
    }
}
