package dev.junction.undertow.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;

import io.undertow.connector.PooledByteBuffer;

import dev.junction.core.http.WriteCallback;
import dev.junction.core.spi.TunnelEnd;

/**
 * A tunnel end over an XNIO connection: a client's connection Undertow upgraded, or a backend connection that
 * answered {@code 101}. Everything runs on the connection's I/O thread (a call from another thread is moved there).
 * A buffer is taken only when bytes have come and given back once they are written, so an idle tunnel holds none.
 *
 * <p>Thread-safe by confinement to the I/O thread.
 */
public final class StreamTunnelEnd implements TunnelEnd {

    private final StreamConnection connection;
    private final ConduitStreamSourceChannel source;
    private final ConduitStreamSinkChannel sink;
    private final XnioIoThread thread;
    private final Supplier<PooledByteBuffer> buffers;
    // Touched on the I/O thread only.
    private @Nullable PooledByteBuffer leftover;
    private @Nullable Reader reader;
    private @Nullable ByteBuffer writing;
    private @Nullable WriteCallback written;
    private boolean closed;
    private final ChannelListener<ConduitStreamSourceChannel> readable = channel -> readNow();
    private final ChannelListener<ConduitStreamSinkChannel> writable = channel -> writeNow();

    /**
     * Creates the end of {@code connection}.
     *
     * @param connection the upgraded connection, client's or backend's
     * @param buffers gives a cleared buffer, on the I/O thread
     * @param leftover bytes already read from the connection past the HTTP head, to be read first, or null
     */
    public StreamTunnelEnd(StreamConnection connection, Supplier<PooledByteBuffer> buffers,
            @Nullable PooledByteBuffer leftover) {
        this.connection = connection;
        this.source = connection.getSourceChannel();
        this.sink = connection.getSinkChannel();
        this.thread = connection.getIoThread();
        this.buffers = buffers;
        this.leftover = leftover != null && leftover.getBuffer().hasRemaining() ? leftover : null;
        if (leftover != null && this.leftover == null) {
            leftover.close();
        }
        connection.setCloseListener(closing -> onThread(this::closedUnderneath));
        source.getReadSetter().set(readable);
        sink.getWriteSetter().set(writable);
    }

    private void onThread(Runnable task) {
        if (Thread.currentThread() == thread) {
            task.run();
            return;
        }
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            // The I/O thread is stopping with its worker, and its connections with it: nothing else touches this one.
            task.run();
        }
    }

    @Override
    public void read(Reader reader) {
        onThread(() -> {
            if (closed) {
                reader.failed(new ClosedChannelException());
                return;
            }
            PooledByteBuffer first = leftover;
            if (first != null) {
                leftover = null;
                reader.bytes(first.getBuffer(), first::close);
                return;
            }
            this.reader = reader;
            readNow();
        });
    }

    private void readNow() {
        Reader waiting = reader;
        if (waiting == null) {
            source.suspendReads();
            return;
        }
        PooledByteBuffer pooled = buffers.get();
        int read;
        try {
            read = source.read(pooled.getBuffer());
        } catch (IOException e) {
            pooled.close();
            reader = null;
            waiting.failed(e);
            return;
        }
        if (read == 0) {
            pooled.close();
            source.resumeReads();
            return;
        }
        reader = null;
        source.suspendReads();
        if (read < 0) {
            pooled.close();
            waiting.ended();
            return;
        }
        pooled.getBuffer().flip();
        waiting.bytes(pooled.getBuffer(), () -> onThread(pooled::close));
    }

    @Override
    public void write(ByteBuffer bytes, WriteCallback callback) {
        onThread(() -> {
            if (closed) {
                callback.failed(new ClosedChannelException());
                return;
            }
            writing = bytes;
            written = callback;
            writeNow();
        });
    }

    private void writeNow() {
        ByteBuffer bytes = writing;
        WriteCallback callback = written;
        if (bytes == null || callback == null) {
            sink.suspendWrites();
            return;
        }
        try {
            while (bytes.hasRemaining()) {
                if (sink.write(bytes) == 0) {
                    sink.resumeWrites();
                    return;
                }
            }
            if (!sink.flush()) {
                sink.resumeWrites();
                return;
            }
        } catch (IOException e) {
            writing = null;
            written = null;
            callback.failed(e);
            return;
        }
        writing = null;
        written = null;
        sink.suspendWrites();
        callback.succeeded();
    }

    @Override
    public void shutdownOutput() {
        onThread(() -> {
            if (closed) {
                return;
            }
            try {
                sink.shutdownWrites();
                if (!sink.flush()) {
                    sink.getWriteSetter().set(ChannelListenerFlush.INSTANCE);
                    sink.resumeWrites();
                }
            } catch (IOException e) {
                close();
            }
        });
    }

    @Override
    public void close() {
        onThread(() -> {
            if (!closed) {
                IoUtils.safeClose(connection);
                closedUnderneath();
            }
        });
    }

    /** The connection closed: a read or write waiting fails, and the leftover bytes go back. */
    private void closedUnderneath() {
        if (closed) {
            return;
        }
        closed = true;
        PooledByteBuffer first = leftover;
        if (first != null) {
            leftover = null;
            first.close();
        }
        Reader waiting = reader;
        reader = null;
        if (waiting != null) {
            waiting.failed(new ClosedChannelException());
        }
        WriteCallback callback = written;
        written = null;
        writing = null;
        if (callback != null) {
            callback.failed(new ClosedChannelException());
        }
    }

    /** Flushes a sink whose writes were shut down until it is empty. */
    private enum ChannelListenerFlush implements ChannelListener<ConduitStreamSinkChannel> {
        INSTANCE;

        @Override
        public void handleEvent(ConduitStreamSinkChannel channel) {
            try {
                if (channel.flush()) {
                    channel.suspendWrites();
                }
            } catch (IOException e) {
                IoUtils.safeClose(channel);
            }
        }
    }
}
