package dev.junction.servlet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.junction.core.http.Fields;
import dev.junction.core.http.WriteCallback;

/**
 * The response side of an asynchronous servlet exchange, written with non-blocking Servlet I/O: a piece is written
 * (and flushed, so a streamed event reaches the client at once) while the stream {@link ServletOutputStream#isReady()
 * is ready}; otherwise the container calls {@link WriteListener#onWritePossible()} when it can take more, and only
 * then is Junction's callback completed, so it demands the next piece: back-pressure from the client to the backend.
 * No container thread waits.
 *
 * <p>Junction's calls (from its transport's threads) and the container's callbacks meet under this object's monitor,
 * which only decides who writes: one thread at a time writes to the response, outside the monitor, and Junction's
 * callbacks run outside it too.
 */
final class ServletResponseWriter implements WriteListener, AsyncListener {

    private static final int COPY_BYTES = 16 * 1024;

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final AsyncContext async;
    private volatile @Nullable Consumer<Throwable> clientGone;

    // Guarded by this.
    private int headStatus;
    private @Nullable Fields head;
    private boolean listening;
    /** Whether a thread is writing to the response now; only one ever does, and never under the monitor. */
    private boolean running;
    /** Whether the container calls {@link #onWritePossible()} next: the stream said it was not ready. */
    private boolean awaitingContainer;
    /** Whether {@link #onWritePossible()} came while a writer was running: it goes on rather than stop. */
    private boolean wakeup;
    /** An abort asked for while a writer was running, for the writer to carry out. */
    private @Nullable Throwable abortCause;
    private @Nullable ByteBuffer pending;
    private boolean pendingLast;
    private @Nullable WriteCallback pendingCallback;
    private boolean done;

    // Touched only by the running writer.
    private @Nullable ServletOutputStream out;
    private boolean flushNeeded;
    private byte @Nullable [] copy;

    ServletResponseWriter(HttpServletRequest request, HttpServletResponse response, AsyncContext async) {
        this.request = request;
        this.response = response;
        this.async = async;
        async.addListener(this);
    }

    /** Registers what to do when the container says the client has gone; called at most once. */
    void onClientGone(Consumer<Throwable> listener) {
        clientGone = listener;
    }

    void writeHead(int status, Fields headers, boolean last, ByteBuffer content, WriteCallback callback) {
        synchronized (this) {
            headStatus = status;
            head = headers;
        }
        write(last, content, callback);
    }

    /**
     * Applies the head {@link #writeHead} kept, if any, before the first byte of the body. Only the writer calls it.
     */
    private void applyHead() {
        Fields headers;
        int status;
        synchronized (this) {
            headers = head;
            status = headStatus;
            head = null;
        }
        if (headers == null) {
            return;
        }
        response.setStatus(status);
        for (int i = 0; i < headers.size(); i++) {
            response.addHeader(headers.name(i), headers.value(i));
        }
    }

    void write(boolean last, ByteBuffer content, WriteCallback callback) {
        boolean closed;
        synchronized (this) {
            closed = done;
            if (!closed) {
                pending = content;
                pendingLast = last;
                pendingCallback = callback;
                if (running || awaitingContainer) {
                    // The writer at work, or the container's next onWritePossible, takes it.
                    return;
                }
                running = true;
            }
        }
        if (closed) {
            callback.failed(new IOException("client connection closed"));
        } else {
            run();
        }
    }

    @Override
    public void onWritePossible() {
        synchronized (this) {
            awaitingContainer = false;
            if (running) {
                // The writer at work asked isReady() and has not stopped yet: it goes on instead.
                wakeup = true;
                return;
            }
            if (pendingCallback == null || done) {
                return;
            }
            running = true;
        }
        run();
    }

    /** What one turn of the writer came to. */
    private enum Step { AWAIT, WROTE, FINISHED, FAILED }

    /**
     * Writes what is pending, as the one thread allowed to touch the container's response, until it is written or
     * the container must call back. The container is only ever called outside the monitor: containers call
     * {@link #onWritePossible()} holding locks of their own (Tomcat its processor's), so a container call under the
     * monitor could deadlock against it.
     */
    private void run() {
        while (true) {
            boolean start;
            ByteBuffer content;
            boolean last;
            WriteCallback orphan;
            Throwable abortAsked;
            synchronized (this) {
                content = pending;
                if (done || content == null) {
                    // Aborted or failed while this writer went round again.
                    orphan = pendingCallback;
                    clearPending();
                    abortAsked = stopRunning();
                    start = false;
                    last = false;
                    content = null;
                } else {
                    orphan = null;
                    abortAsked = null;
                    start = !listening;
                    listening = true;
                    last = pendingLast;
                    wakeup = false;
                }
            }
            if (content == null) {
                if (abortAsked != null) {
                    abortNow(abortAsked);
                }
                if (orphan != null) {
                    orphan.failed(new IOException("exchange aborted"));
                }
                return;
            }
            Step step;
            Throwable failure = null;
            try {
                step = start ? startWriting() : flush(content, last);
            } catch (IOException | RuntimeException e) {
                step = Step.FAILED;
                failure = e;
            }
            WriteCallback callback;
            Throwable abort;
            synchronized (this) {
                if (step == Step.AWAIT && wakeup && !done) {
                    continue;
                }
                callback = step == Step.AWAIT ? null : pendingCallback;
                if (step != Step.AWAIT) {
                    clearPending();
                } else {
                    awaitingContainer = true;
                }
                boolean abortedMeanwhile = done;
                if (step == Step.FINISHED || step == Step.FAILED) {
                    done = true;
                }
                abort = stopRunning();
                if (step == Step.FAILED && !abortedMeanwhile) {
                    abort = failure;
                }
                if (step == Step.WROTE && abortedMeanwhile) {
                    failure = new IOException("exchange aborted");
                    step = Step.FAILED;
                }
            }
            if (abort != null) {
                abortNow(abort);
            } else if (step == Step.FINISHED) {
                completeAsync();
            }
            if (callback != null) {
                if (step == Step.FAILED) {
                    callback.failed(failure);
                } else {
                    callback.succeeded();
                }
            }
            return;
        }
    }

    /** Ends the writer's turn; returns an abort asked for meanwhile, for the writer to carry out. Under the monitor. */
    private @Nullable Throwable stopRunning() {
        running = false;
        Throwable cause = abortCause;
        abortCause = null;
        return cause;
    }

    /** Applies the head and hands the stream a listener; the container then calls {@link #onWritePossible()}. */
    private Step startWriting() throws IOException {
        applyHead();
        ServletOutputStream stream = response.getOutputStream();
        out = stream;
        stream.setWriteListener(this);
        return Step.AWAIT;
    }

    /**
     * Writes {@code content} (and flushes it) while the stream is ready; {@link Step#AWAIT} when the container will
     * call {@link #onWritePossible()} to go on. Only the writer calls it.
     */
    private Step flush(ByteBuffer content, boolean last) throws IOException {
        ServletOutputStream stream = out;
        while (content.hasRemaining()) {
            if (!stream.isReady()) {
                return Step.AWAIT;
            }
            writeSome(stream, content);
            flushNeeded = true;
        }
        if (last) {
            // Complete only once the last bytes have gone out.
            return stream.isReady() ? Step.FINISHED : Step.AWAIT;
        }
        if (flushNeeded) {
            if (!stream.isReady()) {
                return Step.AWAIT;
            }
            flushNeeded = false;
            stream.flush();
            if (!stream.isReady()) {
                // The flush goes on in the background; the container calls back when it is done.
                return Step.AWAIT;
            }
        }
        return Step.WROTE;
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

    @Override
    public void onError(Throwable failure) {
        WriteCallback callback;
        synchronized (this) {
            callback = pendingCallback;
            clearPending();
            done = true;
        }
        if (callback != null) {
            callback.failed(failure);
        }
        gone(failure);
    }

    void abort(Throwable cause) {
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            if (running) {
                // The writer is using the response: it carries the abort out when its turn ends.
                abortCause = cause;
                return;
            }
        }
        abortNow(cause);
    }

    /**
     * Ends the exchange so that the client cannot take what it got for a whole response: the connection is closed.
     * (Junction answers the failures it can still answer itself; an abort is what is left.) Outside the monitor, by
     * the one thread that may touch the response.
     */
    private void abortNow(Throwable cause) {
        try {
            ConnectionAbort.abort(request, response, cause);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        } finally {
            try {
                async.complete();
            } catch (RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
    }

    private void completeAsync() {
        try {
            async.complete();
        } catch (RuntimeException e) {
            // The container has ended the exchange already (the client went away): nothing is left to complete.
        }
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
