package dev.junction.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.xnio.IoUtils;
import org.xnio.XnioIoThread;
import org.xnio.streams.ChannelInputStream;
import org.xnio.streams.ChannelOutputStream;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;

/**
 * A real WebSocket backend: Undertow's WebSocket server on 127.0.0.1 and an ephemeral port. It echoes every text and
 * binary message, prefixed with its name for text ({@code a: hello}); the text {@code close <code> <reason>} makes
 * it close the socket with that code; {@code name?} answers its name. Ping is answered with pong by Undertow itself.
 * A request upgrading to {@value #ECHO_PROTOCOL} gets {@code 101} and then every byte it sends back; any other
 * request that is not a WebSocket handshake gets {@code 200} with the body {@code plain}. Closing the backend drops
 * every socket at once, as a killed process does.
 */
public final class WebSocketBackend implements AutoCloseable {

    /** The protocol besides WebSocket the backend upgrades to: a byte echo. */
    public static final String ECHO_PROTOCOL = "x-echo";

    /** Sockets open now. */
    public final Set<WebSocketChannel> open = ConcurrentHashMap.newKeySet();
    /** Upgrades accepted since start. */
    public final AtomicInteger upgrades = new AtomicInteger();
    /** The close code of the last close frame a client sent, or 0. */
    public final AtomicInteger lastCloseCode = new AtomicInteger();

    private final String name;
    private final Undertow server;
    private final int port;

    private WebSocketBackend(String name) {
        this.name = name;
        this.server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setHandler(Handlers.path().addPrefixPath("/", Handlers.websocket((exchange, channel) -> {
                    upgrades.incrementAndGet();
                    open.add(channel);
                    channel.addCloseTask(closed -> open.remove(closed));
                    channel.getReceiveSetter().set(new Echo());
                    channel.resumeReceives();
                }, this::notWebSocket)))
                .build();
        server.start();
        this.port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    private void notWebSocket(HttpServerExchange exchange) {
        String upgrade = exchange.getRequestHeaders().getFirst(Headers.UPGRADE);
        if (upgrade == null || !upgrade.toLowerCase(Locale.ROOT).startsWith(ECHO_PROTOCOL)) {
            exchange.getResponseSender().send("plain");
            return;
        }
        upgrades.incrementAndGet();
        exchange.upgradeChannel(ECHO_PROTOCOL, (connection, upgraded) -> {
            Thread echo = new Thread(() -> {
                try (connection; InputStream in = new ChannelInputStream(connection.getSourceChannel());
                        OutputStream out = new ChannelOutputStream(connection.getSinkChannel())) {
                    byte[] buffer = new byte[8192];
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                } catch (IOException e) {
                    // The connection dropped: nothing to echo to.
                }
            }, "x-echo");
            echo.setDaemon(true);
            echo.start();
        });
        exchange.endExchange();
    }

    /** Starts a backend called {@code name}. */
    public static WebSocketBackend start(String name) {
        return new WebSocketBackend(name);
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /**
     * Drops every socket and stops, as a killed process does. Each socket is closed on its I/O thread, and the close
     * is waited for until that thread has selected once more: a channel registered with a selector is closed only
     * then (its file descriptor released, the peer told), and a server stopped before could leave it open.
     */
    @Override
    public void close() {
        List<WebSocketChannel> sockets = List.copyOf(open);
        CountDownLatch closed = new CountDownLatch(sockets.size());
        for (WebSocketChannel channel : sockets) {
            XnioIoThread thread = channel.getIoThread();
            thread.execute(() -> {
                IoUtils.safeClose(channel);
                thread.execute(closed::countDown);
            });
        }
        try {
            closed.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop();
    }

    private final class Echo extends AbstractReceiveListener {

        @Override
        protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
            String text = message.getData();
            if (text.startsWith("close ")) {
                String[] parts = text.split(" ", 3);
                WebSockets.sendClose(Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "", channel, null);
            } else if (text.equals("name?")) {
                WebSockets.sendText(name, channel, null);
            } else {
                WebSockets.sendText(name + ": " + text, channel, null);
            }
        }

        @Override
        protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
            ByteBuffer[] data = message.getData().getResource();
            int length = 0;
            for (ByteBuffer piece : data) {
                length += piece.remaining();
            }
            ByteBuffer echo = ByteBuffer.allocate(length);
            for (ByteBuffer piece : data) {
                echo.put(piece);
            }
            echo.flip();
            message.getData().free();
            WebSockets.sendBinary(echo, channel, null);
        }

        @Override
        protected void onCloseMessage(CloseMessage message, WebSocketChannel channel) {
            lastCloseCode.set(message.getCode());
        }
    }
}
