package dev.junction.undertow;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.eclipse.jetty.io.Content;
import org.jspecify.annotations.Nullable;
import org.xnio.XnioIoThread;
import org.xnio.channels.StreamSourceChannel;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpContinue;

/**
 * The request body of an Undertow exchange as a demand-driven {@link Content.Source}. The channel is read on the
 * exchange's I/O thread only, one pooled buffer at a time, and only when the engine demands: while the backend is
 * slow to take the body, nothing more is read from the client (TCP flow control does the rest). The first demand
 * sends {@code 100 Continue} if the client is waiting for one.
 *
 * <p>{@link #read()} and {@link #demand} may be called from any thread; the hand-over of a chunk is guarded by this
 * object's monitor.
 */
final class UndertowRequestBody implements Content.Source {

    private final HttpServerExchange exchange;
    private final XnioIoThread ioThread;
    private final long length;

    // Guarded by this.
    private Content.@Nullable Chunk ready;
    private @Nullable Runnable demand;
    private boolean filling;

    // Touched only on the I/O thread.
    private boolean inFill;
    private boolean fillAgain;
    private @Nullable StreamSourceChannel channel;
    private boolean continueHandled;

    UndertowRequestBody(HttpServerExchange exchange) {
        this.exchange = exchange;
        this.ioThread = exchange.getIoThread();
        this.length = exchange.getRequestContentLength();
    }

    @Override
    public long getLength() {
        return length;
    }

    @Override
    public synchronized Content.@Nullable Chunk read() {
        Content.Chunk chunk = ready;
        if (chunk != null && !chunk.isLast()) {
            ready = null;
        } else if (chunk != null && chunk.hasRemaining()) {
            // The last chunk is handed out once with its bytes; later reads see the end alone, as the contract asks.
            ready = Content.Chunk.next(chunk);
        }
        return chunk;
    }

    @Override
    public void demand(Runnable demandCallback) {
        boolean now;
        synchronized (this) {
            if (demand != null) {
                throw new IllegalStateException("demand pending");
            }
            now = ready != null;
            if (!now) {
                demand = demandCallback;
                if (filling) {
                    return;
                }
                filling = true;
            }
        }
        if (now) {
            demandCallback.run();
        } else if (Thread.currentThread() == ioThread) {
            // Already on the channel's thread: read now instead of waking the thread up for it. Inside fill() (its
            // delivery led here), fill() reads again once the delivery returns, so the stack does not grow.
            if (inFill) {
                fillAgain = true;
            } else {
                fill();
            }
        } else {
            ioThread.execute(this::fill);
        }
    }

    @Override
    public void fail(Throwable failure) {
        deliver(Content.Chunk.from(failure, true));
    }

    /** Reads what the channel has into one chunk, or waits for the client. I/O thread only. */
    private void fill() {
        inFill = true;
        try {
            do {
                fillAgain = false;
                doFill();
            } while (fillAgain);
        } finally {
            inFill = false;
        }
    }

    private void doFill() {
        if (!continueHandled) {
            continueHandled = true;
            if (HttpContinue.requiresContinueResponse(exchange)) {
                HttpContinue.sendContinueResponse(exchange, new IoCallback() {
                    @Override
                    public void onComplete(HttpServerExchange done, Sender sender) {
                        fill();
                    }

                    @Override
                    public void onException(HttpServerExchange failed, Sender sender, IOException exception) {
                        deliver(Content.Chunk.from(exception, true));
                    }
                });
                return;
            }
        }
        StreamSourceChannel source = channel;
        if (source == null) {
            source = exchange.getRequestChannel();
            if (source == null) {
                deliver(Content.Chunk.from(new IOException("request body already read"), true));
                return;
            }
            channel = source;
        }
        PooledByteBuffer pooled = exchange.getConnection().getByteBufferPool().allocate();
        try {
            ByteBuffer buffer = pooled.getBuffer();
            int read = source.read(buffer);
            if (read == 0) {
                pooled.close();
                source.getReadSetter().set(readable -> {
                    readable.suspendReads();
                    fill();
                });
                source.resumeReads();
                return;
            }
            if (read < 0) {
                pooled.close();
                deliver(Content.Chunk.EOF);
                return;
            }
            buffer.flip();
            deliver(Content.Chunk.from(buffer, false, pooled::close));
        } catch (IOException | RuntimeException e) {
            pooled.close();
            deliver(Content.Chunk.from(e, true));
        }
    }

    /** Hands a chunk over and runs the pending demand, outside the monitor. */
    private void deliver(Content.Chunk chunk) {
        Runnable callback;
        synchronized (this) {
            if (ready != null && ready.isLast()) {
                chunk.release();
                return;
            }
            if (ready != null) {
                ready.release();
            }
            ready = chunk;
            filling = false;
            callback = demand;
            demand = null;
        }
        if (callback != null) {
            callback.run();
        }
    }
}
