package dev.junction.benchmarks.e2e;

import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.ee10.proxy.AsyncProxyServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Jetty's own reverse proxy, the peer the servlet filter is measured against: Jetty 12 ee10 {@code
 * AsyncProxyServlet}, round-robin over the backends in {@code rewriteTarget}.
 *
 * <pre>java -cp ... dev.junction.benchmarks.e2e.JettyPeer 8184 127.0.0.1:9201,127.0.0.1:9202</pre>
 */
public final class JettyPeer {

    private JettyPeer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String[] backends = args[1].split(",");
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new RoundRobinProxy(backends)), "/*");
        server.setHandler(context);
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
            } catch (Exception e) {
                Thread.currentThread().interrupt();
            }
        }));
        server.join();
    }

    /** {@code AsyncProxyServlet} sending each request to the next backend in turn. */
    private static final class RoundRobinProxy extends AsyncProxyServlet {

        private static final long serialVersionUID = 1L;
        private final String[] backends;
        private final AtomicInteger next = new AtomicInteger();

        RoundRobinProxy(String[] backends) {
            this.backends = backends;
        }

        @Override
        protected String rewriteTarget(HttpServletRequest request) {
            String backend = backends[Math.floorMod(next.getAndIncrement(), backends.length)].trim();
            String query = request.getQueryString();
            return "http://" + backend + request.getRequestURI() + (query == null ? "" : "?" + query);
        }
    }
}
