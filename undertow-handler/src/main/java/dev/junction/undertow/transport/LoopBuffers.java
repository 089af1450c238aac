package dev.junction.undertow.transport;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.undertow.connector.PooledByteBuffer;

/**
 * The direct buffers of one event loop: handed out and mostly given back on its thread, so a plain free list serves
 * them, with no lock and no lookup (Undertow's pool finds its thread-local cache in a synchronized map on every
 * allocation and release, which measured as a tenth of the transport's time). A buffer released on another thread
 * comes back through a concurrent queue, taken up on the next allocation. At most {@link #MAX_FREE} are kept.
 */
final class LoopBuffers {

    /**
     * The size of each buffer: a response head and a good piece of a body. 64 KiB rather than Undertow's 16 KiB: a
     * large body takes a quarter of the reads and of the writes to the client (1.3x on 1 MiB responses, measured);
     * a small one costs no more, as only the bytes read are touched.
     */
    static final int BUFFER_BYTES = 64 * 1024;
    /** How many free buffers a loop keeps: 4 MiB. */
    static final int MAX_FREE = 64;

    private final Thread thread;
    private final ArrayDeque<Pooled> free = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Pooled> returned = new ConcurrentLinkedQueue<>();

    LoopBuffers(Thread thread) {
        this.thread = thread;
    }

    /** Returns a cleared buffer. Loop thread only. */
    PooledByteBuffer allocate() {
        Pooled pooled = free.pollFirst();
        if (pooled == null) {
            pooled = returned.poll();
        }
        if (pooled == null) {
            pooled = new Pooled(ByteBuffer.allocateDirect(BUFFER_BYTES), this);
        }
        pooled.open = true;
        pooled.buffer.clear();
        return pooled;
    }

    private void recycle(Pooled pooled) {
        if (Thread.currentThread() == thread) {
            if (free.size() < MAX_FREE) {
                free.addFirst(pooled);
            }
        } else if (returned.size() < MAX_FREE) {
            returned.add(pooled);
        }
    }

    /** A buffer of the loop's; closing it gives it back, once. */
    private static final class Pooled implements PooledByteBuffer {

        final ByteBuffer buffer;
        private final LoopBuffers owner;
        private volatile boolean open;

        Pooled(ByteBuffer buffer, LoopBuffers owner) {
            this.buffer = buffer;
            this.owner = owner;
        }

        @Override
        public ByteBuffer getBuffer() {
            return buffer;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                owner.recycle(this);
            }
        }
    }
}
