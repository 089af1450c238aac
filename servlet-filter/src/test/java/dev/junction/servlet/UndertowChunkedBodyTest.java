package dev.junction.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.api.FilterInfo;
import io.undertow.servlet.util.ImmediateInstanceFactory;

import jakarta.servlet.DispatcherType;

import dev.junction.core.Junction;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.testkit.RawHttp;
import dev.junction.testkit.StartedServers;
import dev.junction.testkit.TestBackend;

/**
 * Chunked request bodies in Undertow's servlet container, which the filter decodes with Junction's strict decoder
 * ({@link UndertowChunkedBody}) instead of the container's: the container's own body limit still holds, and a body
 * is forwarded whole across any split of its framing.
 */
class UndertowChunkedBodyTest {

    private static final long LIMIT = 1024;
    private static final String HELLO_DIGEST = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824 5";

    @RegisterExtension
    final StartedServers servers = new StartedServers();

    /** The filter in front of NextServlet in Undertow, whose bodies may not exceed {@link #LIMIT} bytes. */
    private int serve(TestBackend backend) throws Exception {
        Junction junction = Junction.create(JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/api").stripPrefix(true).backend(backend.url())
                        .build())
                .build()).start();
        servers.add(junction);
        DeploymentInfo deployment = Servlets.deployment()
                .setClassLoader(getClass().getClassLoader())
                .setContextPath("/")
                .setDeploymentName("chunked")
                .addFilter(new FilterInfo("junction", ProxyFilter.class,
                        new ImmediateInstanceFactory<>(new ProxyFilter(junction))).setAsyncSupported(true))
                .addFilterUrlMapping("junction", "/*", DispatcherType.REQUEST)
                .addServlet(Servlets.servlet("next", NextServlet.class).setAsyncSupported(true).addMapping("/"));
        DeploymentManager manager = Servlets.defaultContainer().addDeployment(deployment);
        manager.deploy();
        Undertow server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, LIMIT)
                .setHandler(manager.start())
                .build();
        server.start();
        servers.add(() -> {
            server.stop();
            manager.undeploy();
        });
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    private static String chunked(int bytes) {
        StringBuilder body = new StringBuilder();
        for (int sent = 0; sent < bytes; sent += 100) {
            body.append("64\r\n").append("x".repeat(100)).append("\r\n");
        }
        return body.append("0\r\n\r\n").toString();
    }

    @Test
    void aChunkedBodyOverTheContainersLimitIsRefusedAsOneWithContentLengthIs() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        int port = serve(backend);
        String over = "x".repeat(2000);

        String withLength = RawHttp.send(port, "POST /api/upload HTTP/1.1\r\nHost: x\r\nContent-Length: 2000\r\n"
                + "Connection: close\r\n\r\n" + over);
        String withChunks = RawHttp.send(port, "POST /api/upload HTTP/1.1\r\nHost: x\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunked(2000));

        assertThat(RawHttp.status(withLength)).as(withLength).isEqualTo(413);
        assertThat(RawHttp.status(withChunks)).as(withChunks).isEqualTo(413);
        assertThat(withChunks).contains("request body over 1024 bytes");
    }

    @Test
    void aChunkedBodyUnderTheLimitIsForwardedWholeHoweverItsFramingIsSplit() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        int port = serve(backend);

        String whole = RawHttp.send(port, "POST /api/upload HTTP/1.1\r\nHost: x\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunked(1000));
        assertThat(RawHttp.status(whole)).as(whole).isEqualTo(200);
        assertThat(whole).endsWith(" 1000");

        // One byte per write, so the decoder meets its framing cut at every place.
        String hello;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            byte[] body = "1\r\nh\r\n4;ext=\"a b\"\r\nello\r\n0\r\nX-T: 1\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1);
            for (byte b : body) {
                out.write(b);
                out.flush();
            }
            hello = RawHttp.readAll(socket.getInputStream());
        }
        assertThat(hello).as(hello).contains(HELLO_DIGEST);
    }
}
