package dev.junction.core.internal.engine;

import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.junction.core.config.RouteConfig;
import dev.junction.core.http.Fields;
import dev.junction.core.internal.route.TrustedProxies;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.ServerExchange;

/**
 * The header rules of a proxy (RFC 9110 §7.6) in both directions: hop-by-hop headers dropped, {@code X-Forwarded-*}
 * and optionally {@code Forwarded} and {@code Via} added, the {@code Host} chosen.
 *
 * <p>Stateless and thread-safe. Fields are walked by index, here and in the other rules of this package: an iterator
 * per walk would be garbage on every request.
 */
final class ForwardHeaders {

    private static final String X_FORWARDED_FOR = "X-Forwarded-For";
    private static final String X_FORWARDED_PROTO = "X-Forwarded-Proto";
    private static final String X_FORWARDED_HOST = "X-Forwarded-Host";
    private static final String X_FORWARDED_PORT = "X-Forwarded-Port";
    private static final String VIA_PSEUDONYM = " junction";

    private ForwardHeaders() {
    }

    /**
     * Returns the headers of the backend request: the client's headers in order without the hop-by-hop ones,
     * {@code Host} and {@code Expect} (this proxy answers {@code 100 Continue} itself, as nginx does); the client
     * address appended to {@code X-Forwarded-For}; {@code X-Forwarded-Proto}, {@code -Host} and {@code -Port} set to
     * what the client used; {@code X-Request-Id} set to the exchange's ({@link RequestIds}); then, as the route asks,
     * an RFC 7239 {@code Forwarded} element and a {@code Via} entry; to an HTTP/2 backend, {@code TE: trailers} if the
     * client's {@code TE} lists {@code trailers} (Junction forwards trailer fields). An upgrade the exchange can carry
     * as a tunnel ({@code upgrade} not null) goes on, as {@code Connection: upgrade} and the client's
     * {@code Upgrade}: those two are hop-by-hop, so a proxy that tunnels sets them itself (as nginx's documented
     * WebSocket setup does).
     *
     * <p>Forwarding headers are the proxy's. From a peer that is not one of the route's trusted proxies, the
     * {@code X-Forwarded-Proto/-Host/-Port} it sent are replaced, and its {@code Forwarded}, {@code X-Real-IP},
     * {@code X-Forwarded-Prefix}, {@code X-Original-URL} and {@code X-Rewrite-URL} are dropped (a backend could take
     * them for facts: a client address, a base path, the URL to serve). A trusted proxy's are kept, Junction's
     * {@code Forwarded} element added after theirs. Underscore spellings of any of them ({@code X_Forwarded_For}),
     * which CGI-style servers read as the real header, are dropped from everyone.
     */
    static Fields toBackend(ServerExchange exchange, RouteConfig route, TrustedProxies trusted, Backend backend,
            String requestId, @Nullable String upgrade) {
        Fields in = exchange.requestHeaders();
        Set<String> named = HopByHop.connectionTokens(in);
        String client = exchange.clientAddress();
        boolean fromTrusted = trusted.trusts(client);
        String clientHost = null;
        String forwardedFor = null;
        boolean keptProto = false;
        boolean keptHost = false;
        boolean keptPort = false;
        boolean trailers = false;
        Fields out = new Fields(in.size() + 6);
        for (int i = 0; i < in.size(); i++) {
            String name = in.name(i);
            if (name.equalsIgnoreCase("Host")) {
                clientHost = clientHost == null ? in.value(i) : clientHost;
                continue;
            }
            if (name.equalsIgnoreCase(X_FORWARDED_FOR)) {
                forwardedFor = forwardedFor == null ? in.value(i) : forwardedFor + ", " + in.value(i);
                continue;
            }
            if (name.equalsIgnoreCase("TE")) {
                trailers |= acceptsTrailers(in.value(i));
                continue;
            }
            if (name.equalsIgnoreCase("Expect") || name.equalsIgnoreCase(RequestIds.HEADER)
                    || HopByHop.isHopByHop(name, named)
                    || name.indexOf('_') >= 0 && isForwarding(name.replace('_', '-'))) {
                continue;
            }
            if (isForwarding(name)) {
                if (!fromTrusted) {
                    continue;
                }
                keptProto |= name.equalsIgnoreCase(X_FORWARDED_PROTO);
                keptHost |= name.equalsIgnoreCase(X_FORWARDED_HOST);
                keptPort |= name.equalsIgnoreCase(X_FORWARDED_PORT);
            }
            out.add(name, in.value(i));
        }
        out.add("Host", route.preserveHost() && clientHost != null ? clientHost : backend.authority());
        out.add(RequestIds.HEADER, requestId);
        out.add(X_FORWARDED_FOR, forwardedFor == null ? client : forwardedFor + ", " + client);
        if (!keptProto) {
            out.add(X_FORWARDED_PROTO, exchange.scheme());
        }
        if (clientHost != null && !keptHost) {
            out.add(X_FORWARDED_HOST, clientHost);
        }
        if (!keptPort) {
            out.add(X_FORWARDED_PORT, Integer.toString(exchange.localPort()));
        }
        if (route.forwarded()) {
            out.add("Forwarded", forwardedElement(client, exchange.scheme(), clientHost));
        }
        if (route.via()) {
            out.add("Via", viaEntry(exchange.protocol()));
        }
        if (trailers && backend.protocol().http2()) {
            // TE is hop-by-hop; over HTTP/2, where trailers is the only value allowed (RFC 9113 §8.2.2), Junction
            // says it takes them, as it passes them on: gRPC servers ask for it.
            out.add("TE", "trailers");
        }
        if (upgrade != null) {
            out.add("Connection", "upgrade");
            out.add("Upgrade", upgrade);
        }
        return out;
    }

    /** Returns whether a {@code TE} value lists {@code trailers}. */
    private static boolean acceptsTrailers(String te) {
        for (String coding : te.split(",")) {
            int parameters = coding.indexOf(';');
            String name = (parameters < 0 ? coding : coding.substring(0, parameters)).strip();
            if (name.equalsIgnoreCase("trailers")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns whether a header is one a proxy sets to tell a backend about the client or the original request, and so
     * believed only from a trusted proxy ({@code X-Forwarded-For} is appended to, and handled apart).
     */
    private static boolean isForwarding(String name) {
        return name.equalsIgnoreCase(X_FORWARDED_PROTO) || name.equalsIgnoreCase(X_FORWARDED_HOST)
                || name.equalsIgnoreCase(X_FORWARDED_PORT) || name.equalsIgnoreCase("Forwarded")
                || name.equalsIgnoreCase("X-Real-IP") || name.equalsIgnoreCase("X-Forwarded-Prefix")
                || name.equalsIgnoreCase("X-Original-URL") || name.equalsIgnoreCase("X-Rewrite-URL")
                || name.equalsIgnoreCase(X_FORWARDED_FOR);
    }

    /**
     * Makes the backend's response headers the client response's, in place: the hop-by-hop ones removed, a
     * {@code Via} entry added if the route asks for it.
     */
    static Fields toClient(Fields backendHeaders, RouteConfig route) {
        Set<String> named = HopByHop.connectionTokens(backendHeaders);
        for (int i = backendHeaders.size() - 1; i >= 0; i--) {
            if (HopByHop.isHopByHop(backendHeaders.name(i), named)) {
                backendHeaders.removeAt(i);
            }
        }
        if (route.via()) {
            backendHeaders.add("Via", viaEntry("HTTP/1.1"));
        }
        return backendHeaders;
    }

    /**
     * Makes the backend's trailer fields the client's, in place: without the hop-by-hop fields and those a trailer
     * section must not carry (framing, routing: RFC 9110 §6.5.1), which a backend has no business sending there.
     */
    static Fields trailersToClient(Fields trailers) {
        for (int i = trailers.size() - 1; i >= 0; i--) {
            String name = trailers.name(i);
            if (HopByHop.isHopByHop(name, Set.of()) || name.equalsIgnoreCase("Content-Length")
                    || name.equalsIgnoreCase("Host") || name.equalsIgnoreCase("Content-Type")
                    || name.equalsIgnoreCase("Content-Encoding") || name.equalsIgnoreCase("Set-Cookie")) {
                trailers.removeAt(i);
            }
        }
        return trailers;
    }

    /** Returns an RFC 7239 element: {@code for="[2001:db8::1]";proto=https;host=example.com}. */
    static String forwardedElement(String client, String scheme, @Nullable String host) {
        StringBuilder element = new StringBuilder(64).append("for=");
        if (client.indexOf(':') >= 0) {
            element.append("\"[").append(client).append("]\"");
        } else {
            element.append(client);
        }
        element.append(";proto=").append(scheme);
        if (host != null) {
            element.append(";host=").append(quoteIfNeeded(host));
        }
        return element.toString();
    }

    /** Returns the {@code Via} entry for a message received over {@code protocol}: {@code 1.1} for HTTP/1.1. */
    static String viaEntry(String protocol) {
        String version = protocol.startsWith("HTTP/") ? protocol.substring(5) : protocol;
        return version + VIA_PSEUDONYM;
    }

    /** Quotes a value that is not an RFC 7230 token (a host with a port has a colon, which must be quoted). */
    private static String quoteIfNeeded(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' || c == '~')) {
                return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            }
        }
        return value;
    }
}
