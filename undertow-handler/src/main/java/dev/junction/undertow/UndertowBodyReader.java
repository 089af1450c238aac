package dev.junction.undertow;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;
import org.xnio.XnioIoThread;
import org.xnio.channels.StreamSourceChannel;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpContinue;

import dev.junction.core.http.BodyHandOver;
import dev.junction.core.http.Chunk;

/**
 * Reads the request body of an Undertow exchange for Junction's {@link BodyHandOver}: on the exchange's I/O thread
 * only, one pooled buffer at a time, and only when Junction demands. While the backend is slow to take the body,
 * nothing more is read from the client (TCP flow control does the rest). The first fill sends {@code 100 Continue} if
 * the client is waiting for one.
 *
 * <p>{@link #fill()} may be called from any thread; the channel is touched on the I/O thread alone.
 */
final class UndertowBodyReader implements BodyHandOver.Filler {

    private final HttpServerExchange exchange;
    private final XnioIoThread ioThread;
    private final BodyHandOver body;
    private final Runnable whenRead;

    // Touched only on the I/O thread.
    private @Nullable StreamSourceChannel channel;
    private boolean continueHandled;

    private UndertowBodyReader(HttpServerExchange exchange, Runnable whenRead) {
        this.exchange = exchange;
        this.whenRead = whenRead;
        this.ioThread = exchange.getIoThread();
        this.body = new BodyHandOver(exchange.getRequestContentLength(), this);
    }

    /**
     * Returns the body of {@code exchange}, read as Junction demands; {@code whenRead} runs on the I/O thread once
     * the whole body has been read from the client.
     */
    static BodyHandOver of(HttpServerExchange exchange, Runnable whenRead) {
        return new UndertowBodyReader(exchange, whenRead).body;
    }

    @Override
    public void fill() {
        if (Thread.currentThread() == ioThread) {
            read();
        } else {
            ioThread.execute(this::read);
        }
    }

    /** Reads what the channel has into one chunk, or waits for the client. I/O thread only. */
    private void read() {
        if (!continueHandled) {
            continueHandled = true;
            if (HttpContinue.requiresContinueResponse(exchange)) {
                HttpContinue.sendContinueResponse(exchange, new IoCallback() {
                    @Override
                    public void onComplete(HttpServerExchange done, Sender sender) {
                        read();
                    }

                    @Override
                    public void onException(HttpServerExchange failed, Sender sender, IOException exception) {
                        body.fail(exception);
                    }
                });
                return;
            }
        }
        StreamSourceChannel source = channel;
        if (source == null) {
            source = exchange.getRequestChannel();
            if (source == null) {
                body.fail(new IOException("request body already read"));
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
                    body.refill();
                });
                source.resumeReads();
                return;
            }
            if (read < 0) {
                pooled.close();
                body.deliver(Chunk.EOF);
                whenRead.run();
                return;
            }
            buffer.flip();
            // Undertow ends the request once its channel has read the declared length or the last chunk: saying so
            // now spares the transport a further demand, and the hop to this thread it would take, to learn it.
            boolean last = exchange.isRequestComplete();
            body.deliver(Chunk.of(buffer, last, pooled::close));
            if (last) {
                whenRead.run();
            }
        } catch (IOException | RuntimeException e) {
            pooled.close();
            body.fail(e);
        }
    }
}
