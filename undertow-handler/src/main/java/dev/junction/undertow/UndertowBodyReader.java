package dev.junction.undertow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.xnio.XnioIoThread;
import org.xnio.channels.StreamSourceChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.Connectors;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.server.protocol.http.HttpContinue;
import io.undertow.util.Headers;

import dev.junction.core.http.BodyHandOver;
import dev.junction.core.http.Chunk;
import dev.junction.core.http.ChunkedDecoder;
import dev.junction.core.http.MalformedBodyException;

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
    /** An HTTP/1.x chunked body, decoded here from the connection's own bytes (see {@link #readChunked()}). */
    private final boolean strictChunked;
    private @Nullable ChunkedDecoder decoder;
    /** Bytes read from the client and not decoded yet. */
    private @Nullable PooledByteBuffer raw;

    private UndertowBodyReader(HttpServerExchange exchange, Runnable whenRead) {
        this.exchange = exchange;
        this.whenRead = whenRead;
        String encoding = exchange.getRequestHeaders().getLast(Headers.TRANSFER_ENCODING);
        this.strictChunked = exchange.getConnection() instanceof HttpServerConnection && encoding != null
                && encoding.strip().toLowerCase(Locale.ROOT).endsWith("chunked");
        this.ioThread = exchange.getIoThread();
        this.body = new BodyHandOver(exchange.getRequestContentLength(), this);
    }

    /**
     * Returns the body of {@code exchange}, read as Junction demands; {@code whenRead} runs on the I/O thread once
     * the whole body has been read from the client.
     */
    static UndertowBodyReader of(HttpServerExchange exchange, Runnable whenRead) {
        return new UndertowBodyReader(exchange, whenRead);
    }

    /** Returns the body, read as Junction demands. */
    BodyHandOver body() {
        return body;
    }

    /**
     * Lets go of what the exchange, now ending, will not read: bytes read from the client and not decoded are given
     * back to the pool; a chunked body not read to its end leaves its connection unfit for another request (what
     * follows on it cannot be told apart from the body), so the connection closes after the exchange rather than
     * being drained. I/O thread only; idempotent.
     */
    void dispose() {
        release();
        ChunkedDecoder chunked = decoder;
        if (chunked != null && !chunked.done() && !exchange.isRequestComplete()) {
            exchange.setPersistent(false);
            Connectors.terminateRequest(exchange);
        }
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
        if (strictChunked) {
            readChunked();
            return;
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

    /**
     * Reads a chunked body with Junction's strict decoder instead of Undertow's, which waits for more after chunk data
     * that is not followed by CRLF instead of failing. The bytes come from the connection's own conduit, starting with
     * those Undertow read past the head; bytes after the body's end (a pipelined request) are handed back to Undertow,
     * and the request is marked complete, as Undertow's decoder would. Malformed framing fails the body at once, the
     * connection still open, so the client gets Junction's 400. I/O thread only.
     */
    private void readChunked() {
        HttpServerConnection connection = (HttpServerConnection) exchange.getConnection();
        ConduitStreamSourceChannel source = connection.getChannel().getSourceChannel();
        ChunkedDecoder chunked = decoder;
        if (chunked == null) {
            chunked = ChunkedDecoder.forRequestBody();
            decoder = chunked;
            raw = connection.getExtraBytes();
            connection.setExtraBytes(null);
            source.setConduit(connection.getOriginalSourceConduit());
        }
        PooledByteBuffer reading = null;
        try {
            while (true) {
                PooledByteBuffer in = raw;
                if (in == null || !in.getBuffer().hasRemaining()) {
                    if (in != null) {
                        in.close();
                    }
                    raw = null;
                    in = connection.getByteBufferPool().allocate();
                    reading = in;
                    int read = source.read(in.getBuffer());
                    reading = null;
                    if (read <= 0) {
                        in.close();
                        if (read == 0) {
                            source.getReadSetter().set(readable -> {
                                readable.suspendReads();
                                body.refill();
                            });
                            source.resumeReads();
                        } else {
                            body.fail(new IOException("the client closed its connection inside a chunked body"));
                        }
                        return;
                    }
                    in.getBuffer().flip();
                    raw = in;
                }
                ByteBuffer bytes = in.getBuffer();
                ByteBuffer data = chunked.next(bytes);
                if (data.hasRemaining()) {
                    chunked.framing(bytes);
                }
                boolean last = chunked.done();
                if (!data.hasRemaining() && !last) {
                    continue;
                }
                deliver(connection, in, data, last);
                return;
            }
        } catch (MalformedBodyException e) {
            release();
            Connectors.terminateRequest(exchange);
            body.fail(new IOException(e.getMessage()));
        } catch (IOException | RuntimeException e) {
            if (reading != null) {
                reading.close();
            }
            release();
            body.fail(e);
        }
    }

    /**
     * Hands over decoded {@code data}, a slice of {@code in}: without a copy when nothing else is left in {@code in};
     * at the body's end, what is left is a pipelined request, handed back to Undertow.
     */
    private void deliver(HttpServerConnection connection, PooledByteBuffer in, ByteBuffer data, boolean last) {
        ByteBuffer rest = in.getBuffer();
        Chunk chunk;
        if (!rest.hasRemaining()) {
            raw = null;
            chunk = Chunk.of(data, last, in::close);
        } else {
            PooledByteBuffer copy = connection.getByteBufferPool().allocate();
            copy.getBuffer().put(data).flip();
            chunk = Chunk.of(copy.getBuffer(), last, copy::close);
            if (last) {
                raw = null;
                connection.ungetRequestBytes(in);
            }
        }
        if (last) {
            Connectors.terminateRequest(exchange);
        }
        body.deliver(chunk);
        if (last) {
            whenRead.run();
        }
    }

    private void release() {
        PooledByteBuffer in = raw;
        raw = null;
        if (in != null) {
            in.close();
        }
    }
}
