package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.junction.core.Sessions;
import dev.junction.core.config.AffinityConfig;
import dev.junction.core.config.AffinityConfig.Mode;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.OutlierDetectionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.spi.Availability;
import dev.junction.core.spi.Backend;

/**
 * Session affinity against real backends: a client keeps reaching one backend in every mode, moves once when its
 * backend dies and then stays, cannot forge a pin, and two gateways agree on hashed keys with no shared state.
 */
public abstract class AffinitySuite {

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    private static final String SECRET = "a-secret-shared-by-every-gateway";
    private static final int REQUESTS = 1000;

    @RegisterExtension
    final StartedServers servers = new StartedServers();

    private final HttpClient client = HttpClient.newHttpClient();

    private List<TestBackend> backends() {
        return List.of(servers.add(TestBackend.start("a")), servers.add(TestBackend.start("b")),
                servers.add(TestBackend.start("c")));
    }

    private Gateway gateway(List<TestBackend> backends, AffinityConfig affinity) {
        RouteConfig.Builder route = RouteConfig.builder().name("app").prefix("/").affinity(affinity)
                .outlierDetection(OutlierDetectionConfig.builder().consecutiveConnectFailures(1)
                        .maxEjectionPercent(100).build());
        backends.forEach(backend -> route.backend(backend.url()));
        return servers.add(startGateway(JunctionConfig.builder().route(route.build()).build()));
    }

    private HttpResponse<String> get(Gateway gateway, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String backendOf(HttpResponse<String> response) {
        return response.headers().firstValue("X-Backend").orElseThrow();
    }

    private static String cookieOf(HttpResponse<String> response, String name) {
        for (String setCookie : response.headers().allValues("Set-Cookie")) {
            if (setCookie.startsWith(name + "=")) {
                return setCookie.substring(0, setCookie.indexOf(';'));
            }
        }
        return null;
    }

    /** Sends {@code count} requests with these headers; returns the backends that served them. */
    private Set<String> servedBy(Gateway gateway, int count, String... headers) throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < count; i++) {
            HttpResponse<String> response = get(gateway, "/x", headers);
            assertThat(response.statusCode()).isEqualTo(200);
            seen.add(backendOf(response));
        }
        return seen;
    }

    @Test
    void theGatewaysCookiePinsAClientAndMovesOnceWhenItsBackendDies() throws Exception {
        List<TestBackend> backends = backends();
        Gateway gateway = gateway(backends, AffinityConfig.builder(Mode.COOKIE).secret(SECRET)
                .cookieMaxAge(Duration.ofHours(1)).build());
        HttpResponse<String> first = get(gateway, "/x");
        String cookie = cookieOf(first, "JUNCTION_AFFINITY");
        assertThat(cookie).isNotNull();
        assertThat(first.headers().allValues("Set-Cookie").get(0)).contains("Max-Age=3600").contains("HttpOnly")
                .contains("SameSite=Lax").doesNotContain("127.0.0.1");
        String pinned = backendOf(first);
        assertThat(servedBy(gateway, REQUESTS, "Cookie", cookie)).containsExactly(pinned);

        backends.stream().filter(backend -> backend.name.equals(pinned)).findFirst().orElseThrow().close();
        HttpResponse<String> moved = get(gateway, "/x", "Cookie", cookie);
        assertThat(moved.statusCode()).isEqualTo(200);
        String movedTo = backendOf(moved);
        assertThat(movedTo).isNotEqualTo(pinned);
        String reissued = cookieOf(moved, "JUNCTION_AFFINITY");
        assertThat(reissued).as("the cookie is issued again for the new backend").isNotNull().isNotEqualTo(cookie);
        assertThat(servedBy(gateway, 50, "Cookie", reissued)).containsExactly(movedTo);
    }

    @Test
    void aForgedOrTamperedCookieIsIgnored() throws Exception {
        List<TestBackend> backends = backends();
        Gateway gateway = gateway(backends, AffinityConfig.builder(Mode.COOKIE).secret(SECRET).build());
        String cookie = cookieOf(get(gateway, "/x"), "JUNCTION_AFFINITY");
        char last = cookie.charAt(cookie.length() - 1);
        String tampered = cookie.substring(0, cookie.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertThat(servedBy(gateway, 30, "Cookie", tampered)).as("normal selection: round-robin over all")
                .hasSize(3);
        assertThat(servedBy(gateway, 30, "Cookie", "JUNCTION_AFFINITY=127.0.0.1:8080")).hasSize(3);
    }

    @Test
    void aHeaderPinsEveryRequestOfASessionAndTwoGatewaysAgree() throws Exception {
        List<TestBackend> backends = backends();
        AffinityConfig affinity = AffinityConfig.builder(Mode.HEADER).build();
        Gateway one = gateway(backends, affinity);
        Gateway two = gateway(backends, affinity);
        for (String session : List.of("alice", "bob", "carol", "dave", "erin")) {
            Set<String> seen = servedBy(one, 20, "X-Session-ID", session);
            assertThat(seen).hasSize(1);
            assertThat(servedBy(two, 20, "X-Session-ID", session)).as("the other gateway, no shared state")
                    .isEqualTo(seen);
        }
        assertThat(servedBy(one, REQUESTS, "X-Session-ID", "frank")).hasSize(1);
    }

    @Test
    void theClientAddressPinsAndTwoGatewaysAgree() throws Exception {
        List<TestBackend> backends = backends();
        AffinityConfig affinity = AffinityConfig.builder(Mode.IP).trustedProxies(List.of("127.0.0.0/8")).build();
        Gateway one = gateway(backends, affinity);
        Gateway two = gateway(backends, affinity);
        assertThat(servedBy(one, REQUESTS)).hasSize(1);
        // Behind a trusted proxy (the test client on loopback), the forwarded address is the client's.
        Set<String> forwarded = new HashSet<>();
        for (int client = 1; client <= 30; client++) {
            String address = "198.51.100." + client;
            Set<String> seen = servedBy(one, 5, "X-Forwarded-For", "203.0.113.9, " + address);
            assertThat(seen).hasSize(1);
            assertThat(servedBy(two, 5, "X-Forwarded-For", "203.0.113.9, " + address)).isEqualTo(seen);
            forwarded.addAll(seen);
        }
        assertThat(forwarded).as("thirty clients spread over the backends").hasSizeGreaterThan(1);
    }

    @Test
    void theApplicationsSessionCookieIsLearnedAndFollowed() throws Exception {
        List<TestBackend> backends = backends();
        Gateway gateway = gateway(backends, AffinityConfig.builder(Mode.APP_COOKIE).build());
        HttpResponse<String> login = get(gateway, "/login");
        String session = cookieOf(login, "JSESSIONID");
        String pinned = backendOf(login);
        assertThat(session).startsWith("JSESSIONID=" + pinned + "-");
        assertThat(servedBy(gateway, REQUESTS, "Cookie", session)).containsExactly(pinned);

        Sessions sessions = gateway.junction().routes().get(0).sessions();
        String sessionId = session.substring("JSESSIONID=".length());
        assertThat(sessions.pinnedTo(sessionId)).isEqualTo(
                gateway.junction().routes().get(0).pool().all().stream()
                        .filter(backend -> backend.uri().getPort() == backends.stream()
                                .filter(b -> b.name.equals(pinned)).findFirst().orElseThrow().port())
                        .findFirst().orElseThrow().id());
        assertThat(sessions.stats().active()).isEqualTo(1);
        assertThat(sessions.clear(sessionId)).isTrue();
        assertThat(sessions.pinnedTo(sessionId)).as("forgotten").isNull();
        get(gateway, "/x", "Cookie", session);
        assertThat(sessions.pinnedTo(sessionId)).as("balanced afresh, then pinned again").isNotNull();
        assertThat(sessions.stats().totalCreated()).isEqualTo(2);
    }

    @Test
    void aDrainingBackendKeepsItsSessionsButTakesNoNewOnes() throws Exception {
        List<TestBackend> backends = backends();
        Gateway gateway = gateway(backends, AffinityConfig.builder(Mode.COOKIE).secret(SECRET).build());
        HttpResponse<String> first = get(gateway, "/x");
        String cookie = cookieOf(first, "JUNCTION_AFFINITY");
        String pinned = backendOf(first);
        Backend drained = gateway.junction().routes().get(0).pool().all().stream()
                .filter(backend -> backend.uri().getPort() == backends.stream().filter(b -> b.name.equals(pinned))
                        .findFirst().orElseThrow().port())
                .findFirst().orElseThrow();
        gateway.junction().routes().get(0).pool().availability(drained.id(), Availability.DRAINING);
        assertThat(servedBy(gateway, 20, "Cookie", cookie)).containsExactly(pinned);
        assertThat(servedBy(gateway, 20)).as("new sessions").doesNotContain(pinned);
    }
}
