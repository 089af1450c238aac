package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.junction.core.config.FieldMatch;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.MatchConfig;
import dev.junction.core.config.RouteConfig;

/**
 * Routing beyond a prefix ({@code routes[].match}): hosts exact and wildcard, methods, headers, query parameters and
 * client ranges, ANDed; the most specific route first; a request no route takes passed on untouched.
 */
public abstract class RoutingSuite {

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    @RegisterExtension
    protected final StartedServers servers = new StartedServers();

    private final HttpClient http = HttpClient.newHttpClient();

    private static RouteConfig.Builder route(String name, String prefix, TestBackend backend, MatchConfig match) {
        return RouteConfig.builder().name(name).prefix(prefix).backend(backend.url()).match(match);
    }

    /** Returns the backend that answered a raw request for {@code target} with this {@code Host}. */
    private static String backendFor(Gateway gateway, String host, String target) throws Exception {
        String response = RawHttp.send(gateway.port(),
                "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
        assertThat(RawHttp.status(response)).as(response).isEqualTo(200);
        for (String line : response.split("\r\n")) {
            if (line.regionMatches(true, 0, "X-Backend:", 0, 10)) {
                return line.substring(10).trim();
            }
            if (line.regionMatches(true, 0, "X-Next:", 0, 7)) {
                return "next";
            }
        }
        throw new AssertionError("no X-Backend in " + response);
    }

    private HttpResponse<String> send(Gateway gateway, HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String backendFor(Gateway gateway, HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = send(gateway, request);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.headers().firstValue("X-Backend")
                .orElse(response.headers().firstValue("X-Next").map(next -> "next").orElse("none"));
    }

    @Test
    void anExactHostComesFirstThenTheLongestWildcardThenTheRoutesOfNoHost() throws Exception {
        TestBackend exact = servers.add(TestBackend.start("exact"));
        TestBackend wildcard = servers.add(TestBackend.start("wildcard"));
        TestBackend any = servers.add(TestBackend.start("any"));
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder()
                .route(route("any", "/api", any, MatchConfig.NONE).build())
                .route(route("wildcard", "/", wildcard, MatchConfig.builder().host("*.example.com").build()).build())
                .route(route("exact", "/", exact, MatchConfig.builder().host("api.example.com").build()).build())
                .build()));

        assertThat(backendFor(gateway, "api.example.com", "/api/x")).isEqualTo("exact");
        assertThat(backendFor(gateway, "API.Example.com:" + gateway.port(), "/other")).isEqualTo("exact");
        assertThat(backendFor(gateway, "shop.example.com", "/api/x")).isEqualTo("wildcard");
        assertThat(backendFor(gateway, "example.com", "/api/x")).isEqualTo("any");
        assertThat(backendFor(gateway, "example.com", "/other")).as("no route takes it: passed on").isEqualTo("next");
    }

    @Test
    void conditionsAreAllAskedAndTheRouteAskingMoreIsTriedFirst() throws Exception {
        TestBackend main = servers.add(TestBackend.start("main"));
        TestBackend beta = servers.add(TestBackend.start("beta"));
        TestBackend writes = servers.add(TestBackend.start("writes"));
        TestBackend debug = servers.add(TestBackend.start("debug"));
        TestBackend office = servers.add(TestBackend.start("office"));
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder()
                .route(route("main", "/api", main, MatchConfig.NONE).build())
                .route(route("beta", "/api", beta, MatchConfig.builder().methods(List.of("GET"))
                        .header(FieldMatch.regex("X-Beta", "yes|always")).build()).build())
                .route(route("writes", "/api", writes, MatchConfig.builder().methods(List.of("POST", "PUT")).build())
                        .build())
                .route(route("debug", "/api", debug, MatchConfig.builder().query(FieldMatch.exact("debug", "on now"))
                        .build()).build())
                .route(route("office", "/api", office, MatchConfig.builder().clients(List.of("192.0.2.0/24")).build())
                        .build())
                .build()));

        HttpRequest.Builder get = HttpRequest.newBuilder(gateway.uri("/api/items"));
        assertThat(backendFor(gateway, get.copy())).isEqualTo("main");
        assertThat(backendFor(gateway, get.copy().header("X-Beta", "always"))).isEqualTo("beta");
        assertThat(backendFor(gateway, get.copy().header("X-Beta", "sometimes"))).isEqualTo("main");
        assertThat(backendFor(gateway, get.copy().POST(HttpRequest.BodyPublishers.ofString("x"))
                .header("X-Beta", "yes"))).as("a method beta does not take").isEqualTo("writes");
        assertThat(backendFor(gateway, HttpRequest.newBuilder(gateway.uri("/api/items?a=1&debug=on+now"))))
                .isEqualTo("debug");
        assertThat(backendFor(gateway, HttpRequest.newBuilder(gateway.uri("/api/items?debug=on%20now"))
                .header("X-Beta", "yes"))).as("two conditions before one").isEqualTo("beta");
        assertThat(office.requests.get()).as("the test's client is 127.0.0.1, not in the office's range").isZero();
    }

    @Test
    void aRequestNoRouteTakesIsPassedOnAndAClientRangeTakesWhatItCovers() throws Exception {
        TestBackend local = servers.add(TestBackend.start("local"));
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder()
                .route(route("local", "/api", local, MatchConfig.builder().methods(List.of("GET"))
                        .clients(List.of("127.0.0.0/8", "::1")).build()).build())
                .build()));

        assertThat(backendFor(gateway, HttpRequest.newBuilder(gateway.uri("/api/x")))).isEqualTo("local");
        HttpResponse<String> deleted = send(gateway, HttpRequest.newBuilder(gateway.uri("/api/x")).DELETE());
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(deleted.headers().firstValue("X-Next")).as("passed on, untouched").hasValue("yes");
        assertThat(local.requests.get()).isEqualTo(1);
    }
}
