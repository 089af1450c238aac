package dev.junction.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import jakarta.servlet.DispatcherType;

import dev.junction.core.Junction;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.testkit.StartedServers;
import dev.junction.testkit.TestBackend;

/** The filter registered in code over a Junction its owner starts and stops. */
class ProgrammaticRegistrationTest {

    @RegisterExtension
    final StartedServers servers = new StartedServers();

    private final HttpClient client = HttpClient.newHttpClient();

    private int serve(ProxyFilter filter, boolean asyncSupported) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        FilterHolder holder = new FilterHolder(filter);
        holder.setName("junction");
        holder.setAsyncSupported(asyncSupported);
        context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new NextServlet()), "/");
        server.setHandler(context);
        server.start();
        servers.add(server::stop);
        return connector.getLocalPort();
    }

    private Junction junction(TestBackend backend) {
        Junction junction = Junction.create(JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/api").backend(backend.url()).build())
                .build()).start();
        servers.add(junction);
        return junction;
    }

    private HttpResponse<String> get(int port, String target) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aFilterGivenAJunctionProxiesWithItAndLeavesItRunning() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        Junction junction = junction(backend);
        ProxyFilter filter = new ProxyFilter(junction);
        int port = serve(filter, true);

        assertThat(get(port, "/api/x").headers().firstValue("X-Backend")).hasValue("a");
        assertThat(get(port, "/other").body()).isEqualTo("next handler");
        filter.destroy();
        assertThat(junction.isRunning()).isTrue();
    }

    @Test
    void aChainWithoutAsyncSupportIsToldOnTheFirstProxiedRequest() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        int port = serve(new ProxyFilter(junction(backend)), false);

        HttpResponse<String> response = get(port, "/api/x");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("<async-supported>true</async-supported>")
                .contains("setAsyncSupported(true)");
        assertThat(backend.requests).hasValue(0);
        assertThat(get(port, "/other").body()).isEqualTo("next handler");
    }
}
