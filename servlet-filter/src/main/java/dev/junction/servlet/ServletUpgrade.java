package dev.junction.servlet;

import java.util.function.Consumer;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.junction.core.http.Fields;
import dev.junction.core.spi.ServerExchange;
import dev.junction.core.spi.TunnelEnd;

/**
 * The client's side of a WebSocket the backend accepted: the {@code 101} with the backend's headers, then the
 * connection handed over. In Tomcat and Undertow through the Servlet API ({@code HttpServletRequest.upgrade}, then
 * completing the asynchronous request: the container writes the {@code 101} and calls {@link ServletTunnel#init});
 * in Jetty through {@link JettyUpgrade}.
 */
final class ServletUpgrade implements ServerExchange.Upgrader {

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final AsyncContext async;

    ServletUpgrade(HttpServletRequest request, HttpServletResponse response, AsyncContext async) {
        this.request = request;
        this.response = response;
        this.async = async;
    }

    @Override
    public void upgrade(Fields headers, Consumer<TunnelEnd> upgraded, Consumer<Throwable> failed) {
        try {
            if (isJettys(request)) {
                JettyUpgrade.upgrade(request, response, async, headers, upgraded);
                return;
            }
            head(response, headers);
            ServletTunnel tunnel = request.upgrade(ServletTunnel.class);
            tunnel.whenUpgraded(upgraded);
            async.complete();
        } catch (Exception | LinkageError e) {
            failed.accept(e);
        }
    }

    /**
     * Returns whether {@code request} is one of Jetty 12's (ee10) servlet requests, by its class's name: no Jetty class
     * is loaded in another container.
     */
    private static boolean isJettys(HttpServletRequest request) {
        return request.getClass().getName().startsWith("org.eclipse.jetty.ee10.");
    }

    /** Sets the {@code 101} and the backend's headers. */
    static void head(HttpServletResponse response, Fields headers) {
        response.setStatus(HttpServletResponse.SC_SWITCHING_PROTOCOLS);
        for (int i = 0; i < headers.size(); i++) {
            response.addHeader(headers.name(i), headers.value(i));
        }
        response.setHeader("Connection", "Upgrade");
    }
}
