package dev.junction.undertow;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.DefaultByteBufferPool;

/**
 * Undertow's buffer pool, counting the buffers handed out and not given back: a gateway's server uses it, and once
 * the server has stopped every buffer must be back. A request-body buffer that an aborted or early-answered upload
 * kept would show here.
 */
final class LeakCheckingBufferPool implements ByteBufferPool {

    private final ByteBufferPool pool;
    private final AtomicInteger outstanding;
    private final LeakCheckingBufferPool arrayBacked;

    LeakCheckingBufferPool() {
        this(new DefaultByteBufferPool(true, 16 * 1024 - 20, -1, 4), new AtomicInteger());
    }

    private LeakCheckingBufferPool(ByteBufferPool pool, AtomicInteger outstanding) {
        this.pool = pool;
        this.outstanding = outstanding;
        this.arrayBacked = pool.isDirect() ? new LeakCheckingBufferPool(pool.getArrayBackedPool(), outstanding)
                : this;
    }

    /** Returns how many buffers are handed out now. */
    int outstanding() {
        return outstanding.get();
    }

    @Override
    public PooledByteBuffer allocate() {
        PooledByteBuffer buffer = pool.allocate();
        outstanding.incrementAndGet();
        AtomicBoolean open = new AtomicBoolean(true);
        return new PooledByteBuffer() {
            @Override
            public ByteBuffer getBuffer() {
                return buffer.getBuffer();
            }

            @Override
            public void close() {
                if (open.compareAndSet(true, false)) {
                    outstanding.decrementAndGet();
                    buffer.close();
                }
            }

            @Override
            public boolean isOpen() {
                return open.get();
            }
        };
    }

    @Override
    public ByteBufferPool getArrayBackedPool() {
        return arrayBacked;
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public int getBufferSize() {
        return pool.getBufferSize();
    }

    @Override
    public boolean isDirect() {
        return pool.isDirect();
    }
}
