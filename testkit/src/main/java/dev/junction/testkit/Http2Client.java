package dev.junction.testkit;

import javax.net.ssl.SSLContext;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.jspecify.annotations.Nullable;

/**
 * A real HTTP/2 client for tests: Jetty's, speaking h2c by prior knowledge to {@code http://} URLs and h2 by ALPN to
 * {@code https://} ones, at most one connection per server (so concurrent requests are streams of one connection),
 * exposing what the JDK's client does not (response trailers).
 */
public final class Http2Client implements AutoCloseable {

    private final HttpClient jetty;

    private Http2Client(HttpClient jetty) {
        this.jetty = jetty;
    }

    /** Starts a client; {@code tls} (null for the JDK's defaults) is the context of {@code https://} requests. */
    public static Http2Client start(@Nullable SSLContext tls) throws Exception {
        ClientConnector connector = new ClientConnector();
        SslContextFactory.Client factory = new SslContextFactory.Client();
        if (tls != null) {
            factory.setSslContext(tls);
        }
        connector.setSslContextFactory(factory);
        HttpClient jetty = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client(connector)));
        jetty.setMaxConnectionsPerDestination(1);
        jetty.setFollowRedirects(false);
        jetty.start();
        return new Http2Client(jetty);
    }

    /** Returns Jetty's client. */
    public HttpClient jetty() {
        return jetty;
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
    }
}
