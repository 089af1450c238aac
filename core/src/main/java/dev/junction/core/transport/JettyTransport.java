package dev.junction.core.transport;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import org.eclipse.jetty.client.AbstractConnectionPool;
import org.eclipse.jetty.client.ContentSourceRequestContent;
import org.eclipse.jetty.client.ContinueProtocolHandler;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.EarlyHintsProtocolHandler;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpUpgrader;
import org.eclipse.jetty.client.Origin;
import org.eclipse.jetty.client.ProcessingProtocolHandler;
import org.eclipse.jetty.client.ProtocolHandlers;
import org.eclipse.jetty.client.ProxyAuthenticationProtocolHandler;
import org.eclipse.jetty.client.RedirectProtocolHandler;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.UpgradeProtocolHandler;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.client.transport.HttpDestination;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.Trailers;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.jspecify.annotations.Nullable;

import dev.junction.core.config.ClientConfig;
import dev.junction.core.config.LimitsConfig;
import dev.junction.core.http.BodySource;
import dev.junction.core.http.Chunk;
import dev.junction.core.http.Fields;
import dev.junction.core.spi.BackendRequest;
import dev.junction.core.spi.BackendTls;
import dev.junction.core.spi.ResponseListener;
import dev.junction.core.spi.ResponseListener.Phase;
import dev.junction.core.spi.Transport;

/**
 * The transport on Jetty's {@code HttpClient}: keep-alive pools per backend, and nothing a proxy must not do (no
 * redirects followed, no cookies kept, no content decoded, no authentication or {@code Expect} handling, no
 * {@code User-Agent} of its own). What the client tells of a request becomes the engine's
 * {@link ResponseListener} events; bodies move both ways as Jetty's demand-driven {@code Content.Source}, so
 * back-pressure holds end to end.
 *
 * <pre>{@code
 * JettyTransport transport = JettyTransport.create(config.client(), Duration.ofSeconds(5));
 * transport.start();
 * Junction junction = Junction.builder().transport(transport).build(config);   // started and stopped by its maker
 * }</pre>
 *
 * <p>Thread-safe. The client's threads are daemons named {@code junction-client-*}, its timer
 * {@code junction-client-scheduler}; {@link #stop()} stops them.
 */
public final class JettyTransport implements Transport {

    /** How many idle buffers of each size the client's buffer pool keeps at most. */
    private static final int BUFFERS_PER_SIZE = 1024;
    /** The size of the buffers responses are read into. */
    private static final int RESPONSE_BUFFER_BYTES = 64 * 1024;
    /** What a request head may take beyond the client's header section: the request line, the forwarding fields. */
    private static final int HEAD_ROOM_BYTES = 16 * 1024;

    private final HttpClient client;
    /** True over HTTP/1.1 (which carries upgrades); false for the HTTP/2 client. */
    private final boolean tunnels;

    private JettyTransport(HttpClient client) {
        this(client, true);
    }

    private JettyTransport(HttpClient client, boolean tunnels) {
        this.client = client;
        this.tunnels = tunnels;
    }

    /**
     * Returns a transport on a client of its own, made for proxying as {@code settings} say, with the default
     * {@link LimitsConfig}. The transport is not started.
     *
     * @param settings the client's pool sizes and idle timeout
     * @param connectTimeout the longest connect any route allows: each route's own connect timeout is enforced per
     *     request by the engine, this is only the outer bound
     * @return the transport, to be started before use and stopped after
     */
    public static JettyTransport create(ClientConfig settings, Duration connectTimeout) {
        return create(settings, connectTimeout, LimitsConfig.DEFAULT);
    }

    /**
     * Returns a transport on a client of its own, made for proxying as {@code settings} say, that sends every request
     * head {@code limits} lets a client send (Jetty's client refuses heads over 8 KiB by default). The transport is
     * not started.
     *
     * @param settings the client's pool sizes and idle timeout
     * @param connectTimeout the longest connect any route allows: each route's own connect timeout is enforced per
     *     request by the engine, this is only the outer bound
     * @param limits the limits on clients' requests, whose header section size the client's is sized for
     * @return the transport, to be started before use and stopped after
     */
    public static JettyTransport create(ClientConfig settings, Duration connectTimeout, LimitsConfig limits) {
        Objects.requireNonNull(settings, "settings");
        // Jetty's default selector count (half the processors, at least one): the engine's listeners run on these
        // threads (see configure), so a large machine needs more than one; a second one on two cores measured slower.
        HttpClient client = new HttpClient(new Http1PerRoute(new ClientConnector()));
        configure(client, settings, connectTimeout, limits);
        // One request per connection at a time: the pool keeps as many as the backend's requests in flight.
        client.getHttpClientTransport().setConnectionPoolFactory(
                BackendConnectionPool.factory(settings.maxConnectionsPerBackend()));
        return new JettyTransport(client);
    }

    /**
     * Returns a transport to backends that speak HTTP/2 ({@code h2c}: prior knowledge on {@code http://}; {@code h2}:
     * ALPN on {@code https://}), on a client of its own made for proxying as {@code settings} say. Requests to one
     * backend are multiplexed as streams over its connections, as many on each as the backend's
     * {@code SETTINGS_MAX_CONCURRENT_STREAMS} allows, a new connection opened (up to
     * {@code client.maxConnectionsPerBackend}) when they are full. It carries no upgrades. The transport is not
     * started.
     *
     * @param settings the client's pool sizes and idle timeout
     * @param connectTimeout the longest connect any route allows, the outer bound of each route's own
     * @param limits the limits on clients' requests, whose header section size the client's is sized for
     * @return the transport, to be started before use and stopped after
     */
    public static JettyTransport createHttp2(ClientConfig settings, Duration connectTimeout, LimitsConfig limits) {
        Objects.requireNonNull(settings, "settings");
        HTTP2Client http2 = new HTTP2Client(new ClientConnector());
        http2.setMaxRequestHeadersSize(limits.maxRequestHeaderBytes() + HEAD_ROOM_BYTES);
        http2.setMaxConcurrentPushedStreams(0);
        HttpClient client = new HttpClient(new Http2PerRoute(http2));
        configure(client, settings, connectTimeout, limits);
        return new JettyTransport(client, false);
    }

    private static void configure(HttpClient client, ClientConfig settings, Duration connectTimeout,
            LimitsConfig limits) {
        QueuedThreadPool threads = new QueuedThreadPool(200, 4);
        threads.setName("junction-client");
        threads.setDaemon(true);
        // The engine's listeners never block (they hand bytes to the adapter and return), so the client may run
        // them on its selector thread instead of handing each response to another thread.
        client.getHttpClientTransport().setInvocationType(Invocable.InvocationType.NON_BLOCKING);
        client.setExecutor(threads);
        // Jetty's own pool keeps at most half its thread count (100) buffers of each size. A proxy holds more at once
        // (a network buffer per response being read, each until the client has taken its bytes), and a buffer the
        // full pool will not take back is left to the garbage collector with its native memory: under large bodies
        // hundreds of MiB of direct memory waited there for an old-generation collection. Buffers beyond what the
        // pool's memory heuristic allows (an eighth of the heap) are still let go.
        client.setByteBufferPool(new ArrayByteBufferPool(0, 2048, 65536, BUFFERS_PER_SIZE, 0, 0));
        // A response is read 64 KiB at a time (Jetty's default is 16 KiB): a quarter of the reads and of the writes
        // to the client for a large body; measured 1.3x on 1 MiB responses through the servlet filter in Jetty.
        client.setResponseBufferSize(RESPONSE_BUFFER_BYTES);
        // The client's header section as Junction accepts it, with room for the request line and the fields
        // Junction adds. Only a head over the request buffer (4 KiB) takes a buffer of this size, for its write.
        client.setMaxRequestHeadersSize(limits.maxRequestHeaderBytes() + HEAD_ROOM_BYTES);
        client.setScheduler(new ScheduledExecutorScheduler("junction-client-scheduler", true));
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setUserAgentField(null);
        // A body goes with the client's Content-Type or none: Jetty would add application/octet-stream.
        client.setDefaultRequestContentType(null);
        client.setMaxConnectionsPerDestination(settings.maxConnectionsPerBackend());
        client.setMaxRequestsQueuedPerDestination(Math.max(1024, settings.maxConnectionsPerBackend() * 4));
        client.setIdleTimeout(settings.idleTimeout().toMillis());
        client.setConnectTimeout(connectTimeout.toMillis() + 1000);
    }

    /**
     * Returns a transport on a client made elsewhere, configured and started and stopped by whoever made it. It must
     * be made for proxying: redirects, cookies, content decoding and authentication off.
     *
     * @param client the client requests go through
     * @return the transport, which carries upgrades
     */
    public static JettyTransport wrap(HttpClient client) {
        return new JettyTransport(Objects.requireNonNull(client, "client"));
    }

    /** {@return the client requests go through} */
    public HttpClient client() {
        return client;
    }

    /** Counts the connections of the client's pool to {@code origin}: none before its first request. */
    @Override
    public Connections connections(URI origin) {
        for (Destination destination : client.getDestinations()) {
            if (matches(destination, origin) && destination instanceof HttpDestination http
                    && http.getConnectionPool() instanceof AbstractConnectionPool pool) {
                return new Connections(pool.getActiveConnectionCount() + pool.getPendingConnectionCount(),
                        pool.getIdleConnectionCount());
            }
        }
        return new Connections(0, 0);
    }

    /**
     * Closes the client's connections to {@code origin} and forgets its destination: idle connections close now, and
     * the pool is gone (its requests have ended, as {@link Transport#release} promises).
     */
    @Override
    public void release(URI origin) {
        for (Destination destination : client.getDestinations()) {
            if (matches(destination, origin) && destination instanceof HttpDestination http) {
                if (client.removeDestination(http)) {
                    // Stopping the destination closes its connection pool, and with it every connection.
                    LifeCycle.stop(http);
                }
            }
        }
    }

    private static boolean matches(Destination destination, URI origin) {
        Origin.Address address = destination.getOrigin().getAddress();
        return address.getPort() == port(origin) && address.getHost().equalsIgnoreCase(origin.getHost())
                && destination.getOrigin().getScheme().equalsIgnoreCase(origin.getScheme());
    }

    private static int port(URI origin) {
        return origin.getPort() > 0 ? origin.getPort() : "https".equalsIgnoreCase(origin.getScheme()) ? 443 : 80;
    }

    @Override
    public void start() throws Exception {
        client.start();
        withoutClientDefaults(client);
    }

    /**
     * Removes what Jetty's client installs when it starts and a proxy must not do: response decoders (they would send
     * {@code Accept-Encoding: gzip} the client never asked for, and decode what the client should get as sent) and
     * the handlers that act on redirects and authentication challenges meant for the client. The handlers of interim
     * responses ({@code 100}, {@code 102}, {@code 103}) stay, and now also tell the request's listener; so does the
     * one of upgrades, which hands an upgrade's connection to its {@link TunnelUpgrader} on {@code 101}: for any
     * protocol the engine asked to tunnel, where Jetty's own accepts only {@code websocket} and {@code h2c}.
     */
    private static void withoutClientDefaults(HttpClient client) {
        client.getContentDecoderFactories().clear();
        ProtocolHandlers handlers = client.getProtocolHandlers();
        handlers.remove(RedirectProtocolHandler.NAME);
        handlers.remove(WWWAuthenticationProtocolHandler.NAME);
        handlers.remove(ProxyAuthenticationProtocolHandler.NAME);
        handlers.put(new ContinueProtocolHandler() {
            @Override
            protected Runnable onContinue(Request request) {
                Sent.interim(request, 100, HttpFields.EMPTY);
                return super.onContinue(request);
            }
        });
        handlers.put(new ProcessingProtocolHandler() {
            @Override
            protected void onProcessing(Request request, HttpFields headers) {
                Sent.interim(request, 102, headers);
            }
        });
        handlers.put(new UpgradeProtocolHandler() {
            @Override
            protected boolean acceptHeaders(Request request, Response response) {
                return request.getAttributes().get(HttpUpgrader.Factory.class.getName()) instanceof TunnelFactory
                        || super.acceptHeaders(request, response);
            }
        });
        handlers.put(new EarlyHintsProtocolHandler() {
            @Override
            protected void onEarlyHints(Request request, HttpFields headers) {
                Sent.interim(request, 103, headers);
            }
        });
    }

    @Override
    public void stop() throws Exception {
        client.stop();
        if (client.getHttpClientTransport() instanceof PerRoute routes) {
            routes.tls().stop();
        }
    }

    /**
     * Carries upgrades over HTTP/1.1: a backend's {@code 101} hands its connection over as a {@link JettyTunnelEnd}.
     * Over HTTP/2 there is none.
     */
    @Override
    public boolean tunnels() {
        return tunnels;
    }

    /**
     * The TLS of each route's {@code https://} destinations: a request tagged with its route's {@link BackendTls} gets
     * a destination of its own (the tag is part of Jetty's origin), whose connections take their SSL engines from
     * that route's context rather than from the client's one factory.
     */
    private static final class RouteTls {

        private final Map<BackendTls, SslContextFactory.Client> factories = new ConcurrentHashMap<>();

        /** Returns the destination of {@code origin}: its route's own if it is tagged with one, else the usual. */
        Destination destination(HttpClient client, Origin origin, Function<Origin, Destination> usual) {
            if (!(origin.getTag() instanceof BackendTls tls)) {
                return usual.apply(origin);
            }
            SslContextFactory.Client factory = factories.computeIfAbsent(tls, RouteTls::factory);
            return new HttpDestination(client, origin) {
                @Override
                public SslContextFactory.Client resolveSslContextFactory() {
                    return factory;
                }
            };
        }

        private static SslContextFactory.Client factory(BackendTls tls) {
            SslContextFactory.Client factory = new SslContextFactory.Client() {
                @Override
                public SSLEngine newSSLEngine(String host, int port) {
                    return tls.newEngine(host, port);
                }

                @Override
                public void customize(SSLEngine engine) {
                    // newEngine set protocols, verification and SNI already.
                }

                @Override
                protected void checkCiphers(SSLParameters parameters) {
                    // Jetty would log a warning per JDK default suite it judges weak at every start. The engines come
                    // from BackendTls (TLS 1.3 and 1.2, the JDK's suites, which the backend chooses among), not from
                    // this factory's settings.
                }
            };
            factory.setSslContext(tls.context());
            factory.setEndpointIdentificationAlgorithm(tls.verifies() ? "HTTPS" : null);
            try {
                factory.start();
            } catch (Exception e) {
                throw new IllegalStateException("TLS context cannot be started: " + e, e);
            }
            return factory;
        }

        void stop() throws Exception {
            for (SslContextFactory.Client factory : factories.values()) {
                factory.stop();
            }
            factories.clear();
        }
    }

    /** A client transport whose {@code https://} destinations each speak TLS as their route says. */
    private interface PerRoute {

        RouteTls tls();
    }

    /** HTTP/1.1 whose {@code https://} destinations each speak TLS as their route says ({@link RouteTls}). */
    private static final class Http1PerRoute extends HttpClientTransportOverHTTP implements PerRoute {

        private final RouteTls tls = new RouteTls();

        Http1PerRoute(ClientConnector connector) {
            super(connector);
        }

        @Override
        public RouteTls tls() {
            return tls;
        }

        @Override
        public Destination newDestination(Origin origin) {
            return tls.destination(getHttpClient(), origin, super::newDestination);
        }
    }

    /**
     * HTTP/2 whose {@code https://} destinations each speak TLS as their route says ({@link RouteTls}), offering
     * {@code h2} by ALPN.
     */
    private static final class Http2PerRoute extends HttpClientTransportOverHTTP2 implements PerRoute {

        private final RouteTls tls = new RouteTls();

        Http2PerRoute(HTTP2Client client) {
            super(client);
        }

        @Override
        public RouteTls tls() {
            return tls;
        }

        @Override
        public Destination newDestination(Origin origin) {
            return tls.destination(getHttpClient(), origin, super::newDestination);
        }
    }

    /** Makes the {@link TunnelUpgrader} of a request the engine asked to tunnel. */
    private record TunnelFactory(HttpClient client, Sent sent) implements HttpUpgrader.Factory {
        @Override
        public HttpUpgrader newHttpUpgrader(HttpVersion version) {
            return new TunnelUpgrader(client, sent);
        }
    }

    /**
     * Takes over a connection whose backend answered {@code 101}: Jetty's client calls it instead of the response
     * listener (which hears nothing of a successful upgrade), and the request's listener is told here in order: the
     * head, the connection as a tunnel end, the end of the exchange. The client's own upgrade (a new WebSocket key)
     * is not made: the client's key passes through.
     */
    private static final class TunnelUpgrader implements HttpUpgrader {

        private final HttpClient client;
        private final Sent sent;

        TunnelUpgrader(HttpClient client, Sent sent) {
            this.client = client;
            this.sent = sent;
        }

        @Override
        public void prepare(Request request) {
            // The upgrade fields are the client's, already among the request's headers.
        }

        @Override
        public void upgrade(Response response, EndPoint endPoint, Callback callback) {
            JettyTunnelEnd end = new JettyTunnelEnd(endPoint, client.getExecutor(), client.getByteBufferPool(), null);
            try {
                endPoint.upgrade(end);
            } catch (RuntimeException e) {
                callback.failed(e);
                return;
            }
            callback.succeeded();
            sent.upgraded(response, end);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if Jetty's client refuses the request (an exotic method or header); nothing was
     *     sent
     */
    @Override
    public Transport.Exchange send(BackendRequest request, ResponseListener listener) {
        Fields fields = request.headers();
        Request jetty;
        try {
            jetty = newRequest(request)
                    .method(request.method())
                    .headers(headers -> {
                        for (int i = 0; i < fields.size(); i++) {
                            // HTTP/2 names the authority in :authority, from the backend's URI; a Host field beside
                            // it would have to say the same (RFC 9113 §8.3.1), so it is left to that.
                            if (!tunnels && fields.is(i, "Host")) {
                                continue;
                            }
                            headers.add(fields.name(i), fields.value(i));
                        }
                    });
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("request not sendable: " + e.getMessage(), e);
        }
        if (request.idleTimeoutMillis() > 0) {
            jetty.idleTimeout(request.idleTimeoutMillis(), TimeUnit.MILLISECONDS);
        }
        if (request.totalTimeoutMillis() > 0) {
            jetty.timeout(request.totalTimeoutMillis(), TimeUnit.MILLISECONDS);
        }
        if (request.tls() != null) {
            // Part of the origin: the route's TLS gets destinations, and so connections, of its own.
            jetty.tag(request.tls());
        }
        BodySource body = request.body();
        if (body != null) {
            jetty.body(new ContentSourceRequestContent(new RequestBody(body), fields.get("Content-Type")));
        }
        Sent sent = new Sent(client, jetty, listener, body != null);
        jetty.attribute(Sent.ATTRIBUTE, sent);
        if (fields.get("Upgrade") != null) {
            // The engine asks for an upgrade only to tunnel it: on 101 the connection is handed over as it is.
            jetty.attribute(HttpUpgrader.Factory.class.getName(), new TunnelFactory(client, sent));
        }
        jetty.onRequestListener(sent);
        jetty.send(sent);
        return sent;
    }

    /**
     * Returns Jetty's request for the origin and target of {@code request}. A target that starts with {@code //} goes
     * into the request's URI whole: handed to {@code path()}, Jetty would read {@code //host} as an authority and send
     * only what follows it.
     */
    private Request newRequest(BackendRequest request) {
        String target = request.target();
        if (target.startsWith("//")) {
            return client.newRequest(URI.create(request.origin().toString() + target));
        }
        return client.newRequest(request.origin()).path(target);
    }

    /** One request on Jetty's client, and the listener that turns its events into the engine's. */
    private static final class Sent implements Request.Listener, Response.Listener, Transport.Exchange {

        /** The request attribute by which the interim handlers find the listener of a request. */
        static final String ATTRIBUTE = Sent.class.getName();

        private final HttpClient client;
        private final Request request;
        private final ResponseListener listener;
        private final boolean hasBody;
        private volatile boolean begun;
        private volatile boolean sent;
        private volatile boolean headed;

        Sent(HttpClient client, Request request, ResponseListener listener, boolean hasBody) {
            this.client = client;
            this.request = request;
            this.listener = listener;
            this.hasBody = hasBody;
        }

        @Override
        public void abort(Throwable cause) {
            request.abort(cause);
        }

        @Override
        public void onBegin(Request request) {
            begun = true;
            listener.requestBegun();
        }

        @Override
        public void onSuccess(Request request) {
            sent = true;
            listener.requestSent();
        }

        @Override
        public void onBegin(Response response) {
            listener.responseBegun();
        }

        /** Tells the listener of {@code request}, if it is one of this transport's, of an interim response. */
        static void interim(Request request, int status, HttpFields headers) {
            if (request.getAttributes().get(ATTRIBUTE) instanceof Sent sent) {
                sent.listener.interim(status, copy(headers, 0));
            }
        }

        @Override
        public void onHeaders(Response response) {
            headed = true;
            listener.head(response.getStatus(), copy(response.getHeaders(), 2));
        }

        /** Returns Junction's copy of {@code headers}, with room for {@code spare} more. */
        static Fields copy(HttpFields headers, int spare) {
            Fields copy = new Fields(headers.size() + spare);
            for (int i = 0; i < headers.size(); i++) {
                HttpField field = headers.getField(i);
                String value = field.getValue();
                copy.add(field.getName(), value == null ? "" : value);
            }
            return copy;
        }

        /** The backend switched protocols: its head, then its connection as a tunnel end, then the end. */
        void upgraded(Response response, JettyTunnelEnd end) {
            listener.responseBegun();
            headed = true;
            listener.head(response.getStatus(), copy(response.getHeaders(), 2));
            listener.upgraded(end);
            listener.completed(null);
        }

        @Override
        public void onContentSource(Response response, Content.Source source) {
            listener.body(new ResponseBody(source, response));
        }

        @Override
        public void onComplete(Result result) {
            Throwable failure = result.getFailure();
            if (failure instanceof TimeoutException && !begun && atLimit()) {
                // The connect deadline passed while the request waited for one of the backend's connections, all
                // busy: the proxy's own limit kept it from the backend, which is not the backend's failure.
                failure = new RejectedExecutionException("waited for one of the backend's "
                        + client.getMaxConnectionsPerDestination() + " connections past the connect timeout",
                        failure);
            }
            listener.completed(failure == null ? null : new ResponseListener.Failure(phase(failure), failure));
        }

        /** Whether the backend has as many connections open as the client allows, none of them idle. */
        private boolean atLimit() {
            if (client.resolveDestination(request).getConnectionPool() instanceof AbstractConnectionPool pool) {
                return pool.getConnectionCount() >= pool.getMaxConnectionCount() && pool.getIdleConnectionCount() == 0;
            }
            return false;
        }

        /**
         * How far the request had got when it failed. Jetty tells of a request's success and of a response's failure
         * on different threads: a backend that reads a body-less request and closes can be read as closed (an
         * {@link EOFException}) before the request's success is told. A body-less request is its head, which was
         * written whole when the backend's close could be read, so it failed awaiting the head.
         */
        private Phase phase(Throwable failure) {
            if (!begun || failure instanceof ConnectException || failure instanceof RejectedExecutionException) {
                return Phase.CONNECT;
            }
            if (!sent && (hasBody || !(failure instanceof EOFException))) {
                return Phase.SEND;
            }
            return headed ? Phase.BODY : Phase.AWAIT_HEAD;
        }
    }

    /** A backend's response body, as Jetty's client reads it, and the trailer fields after it. */
    private static final class ResponseBody implements BodySource {

        private final Content.Source source;
        private final Response response;
        private volatile @Nullable Fields trailers;

        ResponseBody(Content.Source source, Response response) {
            this.source = source;
            this.response = response;
        }

        @Override
        public @Nullable Chunk read() {
            Content.Chunk chunk = source.read();
            if (chunk == null) {
                return null;
            }
            if (Content.Chunk.isFailure(chunk)) {
                return Chunk.failed(chunk.getFailure());
            }
            if (chunk instanceof Trailers fields) {
                keepTrailers(fields.getTrailers());
                chunk.release();
                return Chunk.EOF;
            }
            if (chunk.isLast()) {
                keepTrailers(response.getTrailers());
            }
            if (chunk == Content.Chunk.EOF) {
                return Chunk.EOF;
            }
            return new JettyChunk(chunk);
        }

        private void keepTrailers(@Nullable HttpFields fields) {
            if (fields != null && fields.size() > 0) {
                trailers = Sent.copy(fields, 0);
            }
        }

        @Override
        public @Nullable Fields trailers() {
            return trailers;
        }

        @Override
        public void demand(Runnable callback) {
            source.demand(callback);
        }

        @Override
        public long length() {
            return source.getLength();
        }
    }

    /** One of Jetty's chunks: released to Jetty's buffer pool once the client has taken its bytes. */
    private static final class JettyChunk extends Chunk {

        private final Content.Chunk chunk;

        JettyChunk(Content.Chunk chunk) {
            super(chunk.getByteBuffer(), chunk.isLast(), null);
            this.chunk = chunk;
        }

        @Override
        public void release() {
            chunk.release();
        }
    }

    /**
     * The client's request body as Jetty's client reads it. A failed attempt fails its content: that must not fail
     * the client's body, which the next attempt may still send, so failures stop here.
     */
    private static final class RequestBody implements Content.Source {

        private final BodySource body;

        RequestBody(BodySource body) {
            this.body = body;
        }

        @Override
        public Content.@Nullable Chunk read() {
            Chunk chunk = body.read();
            if (chunk == null) {
                return null;
            }
            Throwable failure = chunk.failure();
            if (failure != null) {
                return Content.Chunk.from(failure, true);
            }
            if (chunk == Chunk.EOF) {
                return Content.Chunk.EOF;
            }
            return Content.Chunk.from(chunk.buffer(), chunk.last(), chunk::release);
        }

        @Override
        public void demand(Runnable demandCallback) {
            body.demand(demandCallback);
        }

        @Override
        public void fail(Throwable failure) {
            // Deliberately not passed on: see the class comment.
        }

        @Override
        public long getLength() {
            return body.length();
        }
    }
}
