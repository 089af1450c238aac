package dev.junction.spring;

import java.util.Enumeration;

import org.jspecify.annotations.Nullable;

import jakarta.servlet.http.HttpServletRequest;

import dev.junction.core.http.Fields;
import dev.junction.core.spi.RequestHead;

/**
 * A servlet request as Junction's routing reads it, for a filter that runs before {@code ProxyFilter} and must know
 * whether Junction will take the request ({@link JunctionFormContentFilter}): its method, its path inside the web
 * application as received, its query, headers and client address, as {@code ProxyFilter} gives them to
 * {@link dev.junction.core.Junction#match}.
 *
 * <p>Used on the thread the container runs the filter on.
 */
final class ServletRequestHead implements RequestHead {

    private final HttpServletRequest request;
    private final String rawPath;
    private @Nullable Fields requestHeaders;

    private ServletRequestHead(HttpServletRequest request, String rawPath) {
        this.request = request;
        this.rawPath = rawPath;
    }

    /** Returns the head of {@code request}, or null if its target is not a path inside the web application. */
    static @Nullable ServletRequestHead of(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        if (uri == null || !uri.startsWith(context)) {
            return null;
        }
        String path = uri.substring(context.length());
        return path.isEmpty() ? new ServletRequestHead(request, "/")
                : path.startsWith("/") ? new ServletRequestHead(request, path) : null;
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
        return request.getQueryString();
    }

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
            // As ProxyFilter reads it: an HTTP/2 request without Host has its authority as one.
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
        String address = request.getRemoteAddr();
        return address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1)
                : address;
    }
}
