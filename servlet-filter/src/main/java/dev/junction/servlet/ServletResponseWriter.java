package dev.junction.servlet;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.junction.core.http.ContentTypes;
import dev.junction.core.http.Fields;
import dev.junction.core.http.WriteCallback;
import dev.junction.core.http.WriteTurns;
import dev.junction.core.http.WriteTurns.Step;

/**
 * The response side of an asynchronous servlet exchange, written with non-blocking Servlet I/O: a piece is written
 * (and flushed, so a streamed event reaches the client at once) while the stream {@link ServletOutputStream#isReady()
 * is ready}; otherwise the container calls {@link WriteListener#onWritePossible()} when it can take more. Whose turn
 * it is to touch the response (Junction's thread or the container's) is {@link WriteTurns}' business; this class
 * only translates its steps into Servlet calls.
 */
final class ServletResponseWriter implements WriteTurns.Output, WriteListener, AsyncListener {

    private static final int COPY_BYTES = 16 * 1024;

    /**
     * The {@code write(ByteBuffer)} of Jetty's output stream, which takes a buffer as it is: a backend's (direct)
     * buffer then goes to the socket without the copy into an array, and without the JDK's copy of that array into a
     * direct buffer of its own. Like a Servlet write, it is done when the stream is ready again.
     */
    private static final ClassValue<Optional<MethodHandle>> BUFFER_WRITE = new ClassValue<>() {
        @Override
        protected Optional<MethodHandle> computeValue(Class<?> type) {
            if (!type.getName().startsWith("org.eclipse.jetty.")) {
                return Optional.empty();
            }
            try {
                return Optional.of(MethodHandles.publicLookup()
                        .findVirtual(type, "write", MethodType.methodType(void.class, ByteBuffer.class))
                        .asType(MethodType.methodType(void.class, ServletOutputStream.class, ByteBuffer.class)));
            } catch (NoSuchMethodException | IllegalAccessException e) {
                return Optional.empty();
            }
        }
    };

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final AsyncContext async;
    private final WriteTurns turns = new WriteTurns(this);
    private volatile @Nullable Consumer<Throwable> clientGone;
    // Written before the first write is handed to the turns, read by the turn that starts the output: the turns'
    // monitor orders them.
    private volatile int headStatus;
    private volatile @Nullable Fields head;
    /** Whether the head comes with the whole response: no trailers can follow unless they are known already. */
    private volatile boolean headIsAll;
    private volatile boolean headIsEmpty;
    /** The backend's trailer fields, told before the last write; read by the container when it ends the response. */
    private volatile @Nullable Map<String, String> trailers;

    // Touched only by the turn at work.
    private @Nullable ServletOutputStream out;
    private @Nullable MethodHandle bufferWrite;
    /** Set once a write to the client failed or the container reported the connection broken. */
    private volatile boolean clientFailed;
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
        headStatus = status;
        head = headers;
        headIsAll = last;
        headIsEmpty = last && !content.hasRemaining();
        turns.write(last, content, callback);
    }

    void write(boolean last, ByteBuffer content, WriteCallback callback) {
        turns.write(last, content, callback);
    }

    /** Keeps the response's trailer fields for the container, which asks for them once the body is written. */
    void trailers(Fields fields) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            map.merge(fields.name(i), fields.value(i), (first, next) -> first + ", " + next);
        }
        trailers = map;
    }

    /** Ends the exchange abnormally, now or when the write at work ends. */
    void end(Throwable cause) {
        turns.abort(cause);
    }

    /** Says whether field {@code i} is the first of its name in {@code headers}. */
    private static boolean firstOfItsName(Fields headers, int i) {
        String name = headers.name(i);
        for (int j = 0; j < i; j++) {
            if (headers.name(j).equalsIgnoreCase(name)) {
                return false;
            }
        }
        return true;
    }

    /** Applies the head and hands the stream a listener; the container then calls {@link #onWritePossible()}. */
    @Override
    public Step start() throws IOException {
        Fields headers = head;
        head = null;
        if (headers != null) {
            response.setStatus(headStatus);
            boolean http2 = request.getProtocol().equals("HTTP/2.0");
            if (http2 && headIsEmpty && trailers == null && ContentTypes.isGrpc(headers.get("Content-Type"))) {
                trailersOnly(headers);
            }
            // The backend's header replaces one a filter ahead of Junction set (Spring Security's Cache-Control, say):
            // its first value sets the name, the others add to it. Without such headers (the usual case), adding
            // is all there is to do, and costs less per header than setting.
            boolean replace = !response.getHeaderNames().isEmpty();
            for (int i = 0; i < headers.size(); i++) {
                if (replace && firstOfItsName(headers, i)) {
                    response.setHeader(headers.name(i), headers.value(i));
                } else {
                    response.addHeader(headers.name(i), headers.value(i));
                }
            }
            if (http2 && (!headIsAll || trailers != null)) {
                // Servlet wants trailers promised before the response is committed, when the backend's are not
                // known yet: the container asks this supplier at the end, and sends none if it is empty. HTTP/2
                // only: an HTTP/1.1 client would need to have sent TE: trailers.
                response.setTrailerFields(this::trailerFields);
            }
        }
        ServletOutputStream stream = response.getOutputStream();
        out = stream;
        bufferWrite = BUFFER_WRITE.get(stream.getClass()).orElse(null);
        stream.setWriteListener(this);
        return Step.AWAIT;
    }

    /**
     * Turns a gRPC "Trailers-Only" response (its status among the headers of a stream that ends with them) into
     * headers and trailers, which gRPC clients read alike: a container may end the stream with a frame of its own
     * after the headers (Tomcat does), and a client then finds no status at all. Everything but the content type and
     * the request id moves to the trailers, as everything in a Trailers-Only response is trailer metadata.
     */
    private void trailersOnly(Fields headers) {
        Fields moved = new Fields(headers.size());
        for (int i = 0; i < headers.size(); i++) {
            if (staysInHeaders(headers.name(i))) {
                continue;
            }
            moved.add(headers.name(i), headers.value(i));
            headers.removeAt(i--);
        }
        trailers(moved);
    }

    private static boolean staysInHeaders(String name) {
        return name.equalsIgnoreCase("Content-Type") || name.equalsIgnoreCase("X-Request-Id")
                || name.equalsIgnoreCase("Content-Length");
    }

    private Map<String, String> trailerFields() {
        Map<String, String> told = trailers;
        return told == null ? Map.of() : told;
    }

    /** Writes and flushes {@code content} while the stream is ready; else waits for {@link #onWritePossible()}. */
    @Override
    public Step write(ByteBuffer content, boolean last) throws IOException {
        try {
            return writeReady(content, last);
        } catch (IOException e) {
            clientFailed = true;
            throw e;
        }
    }

    private Step writeReady(ByteBuffer content, boolean last) throws IOException {
        ServletOutputStream stream = out;
        while (content.hasRemaining()) {
            if (!stream.isReady()) {
                return Step.AWAIT;
            }
            flushNeeded |= writeSome(stream, content);
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

    /**
     * Writes one piece of {@code content}: as a buffer where the stream takes one, else straight from its array if it
     * has one, else through a copy. Returns whether the stream must be flushed for the piece to go out.
     */
    private boolean writeSome(ServletOutputStream stream, ByteBuffer content) throws IOException {
        MethodHandle write = bufferWrite;
        if (write != null) {
            try {
                write.invokeExact(stream, content);
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IOException(e);
            }
            return false;
        }
        if (content.hasArray()) {
            int length = content.remaining();
            stream.write(content.array(), content.arrayOffset() + content.position(), length);
            content.position(content.position() + length);
            return true;
        }
        byte[] bytes = copy;
        if (bytes == null) {
            bytes = new byte[COPY_BYTES];
            copy = bytes;
        }
        int length = Math.min(bytes.length, content.remaining());
        content.get(bytes, 0, length);
        stream.write(bytes, 0, length);
        return true;
    }

    @Override
    public void finished() {
        try {
            async.complete();
        } catch (RuntimeException e) {
            // The container has ended the exchange already (the client went away): nothing is left to complete.
        }
    }

    /**
     * Closes the connection, so that the client cannot take what it got for a whole response: unless a write to the
     * client failed or the container reported the connection broken, when there is nothing left to close and the
     * container closes it itself. (Closing it through the response then raced the container's own end of the
     * exchange: Tomcat could by then serve the next connection with the same objects, and that one was closed.)
     */
    @Override
    public void abort(Throwable cause) {
        try {
            if (!clientFailed) {
                ConnectionAbort.abort(request, response, cause);
            }
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

    @Override
    public void onWritePossible() {
        turns.ready();
    }

    @Override
    public void onError(Throwable failure) {
        clientFailed = true;
        turns.failed(failure);
        Consumer<Throwable> listener = clientGone;
        if (listener != null) {
            listener.accept(failure);
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
