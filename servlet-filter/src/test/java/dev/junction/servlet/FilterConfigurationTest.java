package dev.junction.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.junction.core.Junction;
import dev.junction.testkit.StartedServers;
import dev.junction.testkit.TestBackend;

/** The filter's init-params, its start-up checks and its shutdown, in each of the three containers. */
class FilterConfigurationTest {

    @RegisterExtension
    final StartedServers servers = new StartedServers();

    private final HttpClient client = HttpClient.newHttpClient();

    static Stream<Arguments> containers() {
        return Stream.of(Arguments.of("jetty", JettyContainer.KIND), Arguments.of("tomcat", TomcatContainer.KIND),
                Arguments.of("undertow", UndertowContainer.KIND));
    }

    private HttpResponse<String> get(Container container, String target) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + container.port() + target)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void flatKeysInWebXmlMakeOneRoute(String name, Container.Kind kind) throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        TestBackend b = servers.add(TestBackend.start("b"));
        WebApp app = servers.add(WebApp.create(true, Map.of("prefix", "/api", "targets", a.url() + ",\n  " + b.url(),
                "strategy", "round-robin", "timeouts.response", "5s")));
        Container container = servers.add(kind.deploy(app));

        assertThat(get(container, "/api/x").headers().firstValue("X-Backend")).hasValue("a");
        assertThat(get(container, "/api/x").headers().firstValue("X-Backend")).hasValue("b");
        HttpResponse<String> other = get(container, "/elsewhere");
        assertThat(other.body()).isEqualTo("next handler");
        assertThat(a.requests.get() + b.requests.get()).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void aConfigFileIsReadFromTheClassPathAndFromTheFileSystem(String name, Container.Kind kind) throws Exception {
        WebApp fromClasspath = servers.add(WebApp.create(true, Map.of("config", "classpath:junction-classpath.yaml")));
        Container first = servers.add(kind.deploy(fromClasspath));
        HttpResponse<String> refused = get(first, "/cp/x");
        assertThat(refused.statusCode()).isEqualTo(502);
        assertThat(refused.body()).startsWith("route 'from-classpath': ");

        TestBackend backend = servers.add(TestBackend.start("file"));
        Path file = Files.createTempFile("junction", ".yaml");
        Files.writeString(file, "routes:\n  - prefix: /f\n    backends: [" + backend.url() + "]\n");
        servers.add(() -> Files.deleteIfExists(file));
        WebApp fromFile = servers.add(WebApp.create(true, Map.of("config", file.toUri().toString())));
        Container second = servers.add(kind.deploy(fromFile));
        assertThat(get(second, "/f/x").headers().firstValue("X-Backend")).hasValue("file");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void badConfigurationKeepsTheApplicationFromStarting(String name, Container.Kind kind) {
        WebApp app = servers.add(WebApp.create(true, Map.of("prefix", "/api", "targets", "not a url",
                "weights", "x")));
        var failure = assertThatThrownBy(() -> kind.deploy(app)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not start");
        if (!name.equals("tomcat")) {
            // Every problem at once. (Tomcat logs the filter's exception instead of passing it on.)
            failure.hasStackTraceContaining("Invalid Junction configuration (3 problems)")
                    .hasStackTraceContaining("weights[0]: 'x' (expected: an integer)")
                    .hasStackTraceContaining("routes[0].backends[0].url: 'not a url'");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void aFilterDeclaredWithoutAsyncSupportKeepsTheApplicationFromStarting(String name, Container.Kind kind) {
        WebApp app = servers.add(WebApp.create(false, Map.of("prefix", "/api", "targets", "http://127.0.0.1:1")));
        var failure = assertThatThrownBy(() -> kind.deploy(app)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not start");
        if (!name.equals("tomcat")) {
            failure.hasStackTraceContaining("<async-supported>true</async-supported>");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void stoppingTheContainerClosesTheFiltersJunction(String name, Container.Kind kind) throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        WebApp app = servers.add(WebApp.create(true, Map.of("prefix", "/", "targets", backend.url())));
        Container container = kind.deploy(app);
        Junction junction = ProxyFilter.junction(container.servletContext(), "junction");
        assertThat(junction).isNotNull();
        assertThat(get(container, "/x").statusCode()).isEqualTo(200);
        assertThat(junction.isRunning()).isTrue();

        container.close();
        assertThat(junction.isRunning()).isFalse();
    }
}
