package dev.junction.servlet;

import java.util.function.Consumer;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.HttpStream;

import dev.junction.core.http.Fields;
import dev.junction.core.spi.TunnelEnd;
import dev.junction.core.transport.JettyTunnelEnd;

/**
 * The upgrade in Jetty's container, through Jetty's own connection upgrade rather than the Servlet API's: Jetty 12's
 * {@code HttpServletRequest.upgrade} hands the upgraded connection's input its end at once, so what the client sends
 * after the {@code 101} would be read as a new HTTP request. Instead, the request names the connection to take over
 * the end point ({@link HttpStream#UPGRADE_CONNECTION_ATTRIBUTE}), as Jetty's WebSocket support does; once the
 * {@code 101} is written, Jetty upgrades the end point to it, with the bytes the client sent early. The one class of
 * the filter that names Jetty's server types (provided, optional), loaded only for Jetty's requests.
 */
final class JettyUpgrade {

    private JettyUpgrade() {
    }

    /** Answers {@code 101} with {@code headers} and hands the client's connection to {@code upgraded}. */
    static void upgrade(HttpServletRequest request, HttpServletResponse response, AsyncContext async, Fields headers,
            Consumer<TunnelEnd> upgraded) {
        ServletContextRequest core = ServletContextRequest.getServletContextRequest(request);
        ConnectionMetaData connection = core.getConnectionMetaData();
        EndPoint endPoint = connection.getConnection().getEndPoint();
        JettyTunnelEnd end = new JettyTunnelEnd(endPoint, connection.getConnector().getExecutor(),
                connection.getConnector().getByteBufferPool(), upgraded);
        core.setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, end);
        ServletUpgrade.head(response, headers);
        async.complete();
    }
}
