package dev.junction.undertow;

import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;

import javax.net.ssl.SSLContext;

import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.util.HttpString;

import dev.junction.core.Junction;
import dev.junction.core.config.JunctionConfig;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.ParserQuirks;
import dev.junction.undertow.transport.UndertowTransport;

/**
 * Junction's Undertow handler in front of real backends, its next handler answering {@code 200 next handler}. Its
 * server's buffers come from a {@link LeakCheckingBufferPool}: closing the gateway fails if one was never given back.
 */
final class UndertowGateway implements Gateway {

    private final JunctionHandler handler;
    private final Undertow server;
    private final int port;
    private final LeakCheckingBufferPool buffers = new LeakCheckingBufferPool();
    private final boolean tls;

    /**
     * The transport the suites run on: {@code undertow} (the adapter's own) unless the build's second run asks for
     * {@code jetty} with {@code -Djunction.test.transport=jetty}.
     */
    static final String TRANSPORT = System.getProperty("junction.test.transport", UndertowTransport.NAME);

    private UndertowGateway(Junction.Builder builder, JunctionConfig config, String transport,
            @Nullable SSLContext tls) {
        this(builder, config, transport, tls, false);
    }

    private UndertowGateway(Junction.Builder builder, JunctionConfig config, String transport,
            @Nullable SSLContext tls, boolean http2) {
        this.tls = tls != null;
        Junction junction = builder.defaultTransport(transport).build(config);
        this.handler = JunctionHandler.create(junction, exchange -> {
            exchange.getResponseHeaders().put(HttpString.tryFromString("X-Next"), "yes");
            exchange.getResponseSender().send("next handler");
        });
        Undertow.Builder listening = Undertow.builder();
        if (tls == null) {
            listening.addHttpListener(0, "127.0.0.1");
        } else {
            listening.addHttpsListener(0, "127.0.0.1", tls);
        }
        // HTTP/2: h2c by prior knowledge or Upgrade on HTTP, h2 by ALPN on HTTPS.
        this.server = listening
                .setServerOption(UndertowOptions.ENABLE_HTTP2, http2)
                .setIoThreads(2)
                .setByteBufferPool(buffers)
                .setHandler(handler)
                .build();
        server.start();
        this.port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    static Gateway start(JunctionConfig config) {
        return new UndertowGateway(JunctionHandler.junctionBuilder(), config, TRANSPORT, null);
    }

    /** Starts a gateway whose Junction {@code builder} builds (with what the test hands in). */
    static Gateway start(Junction.Builder builder, JunctionConfig config) {
        return new UndertowGateway(builder, config, TRANSPORT, null);
    }

    /** Starts a gateway on the transport named, whatever the build's run asks for. */
    static Gateway start(JunctionConfig config, String transport) {
        return new UndertowGateway(JunctionHandler.junctionBuilder(), config, transport, null);
    }

    /** Starts a gateway whose server listens on HTTPS with the certificate of {@code tls}. */
    static Gateway startTls(JunctionConfig config, SSLContext tls) {
        return new UndertowGateway(JunctionHandler.junctionBuilder(), config, TRANSPORT, tls);
    }

    /** Starts a gateway whose server also speaks HTTP/2: h2c in clear text, h2 with {@code tls}. */
    static Gateway startHttp2(JunctionConfig config, @Nullable SSLContext tls) {
        return new UndertowGateway(JunctionHandler.junctionBuilder(), config, TRANSPORT, tls, true);
    }

    @Override
    public URI uri(String target) {
        return URI.create((tls ? "https://localhost:" : "http://127.0.0.1:") + port + target);
    }

    @Override
    public ParserQuirks quirks() {
        return ParserQuirks.UNDERTOW;
    }

    @Override
    public int port() {
        return port;
    }

    /** Returns how many of the server's buffers are taken and not yet given back. */
    int outstandingBuffers() {
        return buffers.outstanding();
    }

    @Override
    public Junction junction() {
        return handler.junction();
    }

    @Override
    public void closeJunction() {
        handler.close();
    }

    @Override
    public void close() {
        server.stop();
        handler.close();
        try {
            // Connections close on the I/O threads, which give their buffers back as they go.
            await().atMost(Duration.ofSeconds(5)).until(() -> buffers.outstanding() == 0);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(buffers.outstanding() + " of the server's buffers were never given back");
        }
    }
}
