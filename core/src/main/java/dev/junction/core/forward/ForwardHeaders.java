package dev.junction.core.forward;

import java.util.Set;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.jspecify.annotations.Nullable;

import dev.junction.core.config.RouteConfig;
import dev.junction.core.pool.Backend;

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
     * Writes the headers of the backend request into {@code out}: the client's headers in order without the
     * hop-by-hop ones, {@code Host} and {@code Expect} (this proxy answers {@code 100 Continue} itself, as nginx does);
     * the client address appended to {@code X-Forwarded-For}; {@code X-Forwarded-Proto}, {@code -Host} and
     * {@code -Port} set to what the client used (replacing any a client sent, which could be forged); then, as the
     * route asks, an RFC 7239 {@code Forwarded} element and a {@code Via} entry.
     */
    static void toBackend(ServerExchange exchange, RouteConfig route, Backend backend, HttpFields.Mutable out) {
        HttpFields in = exchange.requestHeaders();
        Set<String> named = HopByHop.connectionTokens(in);
        String clientHost = null;
        String forwardedFor = null;
        for (int i = 0; i < in.size(); i++) {
            HttpField field = in.getField(i);
            HttpHeader header = field.getHeader();
            if (header == HttpHeader.HOST) {
                clientHost = clientHost == null ? field.getValue() : clientHost;
                continue;
            }
            if (header == HttpHeader.X_FORWARDED_FOR) {
                forwardedFor = forwardedFor == null ? field.getValue() : forwardedFor + ", " + field.getValue();
                continue;
            }
            if (header == HttpHeader.EXPECT || header == HttpHeader.X_FORWARDED_PROTO
                    || header == HttpHeader.X_FORWARDED_HOST || header == HttpHeader.X_FORWARDED_PORT
                    || HopByHop.isHopByHop(field, named)) {
                continue;
            }
            out.add(field);
        }
        String client = exchange.clientAddress();
        out.put(HttpHeader.HOST, route.preserveHost() && clientHost != null ? clientHost : backend.authority());
        out.add(X_FORWARDED_FOR, forwardedFor == null ? client : forwardedFor + ", " + client);
        out.add(X_FORWARDED_PROTO, exchange.scheme());
        if (clientHost != null) {
            out.add(X_FORWARDED_HOST, clientHost);
        }
        out.add(X_FORWARDED_PORT, exchange.localPort());
        if (route.forwarded()) {
            out.add(HttpHeader.FORWARDED, forwardedElement(client, exchange.scheme(), clientHost));
        }
        if (route.via()) {
            out.add(HttpHeader.VIA, viaEntry(exchange.protocol()));
        }
    }

    /**
     * Returns the headers of the client response: the backend's in order without the hop-by-hop ones, plus a
     * {@code Via} entry if the route asks for it.
     */
    static HttpFields toClient(HttpFields backendHeaders, RouteConfig route) {
        Set<String> named = HopByHop.connectionTokens(backendHeaders);
        HttpFields.Mutable out = HttpFields.build(backendHeaders.size() + 1);
        for (int i = 0; i < backendHeaders.size(); i++) {
            HttpField field = backendHeaders.getField(i);
            if (!HopByHop.isHopByHop(field, named)) {
                out.add(field);
            }
        }
        if (route.via()) {
            out.add(HttpHeader.VIA, viaEntry("HTTP/1.1"));
        }
        return out;
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

    /** Returns the {@code Via} entry for a message received over {@code protocol} ({@code HTTP/1.1} → {@code 1.1}). */
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
