package dev.junction.servlet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.function.Consumer;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.junction.core.forward.ServerExchange;

/**
 * An asynchronous servlet exchange as the engine sees it. The response is written with non-blocking Servlet I/O: a
 * piece is written (and flushed, so a streamed event reaches the client at once) while the stream {@link
 * ServletOutputStream#isReady() is ready}; otherwise the container calls {@link WriteListener#onWritePossible()}
 * when it can take more, and only then is the engine's callback completed, so it demands the next piece:
 * back-pressure from the client to the backend. No container thread waits.
 *
 * <p>The engine's calls (from its client's threads) and the container's callbacks meet under this object's monitor;
 * the engine's callbacks run outside it.
 */
final class ServletExchange implements ServerExchange, WriteListener, AsyncListener {

    private static final int COPY_BYTES = 16 * 1024;
    private static final byte[] BROKEN = "backend failed before sending its response\n"
            .getBytes(StandardCharsets.UTF_8);

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final AsyncContext async;
    private final String rawPath;
    private final ServletRequestBody body;
    private final HttpFields requestHeaders;
    private final String clientAddress;
    private volatile @Nullable Consumer<Throwable> clientGone;

    // Guarded by this.
    private int headStatus;
    private @Nullable HttpFields head;
    private @Nullable ServletOutputStream out;
    private boolean listening;
    private boolean awaitingContainer;
    private @Nullable ByteBuffer pending;
    private boolean pendingLast;
    private @Nullable Callback pendingCallback;
    private boolean flushNeeded;
    private byte @Nullable [] copy;
    private boolean done;

    ServletExchange(HttpServletRequest request, HttpServletResponse response, AsyncContext async, String rawPath,
            ServletRequestBody body) {
        this.request = request;
        this.response = response;
        this.async = async;
        this.rawPath = rawPath;
        this.body = body;
        this.requestHeaders = headersOf(request);
        this.clientAddress = literal(request.getRemoteAddr());
        async.addListener(this);
    }

    private static HttpFields headersOf(HttpServletRequest request) {
        HttpFields.Mutable fields = HttpFields.build();
        for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            for (Enumeration<String> values = request.getHeaders(name); values.hasMoreElements(); ) {
                fields.add(name, values.nextElement());
            }
        }
        return fields;
    }

    /** Returns an address without the brackets some containers put around IPv6 literals. */
    private static String literal(String address) {
        return address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String rawPath() {
        return rawPath;
    }

    @Override
    public @Nullable String rawQuery() {
        String query = request.getQueryString();
        return query == null || query.isEmpty() ? null : query;
    }

    @Override
    public String protocol() {
        return request.getProtocol();
    }

    @Override
    public String scheme() {
        return request.getScheme();
    }

    @Override
    public HttpFields requestHeaders() {
        return requestHeaders;
    }

    @Override
    public String clientAddress() {
        return clientAddress;
    }

    @Override
    public int localPort() {
        return request.getLocalPort();
    }

    @Override
    public Content.Source requestBody() {
        return body;
    }

    @Override
    public synchronized void sendHead(int status, HttpFields headers) {
        headStatus = status;
        head = headers;
    }

    /** Applies the head {@link #sendHead} kept, if any, before the first byte of the body. */
    private void applyHead() {
        HttpFields headers = head;
        if (headers == null) {
            return;
        }
        head = null;
        response.setStatus(headStatus);
        for (int i = 0; i < headers.size(); i++) {
            HttpField field = headers.getField(i);
            response.addHeader(field.getName(), field.getValue());
        }
    }

    @Override
    public void write(boolean last, ByteBuffer content, Callback callback) {
        Outcome outcome;
        synchronized (this) {
            if (done) {
                outcome = new Outcome(callback, new IOException("client connection closed"));
            } else {
                pending = content;
                pendingLast = last;
                pendingCallback = callback;
                if (!listening) {
                    outcome = startWriting();
                } else if (awaitingContainer) {
                    return;
                } else {
                    outcome = flush();
                }
            }
        }
        complete(outcome);
    }

    /** Applies the head and hands the stream a listener; the container then calls {@link #onWritePossible()}. */
    private @Nullable Outcome startWriting() {
        applyHead();
        listening = true;
        awaitingContainer = true;
        try {
            ServletOutputStream stream = response.getOutputStream();
            out = stream;
            stream.setWriteListener(this);
            return null;
        } catch (IOException | RuntimeException e) {
            return failPending(e);
        }
    }

    @Override
    public void onWritePossible() {
        Outcome outcome;
        synchronized (this) {
            awaitingContainer = false;
            if (pendingCallback == null || done) {
                return;
            }
            outcome = flush();
        }
        complete(outcome);
    }

    /**
     * Writes what is pending while the stream is ready. Returns the callback to complete once all of it is written
     * (and flushed), or null if the container will call {@link #onWritePossible()} to go on. Under the monitor.
     */
    private @Nullable Outcome flush() {
        ServletOutputStream stream = out;
        ByteBuffer content = pending;
        try {
            while (content.hasRemaining()) {
                if (!stream.isReady()) {
                    awaitingContainer = true;
                    return null;
                }
                writeSome(stream, content);
                flushNeeded = true;
            }
            if (pendingLast) {
                if (!stream.isReady()) {
                    // The last bytes are still going out; complete once they have.
                    awaitingContainer = true;
                    return null;
                }
                Callback callback = pendingCallback;
                clearPending();
                done = true;
                async.complete();
                return new Outcome(callback, null);
            }
            if (flushNeeded) {
                if (!stream.isReady()) {
                    awaitingContainer = true;
                    return null;
                }
                flushNeeded = false;
                stream.flush();
                if (!stream.isReady()) {
                    // The flush goes on in the background; the container calls back when it is done.
                    awaitingContainer = true;
                    return null;
                }
            }
        } catch (IOException | RuntimeException e) {
            return failPending(e);
        }
        Callback callback = pendingCallback;
        clearPending();
        return new Outcome(callback, null);
    }

    /** Writes one piece of {@code content}: straight from its array if it has one, else through a copy. */
    private void writeSome(ServletOutputStream stream, ByteBuffer content) throws IOException {
        if (content.hasArray()) {
            int length = content.remaining();
            stream.write(content.array(), content.arrayOffset() + content.position(), length);
            content.position(content.position() + length);
            return;
        }
        byte[] bytes = copy;
        if (bytes == null) {
            bytes = new byte[COPY_BYTES];
            copy = bytes;
        }
        int length = Math.min(bytes.length, content.remaining());
        content.get(bytes, 0, length);
        stream.write(bytes, 0, length);
    }

    private void clearPending() {
        pending = null;
        pendingCallback = null;
    }

    /** Ends the exchange on a failed write; returns the pending callback's failure. Under the monitor. */
    private Outcome failPending(Throwable failure) {
        Callback callback = pendingCallback;
        clearPending();
        abortNow(failure);
        return new Outcome(callback, failure);
    }

    /** Completes an engine callback, outside the monitor. */
    private static void complete(@Nullable Outcome outcome) {
        if (outcome == null || outcome.callback == null) {
            return;
        }
        if (outcome.failure == null) {
            outcome.callback.succeeded();
        } else {
            outcome.callback.failed(outcome.failure);
        }
    }

    /** An engine callback to complete, with its failure or null for success. */
    private record Outcome(@Nullable Callback callback, @Nullable Throwable failure) {
    }

    @Override
    public void onError(Throwable failure) {
        Outcome outcome;
        synchronized (this) {
            outcome = new Outcome(pendingCallback, failure);
            clearPending();
            done = true;
        }
        complete(outcome);
        gone(failure);
    }

    @Override
    public void abort(Throwable cause) {
        synchronized (this) {
            abortNow(cause);
        }
    }

    /**
     * Ends the exchange so that the client cannot take what it got for a whole response: before anything is
     * committed, a {@code 502} with {@code Connection: close}; after, the connection is closed. Under the monitor.
     */
    private void abortNow(Throwable cause) {
        if (done) {
            return;
        }
        done = true;
        try {
            if (!listening && !response.isCommitted()) {
                response.reset();
                response.setStatus(HttpServletResponse.SC_BAD_GATEWAY);
                response.setHeader("Connection", "close");
                response.setContentType("text/plain;charset=utf-8");
                response.getOutputStream().write(BROKEN);
            } else {
                ConnectionAbort.abort(request, response, cause);
            }
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        } finally {
            try {
                async.complete();
            } catch (RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
    }

    @Override
    public void onClientGone(Consumer<Throwable> listener) {
        clientGone = listener;
    }

    private void gone(Throwable cause) {
        Consumer<Throwable> listener = clientGone;
        if (listener != null) {
            listener.accept(cause);
        }
    }

    // AsyncListener: the container's view of the exchange's end.

    @Override
    public void onComplete(AsyncEvent event) {
    }

    @Override
    public void onTimeout(AsyncEvent event) {
    }

    @Override
    public void onError(AsyncEvent event) {
        Throwable failure = event.getThrowable();
        onError(failure != null ? failure : new IOException("client connection failed"));
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }
}
