package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.junction.core.config.AdminConfig;
import dev.junction.core.config.BreakerConfig;
import dev.junction.core.config.HealthCheckConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Availability;

/**
 * The admin endpoint as an operator meets it: off unless enabled, then the status as JSON and checks on demand,
 * only with the token when one is set, and ahead of every route.
 */
public abstract class AdminSuite {

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    private static final String TOKEN = "s3cret-admin-token-0";

    @RegisterExtension
    final StartedServers servers = new StartedServers();

    private final HttpClient client = HttpClient.newHttpClient();

    private Gateway gateway(TestBackend backend, AdminConfig admin) {
        return servers.add(startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().name("all").prefix("/").backend(backend.url())
                        .healthCheck(HealthCheckConfig.builder().path("/health").interval(Duration.ofMinutes(1))
                                .build())
                        .build())
                .admin(admin)
                .build()));
    }

    private HttpResponse<String> send(Gateway gateway, String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void isOffUnlessEnabled() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        Gateway gateway = gateway(backend, AdminConfig.DISABLED);
        HttpResponse<String> response = send(gateway, "GET", "/_junction", null);
        assertThat(backend.requests).as("an ordinary path, proxied by the route on /").hasValue(1);
        assertThat(response.body()).doesNotContain("\"routes\"");
    }

    @Test
    void servesTheStatusAndRunsChecksOnlyWithTheToken() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        Gateway gateway = gateway(backend, AdminConfig.at("/_junction").withToken(TOKEN));

        HttpResponse<String> anonymous = send(gateway, "GET", "/_junction", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"junction-admin\"");
        assertThat(send(gateway, "GET", "/_junction", "wrong").statusCode()).isEqualTo(401);
        assertThat(send(gateway, "POST", "/_junction/checks", "wrong").statusCode()).isEqualTo(401);
        assertThat(backend.requests).as("admin requests never reach a backend").hasValue(0);

        HttpResponse<String> status = send(gateway, "GET", "/_junction?pretty", TOKEN);
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(status.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode route = new ObjectMapper().readTree(status.body()).get("routes").get(0);
        assertThat(route.get("name").asText()).isEqualTo("all");
        assertThat(route.get("backends").get(0).get("reason").asText()).isEqualTo("AVAILABLE");

        int checks = backend.healthChecks.get();
        HttpResponse<String> checked = send(gateway, "POST", "/_junction/checks", TOKEN);
        assertThat(checked.statusCode()).isEqualTo(200);
        assertThat(backend.healthChecks.get()).as("the check ran before the answer").isEqualTo(checks + 1);
        assertThat(new ObjectMapper().readTree(checked.body()).get("routes").get(0).get("backends").get(0)
                .get("consecutiveCheckSuccesses").asInt()).isEqualTo(2);
    }

    @Test
    void servesTheStatusPageToABrowserWithoutTheTokenAndItsDataOnlyWithIt() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        Gateway gateway = gateway(backend, AdminConfig.at("/_junction").withToken(TOKEN));
        String browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

        HttpResponse<String> moved = read(gateway, "/_junction", browser, null);
        assertThat(moved.statusCode()).isEqualTo(302);
        assertThat(moved.headers().firstValue("Location")).as("relative: the filter's context path stays before it")
                .hasValue("./_junction/");
        HttpResponse<String> page = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
                .send(HttpRequest.newBuilder(gateway.uri("/_junction")).header("Accept", browser).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.uri().getPath()).isEqualTo("/_junction/");
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.body()).contains("data-token=\"required\"", "src=\"assets/status.js\"")
                .as("the page holds no data").doesNotContain("\"backends\"", "\"name\"");
        assertThat(read(gateway, "/_junction/", browser, null).body()).isEqualTo(page.body());

        HttpResponse<String> script = read(gateway, "/_junction/assets/status.js", "*/*", null);
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript;charset=utf-8");
        assertThat(script.body()).contains("'status'");
        assertThat(read(gateway, "/_junction/assets/status.css", "text/css", null).headers()
                .firstValue("Content-Type")).hasValue("text/css;charset=utf-8");
        assertThat(read(gateway, "/_junction/assets/other.js", "*/*", TOKEN).statusCode()).isEqualTo(404);

        // What the page reads needs the token; a program asking for anything but HTML still gets JSON.
        assertThat(read(gateway, "/_junction/status", "application/json", null).statusCode()).isEqualTo(401);
        assertThat(read(gateway, "/_junction", "*/*", null).statusCode()).isEqualTo(401);
        assertThat(read(gateway, "/_junction", "application/json, text/html;q=0.5", TOKEN).headers()
                .firstValue("Content-Type")).hasValue("application/json");
        assertThat(backend.requests).as("admin requests never reach a backend").hasValue(0);
    }

    @Test
    void theStatusAddsUpEachRoutesRequestsErrorsAndTime() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        Gateway gateway = gateway(backend, AdminConfig.at("/_junction"));
        for (String path : List.of("/one", "/two", "/status/503", "/status/404")) {
            send(gateway, "GET", path, null);
        }

        // The totals are counted once the exchanges have ended, which can follow the client's reading of them.
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
            JsonNode route = new ObjectMapper().readTree(send(gateway, "GET", "/_junction/status", null).body())
                    .get("routes").get(0);
            assertThat(route.get("requests").asLong()).isEqualTo(4);
            assertThat(route.get("errors").asLong()).as("the 503, not the 404").isEqualTo(1);
            assertThat(route.get("totalTimeMillis").asDouble()).isPositive();
        });
    }

    private HttpResponse<String> read(Gateway gateway, String path, String accept, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(10))
                .header("Accept", accept);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutATokenItRefusesWhatABrowserOnAnotherSiteCouldSend() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        Gateway gateway = gateway(backend, AdminConfig.at("/_junction").withAllowedHosts(List.of("ops.internal")));
        int port = gateway.port();

        // DNS rebinding: the page's host now resolves to the gateway, and the browser names it.
        String rebound = get(port, "evil.example:" + port);
        assertThat(RawHttp.status(rebound)).isEqualTo(403);
        assertThat(rebound).contains("not 'evil.example:" + port + "'");
        assertThat(RawHttp.status(get(port, "ops.internal"))).isEqualTo(200);
        assertThat(RawHttp.status(get(port, "localhost:" + port))).isEqualTo(200);
        assertThat(RawHttp.status(get(port, "127.0.0.1:" + port))).isEqualTo(200);

        // A form posted from another site says so, in Sec-Fetch-Site or in Origin.
        assertThat(RawHttp.status(postChecks(port, "Sec-Fetch-Site: cross-site\r\n"))).isEqualTo(403);
        assertThat(RawHttp.status(postChecks(port, "Sec-Fetch-Site: same-site\r\n"))).isEqualTo(403);
        assertThat(RawHttp.status(postChecks(port, "Origin: http://evil.example\r\n"))).isEqualTo(403);
        assertThat(RawHttp.status(postChecks(port, "Origin: null\r\n"))).isEqualTo(403);
        assertThat(RawHttp.status(postChecks(port, "Sec-Fetch-Site: same-origin\r\n"))).isEqualTo(200);
        assertThat(RawHttp.status(postChecks(port, "Origin: http://127.0.0.1:" + port + "\r\n"))).isEqualTo(200);
        assertThat(RawHttp.status(postChecks(port, ""))).as("a tool such as curl sends neither").isEqualTo(200);
        assertThat(backend.requests).hasValue(0);
    }

    private static String get(int port, String host) throws Exception {
        return RawHttp.send(port, "GET /_junction HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    }

    private static String postChecks(int port, String fields) throws Exception {
        return RawHttp.send(port, "POST /_junction/checks HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + fields
                + "Content-Length: 0\r\nConnection: close\r\n\r\n");
    }

    @Test
    void theProbesAnswerWithoutATokenAndSayWhyNotReady() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        TestBackend b = servers.add(TestBackend.start("b"));
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().name("orders").prefix("/orders").backend(a.url()).build())
                .route(RouteConfig.builder().name("reports").prefix("/reports").backend(b.url()).build())
                .admin(AdminConfig.at("/_junction").withToken(TOKEN))
                .build()));

        HttpResponse<String> live = send(gateway, "GET", "/_junction/live", null);
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("{\"live\":true}\n");
        assertThat(send(gateway, "GET", "/_junction/ready", null).body()).isEqualTo("{\"ready\":true}\n");

        BackendPool pool = gateway.junction().route("reports").pool();
        pool.availability(pool.all().get(0).id(), Availability.UNHEALTHY);
        HttpResponse<String> ready = send(gateway, "GET", "/_junction/ready", null);
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).isEqualTo(
                "{\"ready\":false,\"reasons\":[\"route 'reports': no backend takes requests\"]}\n");
        assertThat(send(gateway, "GET", "/_junction/live", null).statusCode()).isEqualTo(200);
        assertThat(send(gateway, "POST", "/_junction/ready", null).statusCode()).isEqualTo(405);
        assertThat(send(gateway, "GET", "/_junction", null).statusCode()).as("the rest still needs the token")
                .isEqualTo(401);
    }

    @Test
    void readinessWaitsOnlyForTheRoutesNamedAndEndsWhenJunctionStops() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        TestBackend b = servers.add(TestBackend.start("b"));
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().name("orders").prefix("/orders").stripPrefix(true).backend(a.url())
                        .build())
                .route(RouteConfig.builder().name("reports").prefix("/reports").backend(b.url()).build())
                .admin(AdminConfig.at("/_junction").withReadyRoutes(List.of("orders")))
                .build()));
        BackendPool pool = gateway.junction().route("reports").pool();
        pool.availability(pool.all().get(0).id(), Availability.UNHEALTHY);
        assertThat(send(gateway, "GET", "/_junction/ready", null).statusCode()).isEqualTo(200);

        // An exchange in flight keeps Junction draining while it stops: it is no longer ready, but still live.
        CompletableFuture<HttpResponse<String>> slow = client.sendAsync(HttpRequest.newBuilder(
                gateway.uri("/orders/slow?ms=1500")).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.junction().inFlight() == 1);
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(gateway::closeJunction);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            HttpResponse<String> ready = send(gateway, "GET", "/_junction/ready", null);
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("draining");
        });
        assertThat(slow.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        stopping.get(10, TimeUnit.SECONDS);
    }

    @Test
    void answersWrongMethodsAndUnknownResourcesClearly() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        Gateway gateway = gateway(backend, AdminConfig.at("/ops/junction"));

        assertThat(send(gateway, "GET", "/ops/junction/status", null).statusCode()).isEqualTo(200);
        HttpResponse<String> get = send(gateway, "GET", "/ops/junction/checks", null);
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        HttpResponse<String> delete = send(gateway, "DELETE", "/ops/junction", null);
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(delete.headers().firstValue("Allow")).hasValue("GET, HEAD");
        HttpResponse<String> unknown = send(gateway, "GET", "/ops/junction/nope", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("no admin resource at /ops/junction/nope");
        assertThat(backend.requests).hasValue(0);

        send(gateway, "GET", "/ops/junctionx", null);
        assertThat(backend.requests).as("only the path's own segments are the endpoint's").hasValue(1);
    }

    @Test
    void holdsABackendsBreakerOpenAndHandsItBack() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().name("all").prefix("/").backend(backend.url())
                        .circuitBreaker(BreakerConfig.builder().build()).build())
                .admin(AdminConfig.at("/_junction").withToken(TOKEN))
                .build()));
        String breaker = "/_junction/breakers/all/" + gateway.junction().routes().get(0).pool().all().get(0).id();
        ObjectMapper json = new ObjectMapper();

        JsonNode closed = json.readTree(send(gateway, "GET", breaker, TOKEN).body());
        assertThat(closed.get("state").asText()).isEqualTo("CLOSED");
        assertThat(closed.get("mode").asText()).isEqualTo("AUTOMATIC");

        JsonNode open = json.readTree(send(gateway, "POST", breaker + "?mode=open", TOKEN).body());
        assertThat(open.get("state").asText()).isEqualTo("OPEN");
        assertThat(open.get("mode").asText()).isEqualTo("FORCED_OPEN");
        assertThat(send(gateway, "GET", "/x", null).statusCode()).as("the route's fallback").isEqualTo(503);
        assertThat(backend.requests).hasValue(0);

        HttpResponse<String> wrong = send(gateway, "POST", breaker + "?mode=ajar", TOKEN);
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("mode: 'ajar' (expected: ?mode=open, closed or automatic)");
        assertThat(send(gateway, "POST", breaker + "?mode=closed", null).statusCode()).isEqualTo(401);

        JsonNode automatic = json.readTree(send(gateway, "POST", breaker + "?mode=automatic", TOKEN).body());
        assertThat(automatic.get("state").asText()).isEqualTo("CLOSED");
        assertThat(send(gateway, "GET", "/x", null).statusCode()).isEqualTo(200);

        HttpResponse<String> unknown = send(gateway, "GET", "/_junction/breakers/all/nope", TOKEN);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("route 'all' has no backend 'nope'");
    }
}
