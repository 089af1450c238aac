package dev.junction.testkit;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

/**
 * A real WebSocket client for tests: the JDK's {@link WebSocket}, with what it receives queued (whole messages: text
 * as {@link String}, binary as {@code byte[]}, pongs as {@link Pong}) and how it ended ({@link Closed}: a close frame's
 * code and reason, or {@code 1006} with the error for a connection that dropped).
 */
public final class WebSocketClient implements AutoCloseable {

    /** A pong, with its application data. */
    public record Pong(byte[] data) {
    }

    /** How the socket ended: the peer's close code and reason, or 1006 and the error for one that dropped. */
    public record Closed(int code, String reason) {
    }

    private static final long WAIT_SECONDS = 10;

    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    /** Set once the handshake is done; the listener may hear from the socket before. */
    private volatile @Nullable WebSocket socket;

    private WebSocketClient() {
    }

    /** Opens a socket to {@code uri} ({@code ws://...}); fails as the JDK's handshake does if it is refused. */
    public static WebSocketClient open(HttpClient http, URI uri) throws Exception {
        return openAsync(http, uri).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Starts opening a socket to {@code uri}, for many handshakes at once; completes as {@link #open} returns. */
    public static CompletableFuture<WebSocketClient> openAsync(HttpClient http, URI uri) {
        WebSocketClient client = new WebSocketClient();
        return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(WAIT_SECONDS))
                .buildAsync(uri, client.new Listener())
                .thenApply(socket -> {
                    client.socket = socket;
                    return client;
                });
    }

    public WebSocket socket() {
        return Objects.requireNonNull(socket, "not open");
    }

    /** Sends a text message and returns the next thing received. */
    public Object sendText(String text) throws Exception {
        socket().sendText(text, true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        return next();
    }

    /** Sends a binary message and returns the next thing received. */
    public Object sendBinary(byte[] bytes) throws Exception {
        socket().sendBinary(ByteBuffer.wrap(bytes), true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        return next();
    }

    /** Returns the next message or pong received, waiting at most 10 s. */
    public Object next() throws Exception {
        Object message = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (message == null) {
            throw new TimeoutException("nothing received in " + WAIT_SECONDS + " s");
        }
        return message;
    }

    /** Returns how the socket ended, waiting at most 10 s. */
    public Closed closed() throws Exception {
        return closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Returns whether the socket has ended. */
    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        WebSocket open = socket;
        if (open != null) {
            open.abort();
        }
    }

    private final class Listener implements WebSocket.Listener {

        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                received.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                received.add(binary.toByteArray());
                binary.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            byte[] bytes = new byte[message.remaining()];
            message.get(bytes);
            received.add(new Pong(bytes));
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new Closed(1006, String.valueOf(error)));
        }
    }
}
