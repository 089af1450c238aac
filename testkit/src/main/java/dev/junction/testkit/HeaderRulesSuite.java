package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.HeaderRulesConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;

/**
 * Header rules ({@code routes[].requestHeaders}, {@code routes[].responseHeaders}): removed, set and added in that
 * order, with variables; Junction's own answers left alone.
 */
public abstract class HeaderRulesSuite {

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    @RegisterExtension
    protected final StartedServers servers = new StartedServers();

    private final HttpClient http = HttpClient.newHttpClient();

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private HttpResponse<String> get(Gateway gateway, String target, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(target)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Returns the values of one request header as the backend's echo lists them, in order. */
    private static List<String> echoed(String body, String name) {
        return body.lines().filter(line -> line.regionMatches(true, 0, name + ": ", 0, name.length() + 2))
                .map(line -> line.substring(name.length() + 2)).toList();
    }

    @Test
    void requestHeadersAreRemovedSetAndAddedWithTheirVariables() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder().route(RouteConfig.builder()
                .name("api").prefix("/api").backend(BackendConfig.builder().url(backend.url()).id("blue-1").build())
                .requestHeaders(new HeaderRulesConfig(
                        ordered("X-Env", "prod", "X-Real-IP", "${client}", "X-Price", "$$5"),
                        ordered("X-Trace", "${route}/${backend}/${requestId}"),
                        List.of("X-Debug", "Cookie")))
                .build()).build()));

        HttpResponse<String> response = get(gateway, "/api/echo", "X-Env", "dev", "X-Env", "test", "X-Debug", "1",
                "Cookie", "session=secret", "X-Trace", "client's", "X-Request-Id", "req-42");
        assertThat(response.statusCode()).isEqualTo(200);
        String echo = response.body();
        assertThat(echoed(echo, "X-Env")).as("set replaces every value").containsExactly("prod");
        assertThat(echoed(echo, "X-Real-IP")).containsExactly("127.0.0.1");
        assertThat(echoed(echo, "X-Price")).containsExactly("$5");
        assertThat(echoed(echo, "X-Debug")).isEmpty();
        assertThat(echoed(echo, "Cookie")).isEmpty();
        assertThat(echoed(echo, "X-Trace")).as("added after the client's").containsExactly("client's",
                "api/blue-1/req-42");
        assertThat(echoed(echo, "X-Forwarded-For")).as("forwarding headers stay Junction's")
                .containsExactly("127.0.0.1");
    }

    @Test
    void responseHeadersAreEditedOnBackendsAnswersButNotOnJunctionsOwn() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/api").stripPrefix(true)
                        .backend(BackendConfig.builder().url(backend.url()).id("blue-1").build())
                        .responseHeaders(new HeaderRulesConfig(
                                ordered("Strict-Transport-Security", "max-age=63072000", "X-Backend", "hidden"),
                                ordered("X-Served-By", "${backend} for ${route}"), List.of("Set-Cookie")))
                        .build())
                .route(RouteConfig.builder().name("down").prefix("/down").backend("http://127.0.0.1:1")
                        .responseHeaders(new HeaderRulesConfig(ordered("X-Edited", "yes"), Map.of(), List.of()))
                        .build())
                .build()));

        HttpResponse<String> cookies = get(gateway, "/api/cookies");
        assertThat(cookies.statusCode()).isEqualTo(200);
        assertThat(cookies.body()).isEqualTo("cookies");
        assertThat(cookies.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(cookies.headers().allValues("Strict-Transport-Security")).containsExactly("max-age=63072000");
        assertThat(cookies.headers().allValues("X-Backend")).containsExactly("hidden");
        assertThat(cookies.headers().allValues("X-Served-By")).containsExactly("blue-1 for api");
        assertThat(cookies.headers().firstValue("X-Request-Id")).isPresent();

        HttpResponse<String> refused = get(gateway, "/down/x");
        assertThat(refused.statusCode()).isEqualTo(502);
        assertThat(refused.headers().firstValue("X-Edited")).as("Junction's own answer").isEmpty();
    }
}
