package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.junction.core.Route;
import dev.junction.core.config.AdminConfig;
import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.ClientConfig;
import dev.junction.core.config.HeaderRulesConfig;
import dev.junction.core.config.HealthCheckConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.config.TimeoutConfig;
import dev.junction.core.status.BackendStatus;

/**
 * Reloading the configuration without a restart (the admin endpoint's {@code POST <admin>/reload}): the difference is
 * applied in place, backends that stay keep their state, removed ones finish what they have, requests in flight and
 * arriving meanwhile see no error, and an invalid file is refused while the configuration running keeps serving.
 */
public abstract class ReloadSuite {

    private static final String TOKEN = "reload-suite-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Starts the adapter over the YAML configuration in {@code file}, which it reads again when told to reload; the
     * suite stops it.
     */
    protected abstract Gateway startGateway(Path file);

    @RegisterExtension
    protected final StartedServers servers = new StartedServers();

    @TempDir
    Path directory;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Path file() {
        return directory.resolve("junction.yaml");
    }

    private Gateway start(JunctionConfig config) throws Exception {
        Files.writeString(file(), ConfigYaml.write(config));
        return servers.add(startGateway(file()));
    }

    private static JunctionConfig config(RouteConfig... routes) {
        JunctionConfig.Builder config = JunctionConfig.builder().admin(AdminConfig.at("/_junction").withToken(TOKEN));
        for (RouteConfig route : routes) {
            config.route(route);
        }
        return config.build();
    }

    private static RouteConfig.Builder route(String name, String prefix, TestBackend... backends) {
        RouteConfig.Builder route = RouteConfig.builder().name(name).prefix(prefix);
        for (TestBackend backend : backends) {
            route.backend(BackendConfig.builder().url(backend.url()).id(backend.name).build());
        }
        return route;
    }

    /** Writes {@code config} to the file and asks the gateway to reload it; returns the answer. */
    private JsonNode reload(Gateway gateway, JunctionConfig config, int expectedStatus) throws Exception {
        Files.writeString(file(), ConfigYaml.write(config));
        return reload(gateway, expectedStatus);
    }

    private JsonNode reload(Gateway gateway, int expectedStatus) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(gateway.uri("/_junction/reload"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> get(Gateway gateway, String target) throws Exception {
        return http.send(HttpRequest.newBuilder(gateway.uri(target)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private Set<String> servedBy(Gateway gateway, String target, int requests) throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> response = get(gateway, target);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            seen.add(response.headers().firstValue("X-Backend").orElseThrow());
        }
        return seen;
    }

    private static BackendStatus backend(Gateway gateway, String route, String id) {
        return gateway.junction().status().stream().filter(r -> r.name().equals(route)).findFirst().orElseThrow()
                .backends().stream().filter(b -> b.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aBackendAddedToTheFileServesAfterAReloadAndTheBackendThatStaysKeepsItsNumbers() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        TestBackend b = servers.add(TestBackend.start("b"));
        Gateway gateway = start(config(route("app", "/", a).build()));
        Route before = gateway.junction().route("app");
        assertThat(servedBy(gateway, "/x", 10)).containsExactly("a");
        assertThat(backend(gateway, "app", "a").requests()).isEqualTo(10);

        JsonNode answer = reload(gateway, config(route("app", "/", a, b).build()), 200);

        assertThat(answer.get("outcome").asText()).isEqualTo("APPLIED");
        assertThat(answer.get("changes").asText()).isEqualTo("backends added [app/b]");
        assertThat(answer.at("/configuration/generation").asLong()).isEqualTo(2);
        assertThat(servedBy(gateway, "/x", 20)).containsExactlyInAnyOrder("a", "b");
        assertThat(backend(gateway, "app", "a").requests()).as("its counters carried on").isGreaterThan(10);
        assertThat(gateway.junction().route("app")).as("the route kept its handle").isSameAs(before);

        JsonNode again = reload(gateway, 200);
        assertThat(again.get("outcome").asText()).as("the file did not change").isEqualTo("UNCHANGED");
        assertThat(again.at("/configuration/generation").asLong()).isEqualTo(2);
    }

    @Test
    void anInvalidFileIsRefusedWithEveryProblemWhileTheConfigurationRunningKeepsServing() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        Gateway gateway = start(config(route("app", "/", a).build()));

        Files.writeString(file(), "routes:\n  - name: app\n    prefix: /\n    backends: [{url: 'ftp://nowhere'}]\n"
                + "    strategy: fastest-guess\nadmin: {path: /_junction, token: " + TOKEN + "}\n");
        JsonNode answer = reload(gateway, 422);

        assertThat(answer.get("outcome").asText()).isEqualTo("REJECTED");
        List<String> problems = new ArrayList<>();
        answer.get("problems").forEach(problem -> problems.add(problem.asText()));
        assertThat(problems).as("every problem, each with its place").hasSizeGreaterThanOrEqualTo(2)
                .anySatisfy(problem -> assertThat(problem).contains("routes[0].backends[0].url"))
                .anySatisfy(problem -> assertThat(problem).contains("routes[0].strategy"));
        assertThat(servedBy(gateway, "/x", 5)).containsExactly("a");

        HttpResponse<String> status = http.send(HttpRequest.newBuilder(gateway.uri("/_junction"))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode configuration = JSON.readTree(status.body()).get("configuration");
        assertThat(configuration.get("generation").asLong()).isEqualTo(1);
        assertThat(configuration.at("/lastReload/outcome").asText()).isEqualTo("REJECTED");
        assertThat(configuration.at("/lastReload/trigger").asText()).isEqualTo("admin endpoint");
        assertThat(configuration.at("/lastReload/problems").size()).isEqualTo(problems.size());
    }

    @Test
    void aSettingOnlyAStartAppliesIsRefusedSayingSo() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        Gateway gateway = start(config(route("app", "/", a).build()));
        JunctionConfig running = gateway.junction().config();
        JunctionConfig changed = new JunctionConfig(running.routes(),
                ClientConfig.builder().maxConnectionsPerBackend(7).build(), running.limits(), running.admin(),
                running.accessLog(), running.sharedLimits());

        JsonNode answer = reload(gateway, changed, 422);

        assertThat(answer.get("problems").get(0).asText()).startsWith("client: changed, and it takes effect only"
                + " when Junction starts");
        assertThat(servedBy(gateway, "/x", 3)).containsExactly("a");
    }

    @Test
    void aRemovedBackendFinishesItsRequestsInFlightAndTakesNoNewOnes() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        TestBackend b = servers.add(TestBackend.start("b"));
        Gateway gateway = start(config(route("app", "/", a).build()));
        CompletableFuture<HttpResponse<String>> slow = http.sendAsync(HttpRequest.newBuilder(
                gateway.uri("/slow?ms=1500")).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> backend(gateway, "app", "a").inFlight() == 1);

        JsonNode answer = reload(gateway, config(route("app", "/", b).build()), 200);

        assertThat(answer.get("changes").asText()).isEqualTo("backends added [app/b], backends removed [app/a]");
        assertThat(servedBy(gateway, "/x", 10)).containsExactly("b");
        HttpResponse<String> finished = slow.get(20, TimeUnit.SECONDS);
        assertThat(finished.statusCode()).isEqualTo(200);
        assertThat(finished.body()).isEqualTo("slow a");
        await("drained, its connections closed").atMost(Duration.ofSeconds(10))
                .until(() -> a.openConnections() == 0);
    }

    @Test
    void changedRouteSettingsApplyToNewRequestsWhileBackendsKeepTheirHealth() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        TestBackend b = servers.add(TestBackend.start("b"));
        b.healthStatus.set(503);
        HealthCheckConfig checks = HealthCheckConfig.builder().path("/health").interval(Duration.ofSeconds(30))
                .unhealthyThreshold(1).healthyThreshold(1).build();
        Gateway gateway = start(config(route("app", "/", a, b).healthCheck(checks).build()));
        assertThat(backend(gateway, "app", "b").available()).isFalse();
        int checksOfB = b.healthChecks.get();

        JsonNode answer = reload(gateway, config(route("app", "/", a, b).healthCheck(checks)
                .responseHeaders(new HeaderRulesConfig(Map.of("X-Release", "two"), Map.of(), List.of())).build()), 200);

        assertThat(answer.get("changes").asText()).isEqualTo("routes changed [app]");
        HttpResponse<String> response = get(gateway, "/x");
        assertThat(response.headers().firstValue("X-Release")).hasValue("two");
        assertThat(backend(gateway, "app", "b").available()).as("still unhealthy, without a new first check")
                .isFalse();
        assertThat(b.healthChecks.get()).isEqualTo(checksOfB);
        assertThat(servedBy(gateway, "/x", 10)).containsExactly("a");
    }

    @Test
    void reloadsUnderLoadCostIdempotentRequestsNoError() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        TestBackend b = servers.add(TestBackend.start("b"));
        TestBackend c = servers.add(TestBackend.start("c"));
        Gateway gateway = start(config(route("app", "/", a, b).build()));
        // Bounded in count and time: 2,000 requests per client, or until the reloads are done.
        ClientLoad load = servers.add(ClientLoad.start(http, gateway.uri("/x"), 4, 2000, Duration.ofSeconds(60)));
        TimeoutConfig longer = TimeoutConfig.DEFAULT.toBuilder().response(Duration.ofSeconds(20)).build();
        List<JunctionConfig> steps = List.of(
                config(route("app", "/", a, b, c).build()),
                config(route("app", "/", b, c).build()),
                config(route("app", "/", b, c).timeouts(longer).build(), route("other", "/other", a).build()),
                config(route("app", "/", a, c).timeouts(longer).build()),
                config(route("app", "/", a, b).build()));
        try {
            for (JunctionConfig step : steps) {
                int before = load.served();
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> load.served() >= before + 50 || !load.failures().isEmpty());
                reload(gateway, step, 200);
            }
            int before = load.served();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> load.served() >= before + 50 || !load.failures().isEmpty());
        } finally {
            load.stop();
        }
        assertThat(load.failures()).isEmpty();
        assertThat(load.served()).isGreaterThan(300);
        assertThat(gateway.junction().configStatus().generation()).isEqualTo(6);
        assertThat(servedBy(gateway, "/x", 10)).containsExactlyInAnyOrder("a", "b");
    }

    private HttpResponse<String> admin(Gateway gateway, String method, String target, String body)
            throws Exception {
        return http.send(HttpRequest.newBuilder(gateway.uri("/_junction" + target))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode admin(Gateway gateway, String method, String target, String body, int expectedStatus)
            throws Exception {
        HttpResponse<String> response = admin(gateway, method, target, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    @Test
    void thePoolApiAddsWeighsDrainsDisablesAndRemovesUntilTheNextReloadPutsTheFileBack() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        TestBackend b = servers.add(TestBackend.start("b"));
        Gateway gateway = start(config(route("app", "/", a).build()));

        JsonNode added = admin(gateway, "POST", "/pools/app", "{\"url\": \"" + b.url() + "\", \"id\": \"b\"}", 201);
        assertThat(added.at("/backends/1/id").asText()).isEqualTo("b");
        assertThat(texts(added.get("runtimeChanges"))).containsExactly("b: added at run time");
        await().atMost(Duration.ofSeconds(10)).until(() -> servedBy(gateway, "/x", 10).contains("b"));

        JsonNode weighed = admin(gateway, "POST", "/pools/app/b?weight=3", "", 200);
        assertThat(weighed.at("/backends/1/weight").asInt()).isEqualTo(3);

        admin(gateway, "POST", "/pools/app/a?state=draining", "", 200);
        assertThat(servedBy(gateway, "/x", 10)).containsExactly("b");
        admin(gateway, "POST", "/pools/app/a?state=enabled", "", 200);
        assertThat(servedBy(gateway, "/x", 20)).contains("a");
        JsonNode disabled = admin(gateway, "POST", "/pools/app/a?state=disabled", "", 200);
        assertThat(texts(disabled.get("runtimeChanges"))).containsExactly("a: disabled at run time",
                "b: added at run time");
        assertThat(servedBy(gateway, "/x", 10)).containsExactly("b");
        admin(gateway, "POST", "/pools/app/a?state=enabled", "", 200);
        JsonNode removed = admin(gateway, "DELETE", "/pools/app/b", "", 200);
        assertThat(removed.get("backends")).hasSize(1);
        assertThat(servedBy(gateway, "/x", 10)).containsExactly("a");
        admin(gateway, "POST", "/pools/app", "{\"url\": \"" + b.url() + "\", \"id\": \"b\"}", 201);
        await().atMost(Duration.ofSeconds(10)).until(() -> servedBy(gateway, "/x", 10).contains("b"));

        HttpResponse<String> status = admin(gateway, "GET", "", "");
        assertThat(texts(JSON.readTree(status.body()).at("/configuration/runtimeChanges")))
                .containsExactly("app/b: added at run time");

        JsonNode reloaded = reload(gateway, 200);
        assertThat(reloaded.get("outcome").asText()).as("the file is as it was, the pool is not").isEqualTo("APPLIED");
        assertThat(reloaded.get("changes").asText()).isEqualTo("backends removed [app/b]");
        assertThat(reloaded.at("/configuration/runtimeChanges")).isEmpty();
        assertThat(servedBy(gateway, "/x", 10)).containsExactly("a");
    }

    @Test
    void thePoolApiRefusesWhatIsWrongSayingWhat() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        Gateway gateway = start(config(route("app", "/", a).build()));

        JsonNode invalid = admin(gateway, "POST", "/pools/app", "{\"url\": \"ftp://x\", \"weight\": 0}", 400);
        assertThat(texts(invalid.get("problems"))).anySatisfy(p -> assertThat(p).startsWith("backend.url:"))
                .anySatisfy(p -> assertThat(p).startsWith("backend.weight:"));
        JsonNode duplicate = admin(gateway, "POST", "/pools/app", "{\"url\": \"" + a.url() + "\", \"id\": \"a\"}",
                400);
        assertThat(texts(duplicate.get("problems"))).containsExactly("backend.id: duplicate id 'a'");
        assertThat(admin(gateway, "POST", "/pools/app", "", 400).get("error").asText()).startsWith("the body is empty");
        assertThat(admin(gateway, "POST", "/pools/app", "{\"url\": \"dns+srv://_http._tcp.app.test\"}", 400)
                .get("error").asText()).startsWith("a backend from DNS (resolve: dns, dns+srv://) belongs in the"
                        + " configuration");
        assertThat(admin(gateway, "POST", "/pools/app/a?weight=heavy", "", 400).get("error").asText())
                .isEqualTo("weight: 'heavy' (expected: an integer from 1 to 1000)");
        assertThat(admin(gateway, "POST", "/pools/app/a?state=asleep", "", 400).get("error").asText())
                .isEqualTo("state: 'asleep' (expected: enabled, disabled or draining)");
        assertThat(admin(gateway, "DELETE", "/pools/app/nobody", "", 404).get("error").asText())
                .isEqualTo("route 'app' has no backend 'nobody'");
        assertThat(admin(gateway, "GET", "/pools/none", "", 404).get("error").asText())
                .isEqualTo("no route named 'none'");
        assertThat(admin(gateway, "POST", "/pools/app", "x".repeat(70_000), 413).get("error").asText())
                .contains("over 65536 bytes");
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(gateway.uri("/_junction/pools/app/a"))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(servedBy(gateway, "/x", 5)).containsExactly("a");
    }
}
