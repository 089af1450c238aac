package dev.junction.servlet;

import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import jakarta.servlet.ServletContext;

/** Jetty 12 (ee10) deploying the web application directory, {@code web.xml} and all. */
final class JettyContainer implements Container {

    static final Kind KIND = app -> new JettyContainer(app, false);
    /** Jetty speaking HTTP/2 in clear text (h2c, by upgrade or prior knowledge) besides HTTP/1.1. */
    static final Kind H2C = app -> new JettyContainer(app, true);

    private final Server server;
    private final ServerConnector connector;
    private final WebAppContext webapp;

    private JettyContainer(WebApp app, boolean h2c) {
        server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        // Above Junction's own limit, so the gateway's check (431) is the one a large header section meets.
        http.setRequestHeaderSize(64 * 1024);
        // Jetty refuses encoded separators and dot-segments (%2F, %2e%2e) by default; the suites check that they
        // reach the backend as sent, or are refused by Junction, so Jetty lets them through.
        http.setUriCompliance(UriCompliance.LEGACY);
        connector = h2c ? new ServerConnector(server, new HttpConnectionFactory(http),
                new HTTP2CServerConnectionFactory(http)) : new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        webapp = new WebAppContext();
        webapp.setContextPath("/");
        webapp.setWar(app.root.toString());
        webapp.setParentLoaderPriority(true);
        webapp.setThrowUnavailableOnStartupException(true);
        server.setHandler(webapp);
        try {
            server.start();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("web application did not start: " + e.getMessage(), e);
        }
    }

    @Override
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public ServletContext servletContext() {
        return webapp.getServletContext();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
