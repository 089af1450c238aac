package dev.junction.core.internal.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.junction.core.config.FieldMatch;
import dev.junction.core.config.MatchConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.http.Fields;
import dev.junction.core.spi.RequestHead;

class RouterTest {

    /** A request head with fixed values. */
    record Head(String method, String rawPath, @Nullable String rawQuery, Fields requestHeaders, String clientAddress)
            implements RequestHead {

        static Head get(String host, String target) {
            int question = target.indexOf('?');
            return new Head("GET", question < 0 ? target : target.substring(0, question),
                    question < 0 ? null : target.substring(question + 1), new Fields().add("Host", host),
                    "192.0.2.7");
        }

        Head with(String name, String value) {
            Fields fields = Fields.copyOf(requestHeaders);
            fields.add(name, value);
            return new Head(method, rawPath, rawQuery, fields, clientAddress);
        }

        Head method(String verb) {
            return new Head(verb, rawPath, rawQuery, requestHeaders, clientAddress);
        }

        Head from(String address) {
            return new Head(method, rawPath, rawQuery, requestHeaders, address);
        }
    }

    private final List<RouteConfig> routes = new ArrayList<>();

    private void route(String name, String prefix, MatchConfig match) {
        routes.add(RouteConfig.builder().name(name).prefix(prefix).match(match).backend("http://10.0.0.1").build());
    }

    private @Nullable String match(Head head) {
        Router<RouteConfig> router = new Router<>(routes,
                route -> RouteConditions.of(route.prefix(), route.match(), TrustedProxies.of(route)));
        RouteConfig found = router.match(head.rawPath(), head);
        return found == null ? null : found.name();
    }

    @Test
    void anExactHostComesBeforeAWildcardAndAWildcardBeforeNoHostWhateverThePrefix() {
        route("any", "/api", MatchConfig.NONE);
        route("wild", "/", MatchConfig.builder().host("*.example.com").build());
        route("deeper-wild", "/", MatchConfig.builder().host("*.eu.example.com").build());
        route("exact", "/", MatchConfig.builder().host("API.example.com").build());

        assertThat(match(Head.get("api.example.com", "/api/x"))).isEqualTo("exact");
        assertThat(match(Head.get("Api.Example.Com.:8443", "/api/x"))).as("case, port and trailing dot aside")
                .isEqualTo("exact");
        assertThat(match(Head.get("shop.example.com", "/api/x"))).isEqualTo("wild");
        assertThat(match(Head.get("a.b.example.com", "/x"))).as("a wildcard covers deeper names").isEqualTo("wild");
        assertThat(match(Head.get("shop.eu.example.com", "/x"))).as("the longest wildcard first")
                .isEqualTo("deeper-wild");
        assertThat(match(Head.get("example.com", "/api/x"))).as("a wildcard does not cover the bare domain")
                .isEqualTo("any");
        assertThat(match(Head.get("other.org", "/x"))).isNull();
    }

    @Test
    void withinAHostTheLongestPrefixThenMoreConditionsThenConfigurationOrder() {
        route("root", "/", MatchConfig.NONE);
        route("api", "/api", MatchConfig.NONE);
        route("api-get", "/api", MatchConfig.builder().methods(List.of("GET")).build());
        route("api-get-beta", "/api",
                MatchConfig.builder().methods(List.of("GET")).header(FieldMatch.present("X-Beta")).build());
        route("api-post", "/api", MatchConfig.builder().methods(List.of("POST")).build());
        route("api-v2", "/api/v2", MatchConfig.builder().header(FieldMatch.exact("X-Never", "x")).build());

        Head get = Head.get("h", "/api/v2/items");
        assertThat(match(get)).as("/api/v2's condition fails, so /api's routes are tried").isEqualTo("api-get");
        assertThat(match(get.with("X-Beta", ""))).isEqualTo("api-get-beta");
        assertThat(match(get.method("POST"))).isEqualTo("api-post");
        assertThat(match(get.method("PUT"))).isEqualTo("api");
        assertThat(match(get.with("X-Never", "x"))).isEqualTo("api-v2");
        assertThat(match(Head.get("h", "/apix"))).isEqualTo("root");
        assertThat(match(Head.get("h", "/api/../other"))).as("dot-segments resolved first").isEqualTo("root");
    }

    @Test
    void aHostRouteWhoseConditionsFailLeavesTheRequestToTheRoutesOfNoHost() {
        route("beta-host", "/", MatchConfig.builder().host("example.com").header(FieldMatch.present("X-Beta"))
                .build());
        route("any", "/", MatchConfig.NONE);

        assertThat(match(Head.get("example.com", "/x").with("X-Beta", "1"))).isEqualTo("beta-host");
        assertThat(match(Head.get("example.com", "/x"))).isEqualTo("any");
        assertThat(match(new Head("GET", "/x", null, new Fields(), "192.0.2.7"))).as("no Host").isEqualTo("any");
    }

    @Test
    void headerConditionsAskAnyValueAndMatchARegexAsAWhole() {
        route("exact", "/", MatchConfig.builder().header(FieldMatch.exact("x-canary", "always")).build());
        route("regex", "/", MatchConfig.builder().header(FieldMatch.regex("X-Version", "v[23]")).build());
        route("absent", "/", MatchConfig.builder().header(FieldMatch.absent("X-Internal")).build());

        Head head = Head.get("h", "/");
        assertThat(match(head.with("X-Canary", "never").with("X-CANARY", "always"))).isEqualTo("exact");
        assertThat(match(head.with("X-Canary", "Always"))).as("values with case").isEqualTo("absent");
        assertThat(match(head.with("X-Version", "v3"))).isEqualTo("regex");
        assertThat(match(head.with("X-Version", "v3.1"))).as("a regex matches the whole value").isEqualTo("absent");
        assertThat(match(head.with("X-Internal", "1"))).isNull();
    }

    @Test
    void queryConditionsDecodeNamesAndValues() {
        route("debug", "/", MatchConfig.builder().query(FieldMatch.exact("debug", "on please")).build());
        route("flag", "/", MatchConfig.builder().query(FieldMatch.present("flag")).build());
        route("café", "/", MatchConfig.builder().query(FieldMatch.regex("café", "[0-9]+")).build());

        assertThat(match(Head.get("h", "/?a=1&debug=on+please"))).isEqualTo("debug");
        assertThat(match(Head.get("h", "/?debug=on%20please&b"))).isEqualTo("debug");
        assertThat(match(Head.get("h", "/?debug=on"))).isNull();
        assertThat(match(Head.get("h", "/?x=1&flag"))).isEqualTo("flag");
        assertThat(match(Head.get("h", "/?flag="))).isEqualTo("flag");
        assertThat(match(Head.get("h", "/?caf%C3%A9=42"))).isEqualTo("café");
        assertThat(match(Head.get("h", "/?caf%C3%A9=4x2&%zz=1"))).as("a malformed escape is kept").isNull();
        assertThat(match(Head.get("h", "/"))).isNull();
    }

    @Test
    void clientRangesReadTheClientBehindTrustedProxies() {
        routes.add(RouteConfig.builder().name("office").prefix("/").backend("http://10.0.0.1")
                .trustedProxies(List.of("10.0.0.0/8"))
                .match(MatchConfig.builder().clients(List.of("192.0.2.0/24", "2001:db8::/32")).build()).build());

        Head head = Head.get("h", "/");
        assertThat(match(head.from("192.0.2.200"))).isEqualTo("office");
        assertThat(match(head.from("2001:db8::1"))).isEqualTo("office");
        assertThat(match(head.from("198.51.100.1"))).isNull();
        assertThat(match(head.from("10.1.1.1").with("X-Forwarded-For", "192.0.2.9"))).isEqualTo("office");
        assertThat(match(head.from("198.51.100.1").with("X-Forwarded-For", "192.0.2.9")))
                .as("an untrusted peer's header names nobody").isNull();
    }

    @Test
    void decodingKeepsWhatIsNotAnEscape() {
        assertThat(RouteConditions.decode("a%2Fb+c%", 0, 8)).isEqualTo("a/b c%");
        assertThat(RouteConditions.decode("x%e2%82%ACy", 0, 11)).isEqualTo("x€y");
        assertThat(RouteConditions.decodedEquals("name=1", 0, 4, "name")).isTrue();
    }
}
