package dev.junction.servlet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.junction.core.http.BodySource;
import dev.junction.core.http.Fields;
import dev.junction.core.http.WriteCallback;
import dev.junction.core.spi.ServerExchange;

/**
 * An asynchronous servlet request as Junction sees it, only translated: {@link ServletBodyReader} reads its body and
 * {@link ServletResponseWriter} writes its response.
 */
final class ServletExchange implements ServerExchange {

    /** Methods whose request content has no generally defined meaning (RFC 9110 §9.3). */
    private static final Set<String> BODYLESS_METHODS = Set.of("GET", "HEAD", "DELETE", "OPTIONS", "TRACE");

    private final ServletHead head;
    private final HttpServletRequest request;
    private final ServletBodyReader body;
    /** Set once the body's reader listens: on the first {@link #requestBody()}, made while the filter runs. */
    private boolean listening;
    private final ServletResponseWriter writer;
    private final ServletUpgrade upgrade;

    ServletExchange(ServletHead head, HttpServletResponse response, AsyncContext async, ServletBodyReader body) {
        this.head = head;
        this.request = head.request();
        this.body = body;
        this.writer = new ServletResponseWriter(request, response, async);
        this.upgrade = new ServletUpgrade(request, response, async);
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String rawPath() {
        return head.rawPath();
    }

    /**
     * The servlet path and path info: the path the container's security constraints and filters judged; null when
     * the container will not resolve it for the servlet API (Jetty, for a path with an encoded slash it accepted).
     */
    @Override
    public @Nullable String authorisedPath() {
        try {
            String servletPath = request.getServletPath();
            String pathInfo = request.getPathInfo();
            String path = pathInfo == null ? servletPath : servletPath + pathInfo;
            return path.isEmpty() ? "/" : path;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * An HTTP/2 request with no Content-Length whose body the container has not seen end with its headers, for a
     * method whose body has a meaning (not GET, HEAD, DELETE, OPTIONS or TRACE, RFC 9110 §9.3: the container may not
     * yet know that such a stream ended with its headers, and sending one on with an empty chunked body would also
     * take the keep-alive race's resend from it).
     */
    @Override
    public boolean hasUnannouncedBody() {
        if (!"HTTP/2.0".equals(request.getProtocol()) || request.getContentLengthLong() >= 0
                || BODYLESS_METHODS.contains(request.getMethod())) {
            return false;
        }
        try {
            return !request.getInputStream().isFinished();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public @Nullable String rawQuery() {
        return head.rawQuery();
    }

    @Override
    public String protocol() {
        return request.getProtocol();
    }

    @Override
    public String scheme() {
        return request.getScheme();
    }

    @Override
    public Fields requestHeaders() {
        return head.requestHeaders();
    }

    @Override
    public String clientAddress() {
        return head.clientAddress();
    }

    @Override
    public int localPort() {
        return request.getLocalPort();
    }

    @Override
    public BodySource requestBody() {
        // Junction asks for the body only when the request has one, and does so while the filter runs, on the
        // container's thread, as setReadListener requires; a request without a body gets no listener, which would
        // cost the container a dispatch only to say that everything is read.
        if (!listening) {
            listening = true;
            body.listen();
        }
        return body.body();
    }

    @Override
    public void writeHead(int status, Fields headers, boolean last, ByteBuffer content, WriteCallback callback) {
        writer.writeHead(status, headers, last, content, callback);
    }

    @Override
    public void write(boolean last, ByteBuffer content, WriteCallback callback) {
        writer.write(last, content, callback);
    }

    /** Sent by the container after the body, on HTTP/2 (Servlet's trailer fields); dropped on HTTP/1.x. */
    @Override
    public void trailers(Fields trailers) {
        writer.trailers(trailers);
    }

    @Override
    public void abort(Throwable cause) {
        writer.end(cause);
    }

    @Override
    public void onClientGone(Consumer<Throwable> listener) {
        writer.onClientGone(listener);
    }

    /** An HTTP/1.1 connection can be handed over ({@link ServletUpgrade}); an HTTP/2 stream cannot. */
    @Override
    public @Nullable Upgrader upgrader() {
        return "HTTP/1.1".equals(request.getProtocol()) ? upgrade : null;
    }
}
