package dev.junction.undertow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.xnio.IoUtils;
import org.xnio.XnioIoThread;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.server.protocol.http.HttpAttachments;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;

import dev.junction.core.http.BodySource;
import dev.junction.core.http.Fields;
import dev.junction.core.http.WriteCallback;
import dev.junction.core.spi.ServerExchange;
import dev.junction.core.spi.TunnelEnd;
import dev.junction.undertow.transport.StreamTunnelEnd;

/**
 * An Undertow exchange as Junction sees it. Junction calls from its transport's threads; every touch of the exchange
 * and its channels is moved to the exchange's I/O thread, in call order (an XNIO I/O thread runs the tasks it is
 * given in order), so Undertow's non-thread-safe objects are only ever used by their own thread.
 *
 * <p>The response is written with the channel API: a chunk is written and flushed, and only then is Junction's
 * callback completed, so it demands the next one: back-pressure from the client to the backend, and each chunk on
 * the wire as soon as it arrives. Once the request has been read, the connection is watched, and its close listener
 * tells Junction when the client has gone.
 */
final class UndertowExchange implements ServerExchange {

    private final HttpServerExchange exchange;
    private final String rawPath;
    private final XnioIoThread ioThread;
    private @Nullable Fields requestHeaders;
    private @Nullable String clientAddress;
    private volatile @Nullable BodySource requestBody;
    private volatile @Nullable UndertowBodyReader reader;
    private volatile boolean finished;

    // Touched only on the I/O thread.
    private @Nullable StreamSinkChannel sink;
    private @Nullable ByteBuffer pending;
    private boolean pendingLast;
    private @Nullable WriteCallback pendingCallback;
    private boolean aborted;
    private boolean watching;
    private final AtomicInteger queued = new AtomicInteger();

    UndertowExchange(HttpServerExchange exchange, String rawPath) {
        this.exchange = exchange;
        this.rawPath = rawPath;
        this.ioThread = exchange.getIoThread();
    }

    @Override
    public String method() {
        return exchange.getRequestMethod().toString();
    }

    @Override
    public String rawPath() {
        return rawPath;
    }

    @Override
    public @Nullable String rawQuery() {
        String query = exchange.getQueryString();
        return query == null || query.isEmpty() ? null : query;
    }

    /**
     * The protocol of the request line; for an HTTP/1 connection whose request line claims HTTP/2.0 (which Undertow's
     * parser lets through), a text that says so, which Junction refuses with 505.
     */
    @Override
    public String protocol() {
        String protocol = exchange.getProtocol().toString();
        if (protocol.equals("HTTP/2.0") && exchange.getConnection() instanceof HttpServerConnection) {
            return "HTTP/2.0 in an HTTP/1 request line";
        }
        return protocol;
    }

    /** An HTTP/2 request whose stream goes on after its headers, with no Content-Length. */
    @Override
    public boolean hasUnannouncedBody() {
        return !(exchange.getConnection() instanceof HttpServerConnection) && !exchange.isRequestComplete()
                && exchange.getRequestContentLength() < 0;
    }

    @Override
    public String scheme() {
        return exchange.getRequestScheme();
    }

    @Override
    public Fields requestHeaders() {
        Fields headers = requestHeaders;
        if (headers == null) {
            HeaderMap map = exchange.getRequestHeaders();
            headers = new Fields(map.size() + 2);
            for (HeaderValues values : map) {
                String name = values.getHeaderName().toString();
                for (int i = 0; i < values.size(); i++) {
                    headers.add(name, values.get(i));
                }
            }
            requestHeaders = headers;
        }
        return headers;
    }

    @Override
    public String clientAddress() {
        String address = clientAddress;
        if (address == null) {
            address = exchange.getSourceAddress().getAddress().getHostAddress();
            clientAddress = address;
        }
        return address;
    }

    @Override
    public int localPort() {
        return exchange.getDestinationAddress().getPort();
    }

    @Override
    public BodySource requestBody() {
        BodySource body = requestBody;
        if (body == null) {
            UndertowBodyReader read = UndertowBodyReader.of(exchange, this::watchClient);
            reader = read;
            body = read.body();
            requestBody = body;
        }
        return body;
    }

    @Override
    public void writeHead(int status, Fields headers, boolean last, ByteBuffer content, WriteCallback callback) {
        onIoThread(() -> {
            if (!aborted && sink == null) {
                exchange.setStatusCode(status);
                addAll(exchange.getResponseHeaders(), headers);
            }
            writeNow(last, content, callback);
        });
    }

    @Override
    public void write(boolean last, ByteBuffer content, WriteCallback callback) {
        onIoThread(() -> writeNow(last, content, callback));
    }

    /**
     * Undertow sends them after the body: as a trailing HEADERS frame on HTTP/2, in the last chunk of a chunked
     * HTTP/1.1 response; a response framed by its length has no room for them.
     */
    @Override
    public void trailers(Fields trailers) {
        onIoThread(() -> {
            exchange.putAttachment(HttpAttachments.RESPONSE_TRAILERS, addAll(new HeaderMap(), trailers));
        });
    }

    /** Adds {@code fields} to {@code map}, repeated ones as separate values; returns the map. */
    private static HeaderMap addAll(HeaderMap map, Fields fields) {
        for (int i = 0; i < fields.size(); i++) {
            map.add(HttpString.tryFromString(fields.name(i)), fields.value(i));
        }
        return map;
    }

    /** Starts writing a piece. I/O thread only. */
    private void writeNow(boolean last, ByteBuffer content, WriteCallback callback) {
        if (aborted) {
            callback.failed(new IOException("client connection closed"));
            return;
        }
        if (sink == null) {
            sink = exchange.getResponseChannel();
        }
        pending = content;
        pendingLast = last;
        pendingCallback = callback;
        flushPending();
    }

    /** Writes what is pending; when the channel is full, resumes once it is writable again. I/O thread only. */
    private void flushPending() {
        StreamSinkChannel channel = sink;
        ByteBuffer content = pending;
        try {
            while (content.hasRemaining()) {
                if (channel.write(content) == 0) {
                    awaitWritable(channel);
                    return;
                }
            }
            if (pendingLast) {
                if (!(exchange.getConnection() instanceof HttpServerConnection)) {
                    // An HTTP/2 stream's exchange ends inside the flush below, which must not read as the client
                    // leaving (a failure still fails the write's callback). An HTTP/1 connection that closes
                    // during it is still told, by its close listener.
                    finished = true;
                }
                channel.shutdownWrites();
            }
            if (!channel.flush()) {
                awaitWritable(channel);
                return;
            }
        } catch (IOException | RuntimeException e) {
            WriteCallback callback = pendingCallback;
            pendingCallback = null;
            abortNow();
            callback.failed(e);
            return;
        }
        WriteCallback callback = pendingCallback;
        pendingCallback = null;
        pending = null;
        if (pendingLast) {
            finished = true;
            disposeBody();
            exchange.endExchange();
        }
        callback.succeeded();
    }

    private void awaitWritable(StreamSinkChannel channel) {
        channel.getWriteSetter().set(writable -> {
            writable.suspendWrites();
            flushPending();
        });
        channel.resumeWrites();
    }

    @Override
    public void abort(Throwable cause) {
        onIoThread(this::abortNow);
    }

    private void abortNow() {
        if (!aborted) {
            aborted = true;
            finished = true;
            disposeBody();
            IoUtils.safeClose(exchange.getConnection());
        }
    }

    /**
     * Tells Junction when the client connection closes before the response is complete. The connection's close
     * setter holds one listener, which each exchange of a keep-alive connection replaces with its own: nothing piles
     * up on a long-lived connection. A body-less request is watched from now on (see {@link #watchClient()}); one with
     * a body once it has been read.
     */
    @Override
    public void onClientGone(Consumer<Throwable> listener) {
        ServerConnection connection = exchange.getConnection();
        if (!(connection instanceof HttpServerConnection)) {
            // An HTTP/2 stream: its connection carries other exchanges, whose close setter is not this one's to
            // take. Undertow ends the exchange when the stream is reset or the connection closes: before Junction
            // has finished the response, that is the client leaving.
            exchange.addExchangeCompleteListener((ended, next) -> {
                try {
                    disposeBody();
                    if (!finished) {
                        finished = true;
                        listener.accept(new IOException("client reset the stream or closed the connection"));
                    }
                } finally {
                    next.proceed();
                }
            });
            return;
        }
        connection.getCloseSetter().set(closed -> {
            disposeBody();
            if (!finished) {
                finished = true;
                listener.accept(new IOException("client connection closed"));
            }
        });
        onIoThread(() -> {
            if (exchange.isRequestComplete()) {
                watchClient();
            }
        });
    }

    /**
     * Reads the client connection while the backend thinks and the response streams, so that a client that closes
     * or resets it is noticed at once (Undertow itself reads nothing from a connection during an exchange). Bytes
     * that arrive instead are a pipelined request: they are handed back to Undertow, which reads them after this
     * exchange, and the watch ends. The end of the client's stream counts as its leaving, as it does for nginx; the
     * connection is closed and its close listener tells Junction. I/O thread only, once the request has been read.
     */
    private void watchClient() {
        if (watching || finished || !(exchange.getConnection() instanceof HttpServerConnection connection)
                || connection.getExtraBytes() != null) {
            return;
        }
        watching = true;
        // The request's own conduits (fixed length, chunked) are spent; Undertow restores the original conduit when
        // the exchange ends, before it reads the next request.
        ConduitStreamSourceChannel source = connection.getChannel().getSourceChannel();
        source.setConduit(connection.getOriginalSourceConduit());
        source.getReadSetter().set(channel -> readWhileWaiting(connection, channel));
        source.resumeReads();
    }

    private void readWhileWaiting(HttpServerConnection connection, StreamSourceChannel channel) {
        PooledByteBuffer pooled = connection.getByteBufferPool().allocate();
        try {
            int read = channel.read(pooled.getBuffer());
            if (read == 0) {
                pooled.close();
                return;
            }
            channel.suspendReads();
            channel.getReadSetter().set(null);
            if (read > 0) {
                pooled.getBuffer().flip();
                connection.ungetRequestBytes(pooled);
                return;
            }
            pooled.close();
        } catch (IOException e) {
            pooled.close();
            channel.suspendReads();
            channel.getReadSetter().set(null);
        }
        IoUtils.safeClose(connection);
    }

    /** Lets the body reader give back what it holds; on the I/O thread (close listeners and writes run there). */
    private void disposeBody() {
        UndertowBodyReader read = reader;
        if (read != null) {
            read.dispose();
        }
    }

    /** An HTTP/1.1 connection can be handed over (Undertow's upgrade); an HTTP/2 stream cannot. */
    @Override
    public @Nullable Upgrader upgrader() {
        return exchange.getConnection() instanceof HttpServerConnection ? this::upgrade : null;
    }

    /**
     * Answers {@code 101} with the backend's headers through Undertow's upgrade: once the head is written, Undertow
     * hands over the connection (with any bytes the client sent early), which becomes the tunnel's client end. The
     * watch for the client leaving stops first: it reads the same connection.
     */
    private void upgrade(Fields headers, Consumer<TunnelEnd> upgraded, Consumer<Throwable> failed) {
        onIoThread(() -> {
            if (aborted || finished || !(exchange.getConnection() instanceof HttpServerConnection connection)) {
                failed.accept(new IOException("client connection closed"));
                return;
            }
            finished = true;
            if (watching) {
                ConduitStreamSourceChannel source = connection.getChannel().getSourceChannel();
                source.suspendReads();
                source.getReadSetter().set(null);
            }
            exchange.upgradeChannel((stream, upgradedExchange) ->
                    upgraded.accept(new StreamTunnelEnd(stream, connection.getByteBufferPool()::allocate, null)));
            addAll(exchange.getResponseHeaders(), headers);
            exchange.endExchange();
        });
    }

    /** Returns the exchange's XNIO I/O thread, where a transport on Undertow's own I/O keeps the backend exchange. */
    @Override
    public Executor eventLoop() {
        return ioThread;
    }

    /**
     * Runs a task on the I/O thread: at once if this is it and none of this exchange's tasks wait in its queue
     * (which would otherwise be overtaken), else queued behind them.
     */
    private void onIoThread(Runnable task) {
        if (Thread.currentThread() == ioThread && queued.get() == 0) {
            task.run();
            return;
        }
        queued.incrementAndGet();
        ioThread.execute(() -> {
            queued.decrementAndGet();
            task.run();
        });
    }
}
