package dev.junction.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.BackendProtocol;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.http.Fields;
import dev.junction.core.internal.route.TrustedProxies;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.Ticker;

class ForwardHeadersTest {

    private static final Backend BACKEND = BackendPool.of(List.of(BackendConfig.of("http://10.0.0.1:8080/base/")),
            Ticker.system()).all().get(0);
    private static final Backend DEFAULT_PORT = BackendPool.of(List.of(BackendConfig.of("https://api.internal")),
            Ticker.system()).all().get(0);

    private static Fields toBackend(Fields in, RouteConfig.Builder route) {
        RouteConfig config = route.prefix("/api").backend("http://10.0.0.1:8080").build();
        return ForwardHeaders.toBackend(FixedExchange.get(in), config, TrustedProxies.of(config), BACKEND,
                "req-1", null);
    }

    private static List<String> names(Fields fields) {
        List<String> names = new ArrayList<>();
        fields.forEach((name, value) -> names.add(name));
        return names;
    }

    private static List<String> lines(Fields fields) {
        List<String> lines = new ArrayList<>();
        fields.forEach((name, value) -> lines.add(name + ": " + value));
        return lines;
    }

    @Test
    void dropsHopByHopHeadersAndTheOnesConnectionNames() {
        Fields out = toBackend(new Fields()
                .add("Connection", "keep-alive, X-Private")
                .add("Connection", "Upgrade")
                .add("X-Private", "1")
                .add("Keep-Alive", "timeout=5")
                .add("Proxy-Connection", "keep-alive")
                .add("TE", "gzip")
                .add("Trailer", "X")
                .add("Transfer-Encoding", "chunked")
                .add("Upgrade", "websocket")
                .add("Proxy-Authorization", "Basic eDp5")
                .add("Expect", "100-continue")
                .add("Accept", "text/plain"), RouteConfig.builder());

        assertThat(names(out)).containsExactly("Accept", "Host", "X-Request-Id", "X-Forwarded-For",
                "X-Forwarded-Proto", "X-Forwarded-Port");
    }

    @Test
    void tellsAnHttp2BackendItTakesTrailersWhenTheClientDoes() {
        RouteConfig config = RouteConfig.builder().prefix("/api").backend("http://10.0.0.1:8080").build();
        Backend http2 = BackendPool.of(List.of(BackendConfig.builder().url("http://10.0.0.1:8080")
                .protocol(BackendProtocol.H2C).build()), Ticker.system()).all().get(0);
        Fields grpc = new Fields().add("TE", "gzip;q=0.5, Trailers").add("Content-Type", "application/grpc");

        assertThat(ForwardHeaders.toBackend(FixedExchange.get(grpc), config, TrustedProxies.of(config), http2,
                "req-1", null).values("TE")).containsExactly("trailers");
        assertThat(ForwardHeaders.toBackend(FixedExchange.get(new Fields().add("TE", "gzip")), config,
                TrustedProxies.of(config), http2, "req-1", null).contains("TE")).isFalse();
        // An HTTP/1.1 backend gets no TE at all: it is hop-by-hop, and nothing there needs it.
        assertThat(toBackend(grpc, RouteConfig.builder()).contains("TE")).isFalse();
    }

    @Test
    void appendsTheClientToEveryForwardedForReceivedAndReplacesTheOtherForwardedHeaders() {
        Fields out = toBackend(new Fields()
                .add("Host", "shop.example")
                .add("X-Forwarded-For", "203.0.113.1")
                .add("X-Forwarded-For", "198.51.100.2, 198.51.100.3")
                .add("X-Forwarded-Proto", "https")
                .add("X-Forwarded-Host", "evil.example")
                .add("X-Forwarded-Port", "1"), RouteConfig.builder());

        assertThat(out.values("X-Forwarded-For"))
                .containsExactly("203.0.113.1, 198.51.100.2, 198.51.100.3, 192.0.2.7");
        assertThat(out.values("X-Forwarded-Proto")).containsExactly("http");
        assertThat(out.values("X-Forwarded-Host")).containsExactly("shop.example");
        assertThat(out.values("X-Forwarded-Port")).containsExactly("8080");
        assertThat(out.values("Host")).containsExactly("10.0.0.1:8080");
    }

    @Test
    void keepsTheClientsHostWhenAskedAndLeavesOutADefaultPort() {
        Fields in = new Fields().add("Host", "shop.example");
        assertThat(toBackend(in, RouteConfig.builder().preserveHost(true)).get("Host")).isEqualTo("shop.example");
        RouteConfig config = RouteConfig.builder().prefix("/").backend("https://api.internal").build();
        Fields out = ForwardHeaders.toBackend(FixedExchange.get(in), config, TrustedProxies.of(config), DEFAULT_PORT,
                "req-1", null);
        assertThat(out.get("Host")).isEqualTo("api.internal");
    }

    @Test
    void addsForwardedAndViaWhenTheRouteAsksAndKeepsNoForwardedFromAnUntrustedClient() {
        Fields out = toBackend(new Fields().add("Host", "shop.example:8443").add("Forwarded", "for=x"),
                RouteConfig.builder().forwarded(true).via(true));

        assertThat(out.values("Forwarded")).containsExactly("for=192.0.2.7;proto=http;host=\"shop.example:8443\"");
        assertThat(out.values("Via")).containsExactly("1.1 junction");
    }

    @Test
    void dropsTheForwardingHeadersOfAnUntrustedClientAndUnderscoreSpellingsFromEveryone() {
        Fields in = new Fields()
                .add("Forwarded", "for=10.9.9.9;proto=https")
                .add("X-Real-IP", "10.9.9.9")
                .add("X-Forwarded-Prefix", "/admin")
                .add("X-Original-URL", "/admin")
                .add("X-Rewrite-URL", "/admin")
                .add("X_Forwarded_For", "10.9.9.9")
                .add("X-Forwarded_Proto", "https")
                .add("x_real_ip", "10.9.9.9")
                .add("X_Custom", "kept");

        assertThat(names(toBackend(in, RouteConfig.builder()))).containsExactly("X_Custom", "Host", "X-Request-Id",
                "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Port");
        // 192.0.2.7, the test exchange's client, is a trusted proxy: its headers are facts, but underscores are not.
        Fields trusted = toBackend(in.add("X-Forwarded-Proto", "https").add("X-Forwarded-Port", "443"),
                RouteConfig.builder().trustedProxies(List.of("192.0.2.0/24")).forwarded(true));
        assertThat(lines(trusted)).containsExactly("Forwarded: for=10.9.9.9;proto=https", "X-Real-IP: 10.9.9.9",
                "X-Forwarded-Prefix: /admin", "X-Original-URL: /admin", "X-Rewrite-URL: /admin", "X_Custom: kept",
                "X-Forwarded-Proto: https", "X-Forwarded-Port: 443", "Host: 10.0.0.1:8080", "X-Request-Id: req-1",
                "X-Forwarded-For: 192.0.2.7", "Forwarded: for=192.0.2.7;proto=http");
    }

    @Test
    void quotesAndBracketsAnIpv6ClientInForwarded() {
        assertThat(ForwardHeaders.forwardedElement("2001:db8::1", "https", "shop.example"))
                .isEqualTo("for=\"[2001:db8::1]\";proto=https;host=shop.example");
    }

    @Test
    void theClientGetsTheBackendsHeadersWithoutHopByHopOnes() {
        Fields out = ForwardHeaders.toClient(new Fields()
                .add("Connection", "X-Secret")
                .add("X-Secret", "1")
                .add("Keep-Alive", "timeout=5")
                .add("Transfer-Encoding", "chunked")
                .add("Proxy-Authenticate", "Basic")
                .add("Set-Cookie", "a=1")
                .add("Set-Cookie", "b=2"),
                RouteConfig.builder().prefix("/").backend("http://a").via(true).build());

        assertThat(lines(out))
                .containsExactly("Set-Cookie: a=1", "Set-Cookie: b=2", "Via: 1.1 junction");
    }
}
