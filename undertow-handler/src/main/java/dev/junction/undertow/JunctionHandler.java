package dev.junction.undertow;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;

import dev.junction.core.Junction;
import dev.junction.core.Match;
import dev.junction.core.config.JunctionConfig;
import dev.junction.undertow.transport.UndertowTransport;

/**
 * An Undertow {@link HttpHandler} that serves the requests Junction takes (its routes and, when the configuration
 * enables it, its admin endpoint) and passes every other request to the next handler, untouched.
 *
 * <pre>{@code
 * JunctionHandler proxy = JunctionHandler.create(config, existingHandlerChain);   // starts its Junction
 * Undertow server = Undertow.builder().addHttpListener(8080, "0.0.0.0").setHandler(proxy).build();
 * server.start();
 * ...
 * server.getListenerInfo().forEach(Undertow.ListenerInfo::suspend);   // take no new connections
 * proxy.close();       // drains: in-flight exchanges finish (up to the grace period); its Junction stops
 * server.stop();
 * }</pre>
 *
 * <p>A request Junction takes is handled on the I/O thread that received it: nothing blocks and nothing is dispatched
 * to a worker; bytes move with channel listeners as the client and the backend are ready. With the default
 * {@link UndertowTransport}, the backend exchange runs on that same thread too. A Junction built elsewhere should
 * start from {@link #junctionBuilder()} to have it. Thread-safe.
 */
public final class JunctionHandler implements HttpHandler, AutoCloseable {

    private final Junction junction;
    private final HttpHandler next;
    private final boolean owned;
    /** Set by {@link #close()}: responses close their connections, and once Junction has stopped, 503. */
    private volatile boolean stopping;
    private volatile boolean stopped;

    private JunctionHandler(Junction junction, HttpHandler next, boolean owned) {
        this.junction = Objects.requireNonNull(junction, "junction");
        this.next = Objects.requireNonNull(next, "next");
        this.owned = owned;
    }

    /**
     * Returns a handler over a Junction it creates from {@code config} and starts; {@link #close()} stops it.
     *
     * @param config the configuration; the Junction is built from it with {@link #junctionBuilder()}
     * @param next the handler of every request Junction does not take
     * @return the handler, its Junction started
     */
    public static JunctionHandler create(JunctionConfig config, HttpHandler next) {
        return new JunctionHandler(junctionBuilder().build(config).start(), next, true);
    }

    /**
     * Returns a builder of a Junction for this adapter: {@link Junction#builder()} with the {@code undertow} transport
     * registered and made the default, so backend exchanges stay on the I/O thread of their client's exchange
     * ({@code client.transport: jetty} in the configuration chooses Jetty's client instead).
     *
     * @return a new builder
     */
    public static Junction.Builder junctionBuilder() {
        return Junction.builder()
                .transport(UndertowTransport.NAME, UndertowTransport.FACTORY)
                .defaultTransport(UndertowTransport.NAME);
    }

    /**
     * Returns a handler over a Junction handed over to it (built with {@link Junction#builder()}), which it starts;
     * {@link #close()} stops it.
     *
     * @param junction the Junction to start and forward with, not yet started
     * @param next the handler of every request Junction does not take
     * @return the handler, its Junction started
     */
    public static JunctionHandler create(Junction junction, HttpHandler next) {
        return new JunctionHandler(junction.start(), next, true);
    }

    /**
     * Returns a handler over a Junction the caller starts and stops; {@link #close()} leaves it alone.
     *
     * @param junction the Junction to forward with
     * @param next the handler of every request Junction does not take
     * @return the handler
     */
    public static JunctionHandler wrap(Junction junction, HttpHandler next) {
        return new JunctionHandler(junction, next, false);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String rawPath = rawPath(exchange);
        UndertowExchange server = rawPath == null ? null : new UndertowExchange(exchange, rawPath);
        Match match = server == null ? null : junction.match(server);
        if (match == null || server == null) {
            next.handleRequest(exchange);
            return;
        }
        if (stopping) {
            // Draining: this exchange is served, and its connection closed after it, so the client reconnects (to
            // another instance) for its next request, as nginx does on a graceful shutdown.
            exchange.setPersistent(false);
            if (stopped) {
                exchange.setStatusCode(503);
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain;charset=utf-8");
                exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "1");
                exchange.getResponseSender().send("Junction is shutting down\n");
                return;
            }
        }
        if (!match.admin()) {
            // Undertow's default body limit (2 MiB) guards servers that buffer bodies; a proxied body is streamed,
            // so it does not apply (nginx's client_max_body_size aside, HAProxy and Envoy set none either).
            exchange.setMaxEntitySize(Long.MAX_VALUE);
        }
        // Keeps the exchange open after this method returns; the task runs on this I/O thread once it has.
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> match.serve(server));
    }

    /** {@return the Junction this handler forwards with} */
    public Junction junction() {
        return junction;
    }

    /**
     * Drains and stops: from now on every response closes its connection; exchanges in flight finish, up to the
     * Junction's grace period, and the Junction stops if this handler created it; after that, requests still arriving
     * on open connections get 503. Stop the server's listeners from accepting first, and the server after: see the
     * class example. Returns once drained.
     */
    @Override
    public void close() {
        stopping = true;
        if (owned) {
            junction.close();
            stopped = true;
        }
    }

    /**
     * Returns the request path as received (percent-encoded, no query), or null for a target that is not a path
     * ({@code OPTIONS *}). An absolute-form target ({@code GET http://host/x}) gives its path.
     */
    static @Nullable String rawPath(HttpServerExchange exchange) {
        String uri = exchange.getRequestURI();
        if (exchange.isHostIncludedInRequestURI()) {
            int scheme = uri.indexOf("://");
            int slash = scheme < 0 ? -1 : uri.indexOf('/', scheme + 3);
            uri = slash < 0 ? "/" : uri.substring(slash);
        }
        return uri.startsWith("/") ? uri : null;
    }
}
