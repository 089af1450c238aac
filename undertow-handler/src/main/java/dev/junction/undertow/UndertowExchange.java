package dev.junction.undertow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;
import org.xnio.IoUtils;
import org.xnio.XnioIoThread;
import org.xnio.channels.StreamSinkChannel;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;

import dev.junction.core.forward.ServerExchange;

/**
 * An Undertow exchange as the engine sees it. The engine calls from its client's threads; every touch of the
 * exchange and its channels is moved to the exchange's I/O thread, in call order (an XNIO I/O thread runs the tasks
 * it is given in order), so Undertow's non-thread-safe objects are only ever used by their own thread.
 *
 * <p>The response is written with the channel API: a chunk is written and flushed, and only then is the engine's
 * callback completed, so it demands the next one: back-pressure from the client to the backend, and each chunk on
 * the wire as soon as it arrives.
 */
final class UndertowExchange implements ServerExchange {

    private final HttpServerExchange exchange;
    private final String rawPath;
    private final XnioIoThread ioThread;
    private @Nullable HttpFields requestHeaders;
    private @Nullable String clientAddress;
    private volatile @Nullable UndertowRequestBody requestBody;

    // Written by the engine before the first write, read on the I/O thread after it: the hand-over of the write
    // task (the I/O thread's queue) orders them.
    private volatile int headStatus;
    private volatile @Nullable HttpFields head;

    // Touched only on the I/O thread.
    private @Nullable StreamSinkChannel sink;
    private @Nullable ByteBuffer pending;
    private boolean pendingLast;
    private @Nullable Callback pendingCallback;
    private boolean aborted;
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

    @Override
    public String protocol() {
        return exchange.getProtocol().toString();
    }

    @Override
    public String scheme() {
        return exchange.getRequestScheme();
    }

    @Override
    public HttpFields requestHeaders() {
        HttpFields headers = requestHeaders;
        if (headers == null) {
            HeaderMap map = exchange.getRequestHeaders();
            HttpFields.Mutable fields = HttpFields.build(map.size());
            for (HeaderValues values : map) {
                String name = values.getHeaderName().toString();
                for (String value : values) {
                    fields.add(name, value);
                }
            }
            // Kept mutable: only the engine reads it, and an immutable copy would cost another array per request.
            headers = fields;
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
    public Content.Source requestBody() {
        UndertowRequestBody body = requestBody;
        if (body == null) {
            body = new UndertowRequestBody(exchange);
            requestBody = body;
        }
        return body;
    }

    /** Keeps the head for the first write, which applies it on the I/O thread: one hand-over, not two. */
    @Override
    public void sendHead(int status, HttpFields headers) {
        headStatus = status;
        head = headers;
    }

    /** Applies the head {@link #sendHead} kept, if any. I/O thread only. */
    private void applyHead() {
        HttpFields headers = head;
        if (headers == null) {
            return;
        }
        head = null;
        exchange.setStatusCode(headStatus);
        HeaderMap response = exchange.getResponseHeaders();
        for (int i = 0; i < headers.size(); i++) {
            HttpField field = headers.getField(i);
            response.add(HttpString.tryFromString(field.getName()), field.getValue());
        }
    }

    @Override
    public void write(boolean last, ByteBuffer content, Callback callback) {
        Runnable task = () -> {
            if (aborted) {
                callback.failed(new IOException("client connection closed"));
                return;
            }
            if (sink == null) {
                applyHead();
                sink = exchange.getResponseChannel();
            }
            pending = content;
            pendingLast = last;
            pendingCallback = callback;
            flushPending();
        };
        onIoThread(task);
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
                channel.shutdownWrites();
            }
            if (!channel.flush()) {
                awaitWritable(channel);
                return;
            }
        } catch (IOException | RuntimeException e) {
            Callback callback = pendingCallback;
            pendingCallback = null;
            abortNow();
            callback.failed(e);
            return;
        }
        Callback callback = pendingCallback;
        pendingCallback = null;
        pending = null;
        if (pendingLast) {
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
            IoUtils.safeClose(exchange.getConnection());
        }
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
