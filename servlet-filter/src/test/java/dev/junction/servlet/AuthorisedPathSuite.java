package dev.junction.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.RawHttp;
import dev.junction.testkit.StartedServers;
import dev.junction.testkit.TestBackend;

/**
 * The filter forwards only what the container authorised: the web application denies everything under
 * {@code /private} with a security constraint, and no spelling of a path (empty segments, dot-segments, escapes,
 * parameters) lets a request the container judged as another path reach the backend as {@code /private}.
 */
abstract class AuthorisedPathSuite {

    /** Returns the container under test. */
    abstract Container.Kind kind();

    @RegisterExtension
    final StartedServers servers = new StartedServers();

    @Test
    void noSpellingOfAPathReachesTheBackendAsOneTheContainerDidNotAuthorise() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        Gateway gateway = servers.add(ServletGateway.start(kind(), JunctionConfig.builder()
                .route(RouteConfig.builder().name("all").prefix("/").backend(backend.url()).build())
                .build()));

        for (String target : new String[] {"/private/x", "/private//../x", "/private/a//../../x",
            "/%70rivate/x", "/private;p=1/x", "/x/..;/private/y", "/x//..//private/y", "/private/.%2e/x"}) {
            String response = RawHttp.send(gateway.port(), "GET " + target + " HTTP/1.1\r\nHost: x\r\n"
                    + "Connection: close\r\n\r\n");
            // The container's 403 (or its own 400), or Junction's 400: never the backend's answer.
            assertThat(RawHttp.status(response)).as(target + "\n" + response).isIn(400, 403, 404);
            assertThat(response).as(target).doesNotContain("X-Backend");
        }
        assertThat(backend.requests).hasValue(0);

        String allowed = RawHttp.send(gateway.port(), "GET /public/a%20b;v=1 HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(allowed).startsWith("HTTP/1.1 200").contains("target: /public/a%20b;v=1\n");
    }

    @Test
    void aRequestIsRoutedOnlyWhereTheContainerSawItsPath() throws Exception {
        TestBackend api = servers.add(TestBackend.start("api"));
        TestBackend other = servers.add(TestBackend.start("other"));
        Gateway gateway = servers.add(ServletGateway.start(kind(), JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/api").backend(api.url()).build())
                .route(RouteConfig.builder().name("other").prefix("/").backend(other.url()).build())
                .build()));

        // The container reads /api/x; Junction's raw prefix match would take it to "other".
        String response = RawHttp.send(gateway.port(), "GET /%61pi/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(RawHttp.status(response)).as(response).isEqualTo(400);
        assertThat(response).contains("under another route");
        assertThat(other.requests).hasValue(0);
        assertThat(api.requests).hasValue(0);
        assertThat(RawHttp.send(gateway.port(), "GET /api/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .contains("backend: api");
    }
}
