package dev.junction.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.undertow.Handlers;
import io.undertow.Undertow;
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
 * Closing the backend drops every socket at once, as a killed process does.
 */
public final class WebSocketBackend implements AutoCloseable {

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
                })))
                .build();
        server.start();
        this.port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
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

    @Override
    public void close() {
        for (WebSocketChannel channel : open) {
            try {
                channel.close();
            } catch (IOException e) {
                // Already gone.
            }
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
