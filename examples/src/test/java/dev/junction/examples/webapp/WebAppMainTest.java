package dev.junction.examples.webapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The example web application, its web.xml and all, in embedded Jetty with its demo backends. */
class WebAppMainTest {

    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> get(WebAppMain.Running app, String target) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + target)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theDemoProxiesApiToItsBackendsAndServesTheRestItself() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (WebAppMain.Running app = WebAppMain.start(new String[] {"--port", "0"},
                new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            Set<String> backends = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> proxied = get(app, "/api/hello?x=1");
                assertThat(proxied.statusCode()).isEqualTo(200);
                assertThat(proxied.body()).endsWith(": GET /api/hello?x=1\n");
                backends.add(proxied.headers().firstValue("X-Backend").orElseThrow());
            }
            assertThat(backends).containsExactlyInAnyOrder("a", "b", "c");
            assertThat(get(app, "/").body()).startsWith("This is the web application itself");
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("curl -i http://127.0.0.1:" + app.port()
                    + "/api/hello");
        }
    }

    @Test
    void thePrefixCanBeChangedWithoutTouchingTheApplication() throws Exception {
        try (WebAppMain.Running app = WebAppMain.start(new String[] {"--port", "0", "--prefix", "/"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
            assertThat(get(app, "/anything").headers().firstValue("X-Backend")).isPresent();
        }
    }

    @Test
    void anUnknownOptionIsRefused() {
        assertThatThrownBy(() -> WebAppMain.start(new String[] {"--nope"}, System.out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--nope");
    }
}
