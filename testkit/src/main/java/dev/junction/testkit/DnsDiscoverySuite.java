package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.ClientConfig;
import dev.junction.core.config.DnsConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.spi.Backend;
import dev.junction.core.status.DiscoveryStatus;

/**
 * Backends from DNS, asked of a real DNS server on loopback whose records change while the gateway runs: SRV records
 * give backends their ports, weights and priorities; A records give a name's addresses; changes follow the TTL; a
 * lookup that fails keeps the last addresses; addresses that go away are drained.
 */
public abstract class DnsDiscoverySuite {

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    @RegisterExtension
    protected final StartedServers servers = new StartedServers();

    private final HttpClient http = HttpClient.newHttpClient();

    private static JunctionConfig config(DnsServer dns, BackendConfig backend) {
        return JunctionConfig.builder()
                .client(ClientConfig.builder().dns(new DnsConfig(List.of(dns.address()), Duration.ofMillis(200),
                        Duration.ofSeconds(30), Duration.ofSeconds(1))).build())
                .route(RouteConfig.builder().name("app").prefix("/").backend(backend).build())
                .build();
    }

    private Set<String> servedBy(Gateway gateway, int requests) throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(gateway.uri("/x"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                seen.add(response.headers().firstValue("X-Backend").orElseThrow());
            } else {
                seen.add(String.valueOf(response.statusCode()));
            }
        }
        return seen;
    }

    private static DiscoveryStatus discovery(Gateway gateway) {
        return gateway.junction().configStatus().discovery().get(0);
    }

    @Test
    void srvRecordsGiveTheBackendsTheirPortsAndChangesFollowTheTtl() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        TestBackend b = servers.add(TestBackend.start("b"));
        TestBackend c = servers.add(TestBackend.start("c"));
        DnsServer dns = servers.add(DnsServer.start());
        dns.a("local.test", 1, "127.0.0.1");
        dns.srv("_http._tcp.app.test", 1, "0 10 " + a.port() + " local.test", "0 10 " + b.port() + " local.test");
        Gateway gateway = servers.add(startGateway(config(dns, BackendConfig.of("dns+srv://_http._tcp.app.test"))));

        assertThat(servedBy(gateway, 20)).containsExactlyInAnyOrder("a", "b");
        assertThat(discovery(gateway).backends()).containsExactlyInAnyOrder(
                "_http._tcp.app.test@127.0.0.1:" + a.port(), "_http._tcp.app.test@127.0.0.1:" + b.port());
        assertThat(discovery(gateway).name()).isEqualTo("SRV _http._tcp.app.test");

        dns.srv("_http._tcp.app.test", 1, "0 10 " + b.port() + " local.test", "0 10 " + c.port() + " local.test");
        await().atMost(Duration.ofSeconds(10)).until(() -> servedBy(gateway, 20).equals(Set.of("b", "c")));

        // A lower priority is a backup: it serves only while the others cannot.
        dns.srv("_http._tcp.app.test", 1, "0 10 " + b.port() + " local.test", "1 10 " + c.port() + " local.test");
        await().atMost(Duration.ofSeconds(10)).until(() -> servedBy(gateway, 20).equals(Set.of("b")));
    }

    @Test
    void aNameGivesItsAddressesAndAFailedLookupKeepsTheLastOnes() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        DnsServer dns = servers.add(DnsServer.start());
        dns.a("app.test", 1, "127.0.0.1");
        Gateway gateway = servers.add(startGateway(config(dns, BackendConfig.builder()
                .url("http://app.test:" + a.port()).resolve(BackendConfig.Resolve.DNS).build())));

        assertThat(servedBy(gateway, 5)).containsExactly("a");
        assertThat(gateway.junction().route("app").pool().all()).extracting(backend -> backend.id())
                .containsExactly("app.test:" + a.port() + "@127.0.0.1");

        dns.failing(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> discovery(gateway).problem() != null);
        assertThat(discovery(gateway).problem()).contains("SERVFAIL");
        assertThat(servedBy(gateway, 5)).as("the last good answer is kept").containsExactly("a");

        dns.failing(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> discovery(gateway).problem() == null);

        dns.remove("app.test");
        await("the name is gone: so are its backends").atMost(Duration.ofSeconds(10))
                .until(() -> gateway.junction().route("app").pool().all().isEmpty());
        assertThat(servedBy(gateway, 3)).containsExactly("503");

        dns.a("app.test", 1, "127.0.0.1");
        await().atMost(Duration.ofSeconds(10)).until(() -> servedBy(gateway, 3).equals(Set.of("a")));
    }

    @Test
    void aReconfigurationKeepsTheBackendsOfAnUnchangedNameAndDrainsThoseOfARemovedOne() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        TestBackend fixed = servers.add(TestBackend.start("fixed"));
        DnsServer dns = servers.add(DnsServer.start());
        dns.a("app.test", 30, "127.0.0.1");
        BackendConfig looked = BackendConfig.builder().url("http://app.test:" + a.port())
                .resolve(BackendConfig.Resolve.DNS).build();
        JunctionConfig first = config(dns, looked);
        Gateway gateway = servers.add(startGateway(first));
        Backend instance = gateway.junction().route("app").pool().all().get(0);

        RouteConfig route = first.routes().get(0);
        gateway.junction().reconfigure(new JunctionConfig(List.of(route.withBackends(List.of(looked,
                BackendConfig.of(fixed.url())))), first.client(), first.limits(), first.admin(), first.accessLog(),
                first.sharedLimits()));

        assertThat(gateway.junction().route("app").pool().get(instance.id())).as("the same backend, its state kept")
                .isSameAs(instance);
        assertThat(gateway.junction().configStatus().runtimeChanges()).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> servedBy(gateway, 20).equals(Set.of("a", "fixed")));

        // A changed name keeps its addresses, their state, and its lookups: the next answer redefines them.
        BackendConfig heavier = looked.toBuilder().weight(3).build();
        gateway.junction().reconfigure(new JunctionConfig(List.of(route.withBackends(List.of(heavier,
                BackendConfig.of(fixed.url())))), first.client(), first.limits(), first.admin(), first.accessLog(),
                first.sharedLimits()));
        assertThat(gateway.junction().route("app").pool().get(instance.id()).state()).isSameAs(instance.state());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> gateway.junction().route("app").pool().get(instance.id()).weight() == 3);
        assertThat(servedBy(gateway, 20)).containsExactlyInAnyOrder("a", "fixed");

        gateway.junction().reconfigure(new JunctionConfig(List.of(route.withBackends(List.of(
                BackendConfig.of(fixed.url())))), first.client(), first.limits(), first.admin(), first.accessLog(),
                first.sharedLimits()));

        assertThat(gateway.junction().route("app").pool().all()).extracting(Backend::id)
                .containsExactly("127.0.0.1:" + fixed.port());
        assertThat(gateway.junction().configStatus().discovery()).isEmpty();
        assertThat(servedBy(gateway, 10)).containsExactly("fixed");

        // A route a reload adds with a name to look up serves as soon as the reload has returned: its first answer
        // came before requests were routed to it.
        gateway.junction().reconfigure(new JunctionConfig(List.of(route.withBackends(List.of(
                BackendConfig.of(fixed.url()))), RouteConfig.builder().name("other").prefix("/other").backend(looked)
                .build()), first.client(), first.limits(), first.admin(), first.accessLog(), first.sharedLimits()));
        HttpResponse<String> other = http.send(HttpRequest.newBuilder(gateway.uri("/other/x"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.headers().firstValue("X-Backend")).hasValue("a");
    }
}
