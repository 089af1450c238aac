package dev.junction.core.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

import dev.junction.core.http.WriteCallback;
import dev.junction.core.spi.TunnelEnd;

/**
 * A tunnel end over one of Jetty's connections after {@code 101}: the connection Jetty's client hands over in its
 * upgrade (it replaces the HTTP connection on the {@link EndPoint}, with the bytes read past the head), or a Jetty
 * server's. A read fills a pooled buffer, taken only when bytes have come, or waits for the end point to be readable;
 * a write is the end point's own (one at a time, as the tunnel asks). Jetty's idle timeout is off: the tunnel's own
 * applies.
 *
 * <p>Thread-safe: the waiting read is handed over atomically between the tunnel's thread and Jetty's.
 */
public final class JettyTunnelEnd extends AbstractConnection implements Connection.UpgradeTo, TunnelEnd {

    private static final int BUFFER_BYTES = 16 * 1024;

    private final ByteBufferPool pool;
    private final AtomicReference<@Nullable Reader> waiting = new AtomicReference<>();
    private volatile @Nullable ByteBuffer leftover;
    private final @Nullable Consumer<TunnelEnd> opened;

    /**
     * Creates the end that takes over {@code endPoint} once it is {@linkplain EndPoint#upgrade upgraded} to it.
     * The end point's idle timeout is turned off.
     *
     * @param endPoint the connection's end point
     * @param executor runs the connection's callbacks, as Jetty's connections take one
     * @param pool the pool reads take their buffers from
     * @param opened told of this end once the end point runs it (a server's end: its {@code 101} has been written),
     *     or null when the caller hands it on itself
     */
    public JettyTunnelEnd(EndPoint endPoint, Executor executor, ByteBufferPool pool,
            @Nullable Consumer<TunnelEnd> opened) {
        super(endPoint, executor);
        this.pool = pool;
        this.opened = opened;
        endPoint.setIdleTimeout(0);
    }

    @Override
    public void onOpen() {
        super.onOpen();
        Consumer<TunnelEnd> taker = opened;
        if (taker != null) {
            taker.accept(this);
        }
    }

    @Override
    public void onUpgradeTo(ByteBuffer buffer) {
        if (BufferUtil.hasContent(buffer)) {
            leftover = BufferUtil.copy(buffer);
        }
    }

    @Override
    public void read(Reader reader) {
        ByteBuffer first = leftover;
        if (first != null) {
            leftover = null;
            reader.bytes(first, () -> { });
            return;
        }
        EndPoint endPoint = getEndPoint();
        if (!endPoint.isOpen()) {
            reader.failed(new ClosedChannelException());
            return;
        }
        RetainableByteBuffer buffer = pool.acquire(BUFFER_BYTES, true);
        int filled;
        try {
            filled = endPoint.fill(buffer.getByteBuffer());
        } catch (IOException e) {
            buffer.release();
            reader.failed(e);
            return;
        }
        if (filled > 0) {
            reader.bytes(buffer.getByteBuffer(), buffer::release);
        } else if (filled == 0) {
            buffer.release();
            waiting.set(reader);
            fillInterested();
        } else {
            buffer.release();
            reader.ended();
        }
    }

    @Override
    public void onFillable() {
        Reader reader = waiting.getAndSet(null);
        if (reader != null) {
            read(reader);
        }
    }

    @Override
    public void onFillInterestedFailed(Throwable cause) {
        Reader reader = waiting.getAndSet(null);
        if (reader != null) {
            reader.failed(cause);
        }
    }

    @Override
    public void write(ByteBuffer bytes, WriteCallback callback) {
        getEndPoint().write(Callback.from(callback::succeeded, callback::failed), bytes);
    }

    @Override
    public void shutdownOutput() {
        getEndPoint().shutdownOutput();
    }

    @Override
    public void close() {
        getEndPoint().close();
    }

    @Override
    public void onClose(@Nullable Throwable cause) {
        super.onClose(cause);
        Reader reader = waiting.getAndSet(null);
        if (reader != null) {
            reader.failed(cause != null ? cause : new ClosedChannelException());
        }
    }

    @Override
    public boolean onIdleExpired(java.util.concurrent.TimeoutException timeout) {
        // The tunnel's own idle timeout governs; Jetty's is off.
        return false;
    }
}
