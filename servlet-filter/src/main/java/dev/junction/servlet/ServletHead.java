package dev.junction.servlet;

import java.util.Enumeration;

import org.jspecify.annotations.Nullable;

import jakarta.servlet.http.HttpServletRequest;

import dev.junction.core.http.Fields;
import dev.junction.core.spi.RequestHead;

/**
 * A servlet request as Junction reads it to find its route, before the filter starts anything asynchronous; the
 * {@link ServletExchange} of a request Junction takes reads its headers and address from here. Headers are copied
 * only when first asked for, so a request no route's conditions look into costs nothing more.
 *
 * <p>Used by the thread the container runs the filter on, then by the exchange.
 */
final class ServletHead implements RequestHead {

    private final HttpServletRequest request;
    private final String rawPath;
    private @Nullable Fields requestHeaders;
    private @Nullable String clientAddress;

    ServletHead(HttpServletRequest request, String rawPath) {
        this.request = request;
        this.rawPath = rawPath;
    }

    HttpServletRequest request() {
        return request;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String rawPath() {
        return rawPath;
    }

    @Override
    public @Nullable String rawQuery() {
        // "" for a target that ends in a bare '?', which is forwarded so.
        return request.getQueryString();
    }

    /** The container's header fields; for an HTTP/2 request that has no {@code Host} field, its authority as one. */
    @Override
    public Fields requestHeaders() {
        Fields fields = requestHeaders;
        if (fields == null) {
            fields = new Fields();
            for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
                String name = names.nextElement();
                for (Enumeration<String> values = request.getHeaders(name); values.hasMoreElements(); ) {
                    fields.add(name, values.nextElement());
                }
            }
            if ("HTTP/2.0".equals(request.getProtocol()) && !fields.contains("Host")
                    && request.getServerName() != null) {
                String host = request.getServerName();
                fields.add("Host", (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + request.getServerPort());
            }
            requestHeaders = fields;
        }
        return fields;
    }

    @Override
    public String clientAddress() {
        String address = clientAddress;
        if (address == null) {
            address = literal(request.getRemoteAddr());
            clientAddress = address;
        }
        return address;
    }

    /** Returns an address without the brackets some containers put around IPv6 literals. */
    private static String literal(String address) {
        return address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    }
}
