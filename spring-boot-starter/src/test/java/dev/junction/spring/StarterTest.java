package dev.junction.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;

import dev.junction.core.Junction;
import dev.junction.core.Route;
import dev.junction.servlet.ProxyFilter;
import dev.junction.spring.app.TestApplication;
import dev.junction.testkit.TestBackend;

/**
 * A Spring Boot application with the starter, on embedded Tomcat, in front of real backends: its routes come from
 * {@code starter-test.yaml} under {@code junction.*}. One application serves every test here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StarterTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final HttpClient client = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private TestBackend a;
    private TestBackend b;
    private TestBackend c;
    private ConfigurableApplicationContext context;
    private int port;

    @BeforeAll
    void start() {
        a = TestBackend.start("a");
        b = TestBackend.start("b");
        c = TestBackend.start("c");
        context = new SpringApplicationBuilder(TestApplication.class)
                .properties("spring.config.name=starter-test", "test.backend.a=" + a.port(),
                        "test.backend.b=" + b.port(), "test.backend.c=" + c.port())
                .run();
        port = ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @AfterAll
    void stop() {
        if (context != null) {
            context.close();
        }
        for (TestBackend backend : new TestBackend[] {a, b, c}) {
            if (backend != null) {
                backend.close();
            }
        }
    }

    private HttpResponse<String> get(String target) throws Exception {
        return client.send(request(target).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String target) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target)).timeout(PATIENCE);
    }

    @Test
    void routesFromApplicationYamlProxyToTheirBackends() throws Exception {
        Set<String> answeredBy = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = get("/api/orders?page=" + i);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("target: /orders?page=" + i);
            answeredBy.add(response.headers().firstValue("X-Backend").orElseThrow());
        }
        assertThat(answeredBy).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void aBackendsHeaderReplacesTheOneSpringSecuritySetAndSecuritysOthersStay() throws Exception {
        HttpResponse<String> response = get("/api/cached");

        assertThat(response.body()).isEqualTo("cached");
        assertThat(response.headers().allValues("Cache-Control")).containsExactly("max-age=60");
        assertThat(response.headers().allValues("X-Frame-Options")).containsExactly("DENY");
    }

    @Test
    void requestsNoRouteTakesReachTheApplication() throws Exception {
        HttpResponse<String> own = get("/own");

        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.body()).isEqualTo("own");
        assertThat(own.headers().firstValue("X-Backend")).isEmpty();
    }

    @Test
    void userChosenNamesAndJunctionsOwnVariablesReachTheBackendAsWritten() throws Exception {
        HttpResponse<String> response = get("/checked/x");

        assertThat(response.body()).containsIgnoringCase("X-Proxied-By: junction checked");
    }

    @Test
    void formBodiesReachTheBackendWholeThoughSpringMvcReadsForms() throws Exception {
        for (String method : new String[] {"PUT", "PATCH", "DELETE", "POST"}) {
            HttpResponse<String> response = client.send(request("/stream/form")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .method(method, HttpRequest.BodyPublishers.ofString("a=1&b=2")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).as(method).contains("method: " + method).contains("body-bytes: 7");
        }
    }

    @Test
    void springSecurityGuardsProxiedRoutesBeforeJunction() throws Exception {
        int before = a.requests.get();
        HttpResponse<String> refused = get("/secure/x");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(a.requests.get()).isEqualTo(before);

        String credentials = Base64.getEncoder().encodeToString((TestApplication.USER + ":"
                + TestApplication.PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> let = client.send(request("/secure/x").header("Authorization", "Basic " + credentials)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(let.statusCode()).isEqualTo(200);
        assertThat(let.headers().firstValue("X-Backend")).hasValue("a");
    }

    @Test
    void theFilterIsAsynchronousForEveryPathAfterSpringSecurity() {
        @SuppressWarnings("unchecked")
        FilterRegistrationBean<ProxyFilter> filter = context.getBean("junctionFilter", FilterRegistrationBean.class);

        assertThat(filter.isAsyncSupported()).isTrue();
        assertThat(filter.getUrlPatterns()).containsExactly("/*");
        assertThat(filter.getOrder()).isEqualTo(JunctionProperties.Filter.DEFAULT_ORDER)
                .isGreaterThan(SecurityProperties.DEFAULT_FILTER_ORDER);
    }

    @Test
    void theJunctionIsABeanWithEveryRouteAndReloadsFromTheEnvironment() {
        Junction junction = context.getBean(Junction.class);

        assertThat(junction.routes()).extracting(Route::name).containsExactly("api", "stream", "secure", "checked");
        assertThat(junction.reload().isEmpty()).isTrue();
        assertThat(junction.configStatus().source()).isEqualTo(EnvironmentTree.SOURCE);
    }

    @Test
    void metricsLandInTheApplicationsMeterRegistry() throws Exception {
        assertThat(get("/api/metered").statusCode()).isEqualTo(200);

        MeterRegistry registry = context.getBean(MeterRegistry.class);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(registry.find("junction.requests")
                .tag("route", "api").tag("outcome", "forwarded").timers())
                .anySatisfy(timer -> assertThat(timer.count()).isPositive()));
        // The observation registry too: Boot turns each observation into a timer of its name.
        assertThat(registry.find("junction.attempt").timers()).isNotEmpty();
        JsonNode endpoint = json.readTree(get("/actuator/metrics/junction.requests?tag=route:api").body());
        assertThat(endpoint.at("/measurements/0/value").asDouble()).isPositive();
    }

    @Test
    void healthIsUpWhileEveryRouteHasABackendAndDownWhenOnesBackendsStop() throws Exception {
        JsonNode up = junctionHealth();
        assertThat(up.path("status").asText()).isEqualTo("UP");
        assertThat(up.at("/details/routes/checked/status").asText()).isEqualTo("UP");
        assertThat(up.at("/details/routes/api/prefix").asText()).isEqualTo("/api");

        c.close();
        try {
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(junctionHealth().path("status").asText())
                    .isEqualTo("DOWN"));
            JsonNode down = junctionHealth();
            assertThat(down.at("/details/routes/checked/status").asText()).isEqualTo("DOWN");
            assertThat(down.at("/details/routes/checked/backends").elements().next().asText())
                    .startsWith("failed its active health check");
            assertThat(down.at("/details/routes/api/status").asText()).isEqualTo("UP");
            assertThat(get("/actuator/health").statusCode()).isEqualTo(503);
        } finally {
            c = c.restarted();
        }
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(junctionHealth().path("status").asText())
                .isEqualTo("UP"));
    }

    private JsonNode junctionHealth() throws Exception {
        return json.readTree(get("/actuator/health").body()).at("/components/junction");
    }

    @Test
    void aServerSentEventArrivesBeforeTheBackendWritesTheNext() throws Exception {
        HttpResponse<InputStream> response = client.send(request("/stream/sse").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        try (BufferedReader events = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            assertThat(events.readLine()).isEqualTo("data: one");
            assertThat(a.secondEventWritten).isFalse();
            assertThat(events.readLine()).isEmpty();
            assertThat(events.readLine()).isEqualTo("data: two");
        }
    }

    @Test
    void largeBodiesStreamThroughTheFilterBothWays() throws Exception {
        long size = 48L * 1024 * 1024 + 13;
        HttpResponse<InputStream> download = client.send(request("/stream/download?size=" + size + "&chunked")
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(digest(download.body())).isEqualTo(TestBackend.downloadDigest(size));

        byte[] upload = new byte[16 * 1024 * 1024 + 7];
        for (int i = 0; i < upload.length; i++) {
            upload[i] = (byte) (i * 31);
        }
        HttpResponse<String> uploaded = client.send(request("/stream/upload")
                .POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(uploaded.body()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(upload)) + " " + upload.length);
    }

    private static byte[] digest(InputStream in) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 * 1024];
        try (in) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
            }
        }
        return sha.digest();
    }
}
