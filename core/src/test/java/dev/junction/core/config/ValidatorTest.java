package dev.junction.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.junction.core.Junction;
import dev.junction.core.internal.balance.Strategies;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.LoadBalancer;

class ValidatorTest {

    /** The strategies a Junction with nothing registered knows: the built-ins and the class path's providers. */
    private static final Strategies KNOWN = Strategies.of(Map.of(), ValidatorTest.class.getClassLoader());

    private static final String PLAIN_PATH =
            " (expected: a plain path without query, fragment, percent-escapes or spaces)";
    private static final String LOAD_BALANCER = LoadBalancer.class.getName();

    /** A custom strategy with only a no-argument constructor. */
    public static final class FirstAvailable implements LoadBalancer {
        @Override
        public Selector selector(List<Backend> backends) {
            return (context, eligibility) -> backends.isEmpty() ? null : backends.get(0);
        }
    }

    /** A custom strategy whose constructor fails. */
    public static final class FailsToStart implements LoadBalancer {
        public FailsToStart() {
            throw new IllegalStateException("no license");
        }

        @Override
        public Selector selector(List<Backend> backends) {
            return (context, eligibility) -> null;
        }
    }

    /** A custom strategy that cannot be constructed from configuration. */
    public static final class HiddenConstructor implements LoadBalancer {
        private HiddenConstructor() {
        }

        @Override
        public Selector selector(List<Backend> backends) {
            return (context, eligibility) -> null;
        }
    }

    /** Not a concrete strategy. */
    public abstract static class AbstractStrategy implements LoadBalancer {
    }

    @Test
    void acceptsAValidConfiguration() {
        JunctionConfig config = new JunctionConfig(List.of(
                RouteConfig.builder()
                        .prefix("/api")
                        .rewrite("/v2")
                        .backend(BackendConfig.builder().url("http://10.0.0.1:8080").weight(1000).maxConcurrent(0)
                                .metadata("zone", "eu-1").build())
                        .backend(BackendConfig.builder().url("https://[2001:db8::1]:8443/base").backup(true).build())
                        .strategy(StrategyConfig.of("consistent-hash", Map.of("key", "cookie:session")))
                        .build(),
                RouteConfig.builder().prefix("/").backend("http://10.0.0.2").build()));

        assertThat(Validator.validate(config)).isEmpty();
        assertThatCode(() -> Validator.check(config, List.of())).doesNotThrowAnyException();
    }

    @Test
    void requiresAtLeastOneRoute() {
        assertThat(Validator.validate(new JunctionConfig(List.of())))
                .containsExactly(problem("routes", "at least one route is required"));
    }

    @Test
    void rejectsTwoRoutesWithTheSameName() {
        assertThat(problemsOf(route("/a").name("api").build(), route("/b").name("api").build()))
                .containsExactly(problem("routes[1].name", "duplicate name 'api' (also routes[0])"));
    }

    @Test
    void takesRoutesWithOnePrefixThatAskDifferentThings() {
        assertThat(problemsOf(
                route("/api").match(MatchConfig.builder().methods(List.of("GET")).build()).build(),
                route("/api").name("post").match(MatchConfig.builder().methods(List.of("POST")).build()).build(),
                route("/api").name("beta").match(MatchConfig.builder().header(FieldMatch.present("X-Beta")).build())
                        .build(),
                route("/api").name("host").match(MatchConfig.builder().host("a.example.com").build()).build(),
                route("/api").name("rest").build())).isEmpty();
    }

    @Test
    void rejectsARouteThatOneTriedBeforeItAlwaysTakesFirst() {
        MatchConfig getAndHead = MatchConfig.builder().methods(List.of("GET", "HEAD")).build();
        MatchConfig get = MatchConfig.builder().methods(List.of("GET")).build();
        MatchConfig beta = MatchConfig.builder().header(FieldMatch.exact("X-Beta", "1")).build();
        assertThat(problemsOf(route("/api").name("a").match(getAndHead).build(),
                route("/api/").name("b").match(get).build(),
                route("/api").name("c").match(beta).build(),
                route("/api").name("d").match(MatchConfig.builder().header(FieldMatch.exact("x-beta", "1")).build())
                        .build()))
                .containsExactly(
                        problem("routes[1].match", "never reached: routes[0] ('a') has the same prefix, asks"
                                + " nothing this route does not, and is tried first"),
                        problem("routes[3].match", "never reached: routes[2] ('c') has the same prefix, asks"
                                + " nothing this route does not, and is tried first"));
    }

    @Test
    void aRouteIsReachableWhileOneOfItsHostsIsNotTakenFirst() {
        MatchConfig both = MatchConfig.builder().hosts(List.of("a.example.com", "b.example.com")).build();
        MatchConfig onlyA = MatchConfig.builder().host("A.example.com.").build();
        assertThat(problemsOf(route("/").name("a").match(onlyA).build(), route("/").name("ab").match(both).build()))
                .isEmpty();
        assertThat(problemsOf(route("/").name("ab").match(both).build(), route("/").name("a").match(onlyA).build()))
                .containsExactly(problem("routes[1].match", "never reached: routes[0] ('ab') has the same prefix and"
                        + " host, asks nothing this route does not, and is tried first"));
    }

    @Test
    void rejectsMalformedConditionsSayingWhereAndWhy() {
        MatchConfig match = MatchConfig.builder()
                .hosts(List.of("api.example.com:8080", "*", "a.*.com", "bad host", "[2001:db8::1]", "*.example.com",
                        "*.EXAMPLE.com"))
                .methods(List.of("get", "GET ", "PURGE"))
                .header(FieldMatch.exact("X Canary", "1"))
                .header(FieldMatch.regex("X-Version", "v[2"))
                .header(FieldMatch.exact("X-Value", " padded"))
                .query(FieldMatch.present(""))
                .clients(List.of("10.0.0.0/33"))
                .build();
        assertThat(problemsOf(route("/").match(match).build())).containsExactly(
                problem("routes[0].match.hosts[0]", "'api.example.com:8080' names a port or is an IPv6 address"
                        + " without brackets (expected: a host alone, such as example.com or [2001:db8::1]; the port"
                        + " is not matched)"),
                problem("routes[0].match.hosts[1]", "'*' takes every host (expected: a host such as api.example.com"
                        + " or *.example.com; leave hosts out for every host)"),
                problem("routes[0].match.hosts[2]", "'a.*.com' has a '*' other than a leading '*.' (expected:"
                        + " api.example.com or *.example.com)"),
                problem("routes[0].match.hosts[3]", "'bad host' is not a host name (expected: labels of letters,"
                        + " digits, '-' and '_' between dots, such as api.example.com)"),
                problem("routes[0].match.hosts[6]", "duplicate '*.EXAMPLE.com'"),
                problem("routes[0].match.methods[0]", "'get' would never match: methods are case-sensitive"
                        + " (expected: GET)"),
                problem("routes[0].match.methods[1]", "'GET ' is not a method (expected: a token such as GET)"),
                problem("routes[0].match.headers[0].name", "'X Canary' is not a header name (expected: a token such"
                        + " as X-Canary)"),
                problem("routes[0].match.headers[1].regex", "'v[2' is not a regular expression: Unclosed character"
                        + " class near index 2"),
                problem("routes[0].match.headers[2].exact", "' padded' is not a header value a request can carry"
                        + " (expected: no control characters, no space at either end)"),
                problem("routes[0].match.query[0].name", "must not be empty"),
                problem("routes[0].match.clients[0]", "'10.0.0.0/33' has an invalid prefix length (expected: 0 to"
                        + " 32)"));
    }

    @Test
    void rejectsHeaderRulesOnJunctionsOwnHeadersUnknownVariablesAndBadValues() {
        HeaderRulesConfig request = new HeaderRulesConfig(
                Map.of("X-Forwarded-For", "1.2.3.4"),
                Map.of("X Bad", "1", "X-Trace", "${clientAddress}", "X-Line", "a\r\nInjected: yes"),
                List.of("content-length", "X-Real-IP"));
        HeaderRulesConfig response = new HeaderRulesConfig(Map.of("Strict-Transport-Security", "max-age=1"),
                Map.of("Strict-Transport-Security", "max-age=2", "Host", "kept"), List.of("Via"));
        assertThat(problemsOf(route("/").requestHeaders(request).responseHeaders(response).build()))
                .containsExactlyInAnyOrder(
                problem("routes[0].requestHeaders.remove[0]", "'content-length' is Junction's to write (framing,"
                        + " connection and forwarding headers; Host follows preserveHost, Via follows via, Forwarded"
                        + " follows forwarded)"),
                problem("routes[0].requestHeaders.set.X-Forwarded-For", "'X-Forwarded-For' is Junction's to write"
                        + " (framing, connection and forwarding headers; Host follows preserveHost, Via follows via,"
                        + " Forwarded follows forwarded)"),
                problem("routes[0].requestHeaders.add.X Bad", "'X Bad' is not a header name (expected: a token such"
                        + " as X-Env)"),
                problem("routes[0].requestHeaders.add.X-Trace", "'${clientAddress}' is not a variable (expected:"
                        + " ${client}, ${requestId}, ${route}, ${backend}, or $$ for a $)"),
                problem("routes[0].requestHeaders.add.X-Line", "'a\\r\\nInjected: yes' is not a header value a"
                        + " message can carry (expected: no control characters, no space at either end)"),
                problem("routes[0].responseHeaders.remove[0]", "'Via' is Junction's to write (framing and"
                        + " connection headers; Via follows via)"),
                problem("routes[0].responseHeaders.add.Strict-Transport-Security", "'Strict-Transport-Security' is"
                        + " named by more than one of remove, set and add (expected: each name in one of them)"));
    }

    @Test
    void rejectsReleasesThatDoNotFitTheirGroups() {
        RouteConfig route = RouteConfig.builder().prefix("/")
                .backend(BackendConfig.builder().url("http://10.0.0.1").group("stable").build())
                .backend(BackendConfig.builder().url("http://10.0.0.2").group("canary").build())
                .backend(BackendConfig.builder().url("http://10.0.0.3").build())
                .backend(BackendConfig.builder().url("http://10.0.0.4").group("blue green").build())
                .release(new ReleaseConfig(null, Map.of("canary", 60, "blue", 10, "stable", 30), "header:",
                        "X Canary", null, new ReleaseConfig.Rollout("stable", List.of(10, 5, 101),
                                Duration.ofMillis(10), false),
                        new ReleaseConfig.Rollback(-1, 0, 0, Duration.ofDays(2)), ReleaseConfig.Sessions.STAY))
                .build();
        assertThat(problemsOf(route)).containsExactlyInAnyOrder(
                problem("routes[0].backends[3].group", "'blue green' is not a group name (expected: letters, digits,"
                        + " '.', '_' and '-')"),
                problem("routes[0].backends[2].group", "required once a backend of the route names one (backends[0]"
                        + " is in 'stable')"),
                problem("routes[0].release.shares.blue", "no group 'blue' (the backends' groups: stable, canary,"
                        + " blue green)"),
                problem("routes[0].release.shares.stable", "is 30 but the other groups leave 40 (the baseline takes"
                        + " what they leave: name it only with shares that add up to 100)"),
                problem("routes[0].release.key", "'header:' (expected: client, header:<name> or cookie:<name>)"),
                problem("routes[0].release.forceHeader", "'X Canary' is not a header name"),
                problem("routes[0].release.rollout.group", "'stable' is the baseline, which takes what the"
                        + " rolled-out group leaves"),
                problem("routes[0].release.rollout.steps[1]", "must be from 1 to 100 and above the step before"
                        + " (was 5)"),
                problem("routes[0].release.rollout.steps[2]", "must be from 1 to 100 and above the step before"
                        + " (was 101)"),
                problem("routes[0].release.rollout.interval", "must be at least 1s (was 10ms)"),
                problem("routes[0].release.rollback.errorRateMargin", "must be from 0 (not watched) to 100"
                        + " percentage points (was -1)"),
                problem("routes[0].release.rollback.minRequests", "must be from 1 to 1000000 (was 0)"),
                problem("routes[0].release.rollback.window", "must be from 1s to 24h (was 172800000ms)"));
    }

    @Test
    void rejectsAReleaseWithoutGroupsAndZoneAwarenessWithoutTheGatewaysZone() {
        RouteConfig route = route("/").release(new ReleaseConfig(null, Map.of("canary", 5), "client", null, null,
                        ReleaseConfig.Rollout.NONE, ReleaseConfig.Rollback.NONE, ReleaseConfig.Sessions.STAY))
                .zoneAware(new ZoneAwareConfig(true, 101, -1)).build();
        assertThat(problemsOf(route)).containsExactly(
                problem("routes[0].release", "needs backends in release groups (backends[].group)"),
                problem("routes[0].zoneAware", "needs the gateway's own zone: client.zone"),
                problem("routes[0].zoneAware.minHealthyPercent", "must be from 0 to 100 (was 101)"),
                problem("routes[0].zoneAware.loadMarginPercent", "must be from 0 (never on load) to 10000 (was -1)"));
    }

    @Test
    void rejectsTwoRoutesWithTheSamePrefixIgnoringATrailingSlash() {
        assertThat(problemsOf(route("/api").build(), route("/api/").build()))
                .containsExactly(problem("routes[1].prefix", "duplicate prefix '/api/' (also routes[0])"));
    }

    @Test
    void rejectsABlankRouteName() {
        assertThat(problemsOf(route("/api").name(" ").build()))
                .containsExactly(problem("routes[0].name", "must not be blank"));
    }

    @Test
    void rejectsAPrefixNotStartingWithASlash() {
        assertThat(problemsOf(route("api").build()))
                .containsExactly(problem("routes[0].prefix", "'api' (expected: a path starting with '/')"));
    }

    static Stream<Arguments> pathsWithForbiddenCharacters() {
        return Stream.of(
                Arguments.of("/api?v=1", "'/api?v=1' contains '?'" + PLAIN_PATH),
                Arguments.of("/api#top", "'/api#top' contains '#'" + PLAIN_PATH),
                Arguments.of("/a%2Fb", "'/a%2Fb' contains '%'" + PLAIN_PATH),
                Arguments.of("/a\\b", "'/a\\b' contains '\\'" + PLAIN_PATH),
                Arguments.of("/my api", "'/my api' contains ' '" + PLAIN_PATH),
                Arguments.of("/a\tb", "'/a\tb' contains '\\u0009'" + PLAIN_PATH),
                Arguments.of("/café", "'/café' contains 'é'" + PLAIN_PATH));
    }

    @ParameterizedTest
    @MethodSource("pathsWithForbiddenCharacters")
    void rejectsAPrefixWithACharacterThatIsNotPlainPath(String prefix, String message) {
        assertThat(problemsOf(route(prefix).build())).containsExactly(problem("routes[0].prefix", message));
    }

    @Test
    void rejectsDotSegmentsInAPrefix() {
        assertThat(problemsOf(route("/api/../admin").build(), route("/./api").build())).containsExactly(
                problem("routes[0].prefix", "'/api/../admin' contains a '..' segment"),
                problem("routes[1].prefix", "'/./api' contains a '.' segment"));
    }

    @Test
    void rejectsAnEmptySegmentInAPrefix() {
        assertThat(problemsOf(route("/api//v1").build(), route("//").build())).containsExactly(
                problem("routes[0].prefix", "'/api//v1' contains an empty segment ('//')"),
                problem("routes[1].prefix", "'//' contains an empty segment ('//')"));
    }

    @Test
    void checksARewriteByThePathRules() {
        assertThat(problemsOf(route("/a").rewrite("v2").build(), route("/b").rewrite("/v2/../x").build()))
                .containsExactly(
                        problem("routes[0].rewrite", "'v2' (expected: a path starting with '/')"),
                        problem("routes[1].rewrite", "'/v2/../x' contains a '..' segment"));
    }

    @Test
    void rejectsARewriteCombinedWithStripPrefix() {
        assertThat(problemsOf(route("/api").stripPrefix(true).rewrite("/v2").build())).containsExactly(
                problem("routes[0].rewrite",
                        "cannot be combined with stripPrefix (rewrite already replaces the prefix)"));
    }

    @Test
    void requiresAtLeastOneBackend() {
        assertThat(problemsOf(RouteConfig.builder().prefix("/api").build()))
                .containsExactly(problem("routes[0].backends", "at least one backend is required"));
    }

    @Test
    void requiresAtLeastOneBackendThatIsNotABackup() {
        RouteConfig route = RouteConfig.builder().prefix("/api")
                .backend(BackendConfig.builder().url("http://10.0.0.1").backup(true).build())
                .build();

        assertThat(problemsOf(route))
                .containsExactly(problem("routes[0].backends", "at least one backend must not be a backup"));
    }

    @Test
    void rejectsTwoBackendsOfARouteWithTheSameId() {
        RouteConfig route = RouteConfig.builder().prefix("/api")
                .backend("http://10.0.0.1:8080")
                .backend("http://10.0.0.2:8080")
                .backend("https://10.0.0.1:8080/")
                .build();

        assertThat(problemsOf(route)).containsExactly(problem("routes[0].backends[2].id",
                "duplicate id '10.0.0.1:8080' (also backends[0]); give each backend of a route its own id"));
    }

    @Test
    void acceptsTheSameBackendIdInDifferentRoutes() {
        assertThat(problemsOf(route("/a").build(), route("/b").build())).isEmpty();
    }

    @Test
    void rejectsABlankBackendId() {
        assertThat(problemsOf(BackendConfig.builder().url("http://10.0.0.1").id(" ").build()))
                .containsExactly(problem("routes[0].backends[0].id", "must not be blank"));
    }

    @Test
    void rejectsABackendIdWithSpacesOrControlCharacters() {
        RouteConfig route = RouteConfig.builder().prefix("/api")
                .backend(BackendConfig.builder().url("http://10.0.0.1").id("eu 1").build())
                .backend(BackendConfig.builder().url("http://10.0.0.2").id("eu\u00011").build())
                .build();

        assertThat(problemsOf(route)).containsExactly(
                problem("routes[0].backends[0].id", "'eu 1' (expected: no spaces or control characters)"),
                problem("routes[0].backends[1].id", "'eu\u00011' (expected: no spaces or control characters)"));
    }

    static Stream<Arguments> invalidUrls() {
        String hostOrPort = " has an invalid host or port (expected: a host name of letters, digits, '-' and '.', or"
                + " an IP address, and a port from 1 to 65535)";
        return Stream.of(
                Arguments.of(" ", "must not be blank"),
                Arguments.of("http://10.0.0.1 :8080", "'http://10.0.0.1 :8080' is not a valid URL: Illegal character in"
                        + " authority"),
                Arguments.of("10.0.0.1:8080", "'10.0.0.1:8080' (expected: an http:// or https:// URL)"),
                Arguments.of("ftp://10.0.0.1", "'ftp://10.0.0.1' (expected: an http:// or https:// URL)"),
                Arguments.of("http:///path", "'http:///path' has no host"),
                Arguments.of("http://my_backend:8080", "'http://my_backend:8080'" + hostOrPort),
                Arguments.of("http://10.0.0.1:http", "'http://10.0.0.1:http'" + hostOrPort),
                Arguments.of("http://user:secret@10.0.0.1", "'http://user:secret@10.0.0.1' must not contain user"
                        + " information"),
                Arguments.of("http://10.0.0.1:0", "'http://10.0.0.1:0' has port 0 (expected: 1-65535)"),
                Arguments.of("http://10.0.0.1:65536", "'http://10.0.0.1:65536' has port 65536 (expected: 1-65535)"),
                Arguments.of("http://10.0.0.1/?debug=1",
                        "'http://10.0.0.1/?debug=1' must not have a query or fragment"),
                Arguments.of("http://10.0.0.1/#top", "'http://10.0.0.1/#top' must not have a query or fragment"));
    }

    @ParameterizedTest
    @MethodSource("invalidUrls")
    void rejectsABackendUrlThatIsNotAnHttpBaseUrl(String url, String message) {
        assertThat(problemsOf(BackendConfig.builder().url(url).id("a").build()))
                .containsExactly(problem("routes[0].backends[0].url", message));
    }

    @Test
    void rejectsAWeightBelowOne() {
        assertThat(problemsOf(BackendConfig.builder().url("http://10.0.0.1").weight(0).build()))
                .containsExactly(problem("routes[0].backends[0].weight", "must be > 0 (was 0)"));
    }

    @Test
    void rejectsAWeightAboveTheMaximum() {
        assertThat(problemsOf(BackendConfig.builder().url("http://10.0.0.1").weight(1001).build()))
                .containsExactly(problem("routes[0].backends[0].weight", "must be <= 1000 (was 1001)"));
    }

    @Test
    void rejectsANegativeMaxConcurrent() {
        assertThat(problemsOf(BackendConfig.builder().url("http://10.0.0.1").maxConcurrent(-1).build()))
                .containsExactly(problem("routes[0].backends[0].maxConcurrent",
                        "must be >= 0, 0 for no limit (was -1)"));
    }

    @Test
    void rejectsABlankMetadataKey() {
        assertThat(problemsOf(BackendConfig.builder().url("http://10.0.0.1").metadata(" ", "x").build()))
                .containsExactly(problem("routes[0].backends[0].metadata", "keys must not be blank"));
    }

    @Test
    void rejectsAnUnknownStrategyNamingTheKnownOnes() {
        assertThat(startProblems(route("/api").strategy("fastest").build())).containsExactly(problem(
                "routes[0].strategy", "unknown 'fastest'; known: " + String.join(", ", KNOWN.names())
                        + ", or the class name of a " + LOAD_BALANCER));
    }

    @Test
    void rejectsAnOptionOfAStrategyThatTakesNone() {
        assertThat(startProblems(route("/api").strategy(StrategyConfig.of("round-robin", Map.of("key", "ip"))).build()))
                .containsExactly(problem("routes[0].strategy.key", "unknown option (strategy round-robin takes none)"));
    }

    @Test
    void rejectsAnUnknownConsistentHashOption() {
        assertThat(startProblems(route("/api").strategy(consistentHash("keys", "ip")).build())).containsExactly(
                problem("routes[0].strategy.keys", "unknown option (consistent-hash takes: key, algorithm)"));
    }

    @Test
    void rejectsAConsistentHashKeyOfNoKnownForm() {
        assertThat(startProblems(route("/a").strategy(consistentHash("key", "hedder:X-User")).build(),
                route("/b").strategy(consistentHash("key", "header:")).build())).containsExactly(
                        problem("routes[0].strategy.key",
                                "'hedder:X-User' (expected: ip, path, header:NAME or cookie:NAME)"),
                        problem("routes[1].strategy.key",
                                "'header:' (expected: ip, path, header:NAME or cookie:NAME)"));
    }

    @Test
    void rejectsAnUnknownConsistentHashAlgorithm() {
        assertThat(startProblems(route("/api").strategy(consistentHash("algorithm", "jump")).build()))
                .containsExactly(problem("routes[0].strategy.algorithm", "'jump' (expected: ring or maglev)"));
    }

    @Test
    void rejectsAStrategyClassThatDoesNotExist() {
        assertThat(startProblems(route("/api").strategy("com.example.Fastest").build())).containsExactly(problem(
                "routes[0].strategy", "class 'com.example.Fastest' not found; known names: "
                        + String.join(", ", KNOWN.names())));
    }

    @Test
    void rejectsAStrategyClassThatIsNotAConcreteLoadBalancer() {
        assertThat(startProblems(route("/a").strategy("java.lang.String").build(),
                route("/b").strategy(AbstractStrategy.class.getName()).build())).containsExactly(
                        problem("routes[0].strategy", "class 'java.lang.String' is not a concrete " + LOAD_BALANCER),
                        problem("routes[1].strategy",
                                "class '" + AbstractStrategy.class.getName() + "' is not a concrete " + LOAD_BALANCER));
    }

    @Test
    void acceptsAStrategyClassByName() {
        assertThat(problemsOf(route("/api").strategy(FirstAvailable.class.getName()).build())).isEmpty();
    }

    @Test
    void rejectsOptionsForAStrategyClassWithoutAnOptionsConstructor() {
        String name = FirstAvailable.class.getName();
        assertThat(startProblems(route("/api").strategy(StrategyConfig.of(name, Map.of("mode", "fast"))).build()))
                .containsExactly(problem("routes[0].strategy.mode",
                        "unknown option; class '" + name + "' has no constructor taking options"));
    }

    @Test
    void rejectsAStrategyClassWithoutAPublicConstructor() {
        String name = HiddenConstructor.class.getName();
        assertThat(startProblems(route("/api").strategy(name).build())).containsExactly(problem("routes[0].strategy",
                "class '" + name + "' needs a public constructor taking no arguments or a Map<String, String> of"
                        + " options"));
    }

    @Test
    void reportsAStrategyClassWhoseConstructorFails() {
        String name = FailsToStart.class.getName();
        assertThat(startProblems(route("/api").strategy(name).build())).containsExactly(problem("routes[0].strategy",
                "class '" + name + "' failed to start: java.lang.IllegalStateException: no license"));
    }

    @Test
    void reportsEveryProblemAtOnceInDocumentOrder() {
        RouteConfig first = RouteConfig.builder().prefix("api").name("api")
                .backend(BackendConfig.builder().url("ftp://10.0.0.1").weight(0).build())
                .backend(BackendConfig.builder().url("http://10.0.0.2").maxConcurrent(-5).build())
                .strategy("fastest-ever")
                .build();
        RouteConfig second = RouteConfig.builder().prefix("/web").name("api").stripPrefix(true).rewrite("/v2").build();

        List<ConfigProblem> problems = startProblems(first, second);

        assertThat(problems).extracting(ConfigProblem::path).containsExactly(
                "routes[0].prefix",
                "routes[0].backends[0].url",
                "routes[0].backends[0].weight",
                "routes[0].backends[1].maxConcurrent",
                "routes[1].rewrite",
                "routes[1].backends",
                "routes[1].name",
                "routes[0].strategy");
        assertThat(problems.get(2)).isEqualTo(problem("routes[0].backends[0].weight", "must be > 0 (was 0)"));
    }

    @Test
    void checkThrowsOneExceptionListingEarlierProblemsBeforeTheModels() {
        JunctionConfig config = new JunctionConfig(List.of(route("/api").name(" ").build()));
        List<ConfigProblem> earlier = List.of(problem("routes[0].strategi", "unknown key; known: name, prefix"));

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> Validator.check(config, earlier));

        assertThat(e.problems()).containsExactly(
                problem("routes[0].strategi", "unknown key; known: name, prefix"),
                problem("routes[0].name", "must not be blank"));
        assertThat(e.getMessage()).isEqualTo("Invalid Junction configuration (2 problems)" + System.lineSeparator()
                + "  routes[0].strategi: unknown key; known: name, prefix" + System.lineSeparator()
                + "  routes[0].name: must not be blank");
    }

    @Test
    void checkThrowsForEarlierProblemsOfAValidModel() {
        JunctionConfig config = new JunctionConfig(List.of(route("/api").build()));

        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> Validator.check(config, List.of(problem("", "<string> is empty"))));

        assertThat(e.problems()).containsExactly(problem("", "<string> is empty"));
        assertThat(e.getMessage()).isEqualTo("Invalid Junction configuration (1 problem)" + System.lineSeparator()
                + "  <string> is empty");
    }

    @Test
    void theBuilderValidates() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> JunctionConfig.builder().route(route("/api").name(" ").build()).build());

        assertThat(e.problems()).extracting(ConfigProblem::path).containsExactly("routes[0].name");
    }

    @Test
    void validatesOneBackendUnderAGivenPath() {
        assertThat(Validator.validate(BackendConfig.builder().url("http://10.0.0.1").weight(-1).build(), "backend"))
                .containsExactly(problem("backend.weight", "must be > 0 (was -1)"));
    }

    @Test
    void upgradesAreProtocolNamesOnceEachAndNeverH2c() {
        RouteConfig route = route("/api").upgrades(List.of("websocket", "", "web socket", "H2C", "WebSocket"))
                .backend(BackendConfig.builder().url("http://10.0.0.2").maxTunnels(-1).build()).build();
        assertThat(problemsOf(route)).containsExactly(
                problem("routes[0].upgrades[1]", "'' is not a protocol name (expected: a token such as websocket,"
                        + " without a version)"),
                problem("routes[0].upgrades[2]", "'web socket' is not a protocol name (expected: a token such as"
                        + " websocket, without a version)"),
                problem("routes[0].upgrades[3]", "h2c cannot be tunnelled: HTTP/2 is negotiated with Junction itself,"
                        + " not passed on"),
                problem("routes[0].upgrades[4]", "duplicate 'WebSocket' (also routes[0].upgrades[0])"),
                problem("routes[0].backends[1].maxTunnels", "must be >= 0, 0 for no limit of its own (was -1)"));
        assertThat(problemsOf(route("/api").upgrades(List.of()).build())).isEmpty();
    }

    @Test
    void normalisesAPrefixByRemovingTrailingSlashesButKeepsTheRoot() {
        assertThat(Validator.normalisePrefix("/api/")).isEqualTo("/api");
        assertThat(Validator.normalisePrefix("/api")).isEqualTo("/api");
        assertThat(Validator.normalisePrefix("/")).isEqualTo("/");
    }

    @Test
    void timeoutsMustBePositiveAndTheTotalMayBeZero() {
        TimeoutConfig bad = new TimeoutConfig(Duration.ZERO, Duration.ofMillis(-1), Duration.ZERO,
                Duration.ofSeconds(-2), Duration.ZERO);
        assertThat(problemsOf(route("/api").timeouts(bad).build())).containsExactly(
                problem("routes[0].timeouts.connect", "must be > 0 (was 0s)"),
                problem("routes[0].timeouts.response", "must be > 0 (was -1ms)"),
                problem("routes[0].timeouts.idle", "must be > 0 (was 0s)"),
                problem("routes[0].timeouts.tunnelIdle", "must be > 0 (was 0s)"),
                problem("routes[0].timeouts.total", "must be >= 0, 0 for no limit (was -2s)"));
        assertThat(problemsOf(route("/api").timeouts(TimeoutConfig.builder().total(Duration.ZERO).build()).build()))
                .isEmpty();
    }

    @Test
    void theClientNeedsConnectionsAndAnIdleTimeout() {
        JunctionConfig config = new JunctionConfig(List.of(route("/api").build()),
                new ClientConfig(0, Duration.ZERO), LimitsConfig.DEFAULT);
        assertThat(Validator.validate(config)).containsExactly(
                problem("client.maxConnectionsPerBackend", "must be > 0 (was 0)"),
                problem("client.idleTimeout", "must be > 0 (was 0s)"));
        assertThat(Validator.validate(new JunctionConfig(List.of(route("/api").build()),
                new ClientConfig(100_001, Duration.ofMinutes(2)), LimitsConfig.DEFAULT))).containsExactly(
                problem("client.maxConnectionsPerBackend", "must be <= 100000 (was 100001)"));
    }

    @Test
    void theHeaderLimitStaysBetweenOneKibibyteAndOneMebibyte() {
        for (int bytes : new int[] {1023, 1_048_577}) {
            assertThat(Validator.validate(new JunctionConfig(List.of(route("/api").build()), ClientConfig.DEFAULT,
                    LimitsConfig.DEFAULT.withMaxRequestHeaderBytes(bytes)))).containsExactly(problem("limits.maxRequestHeaderBytes",
                    "must be from 1024 to 1048576 (was " + bytes + ")"));
        }
    }

    @Test
    void backendsFromDnsNeedANameAndTheirLookupsSoundSettings() {
        assertThat(problemsOf(BackendConfig.builder().url("http://10.0.0.1:8080").resolve(BackendConfig.Resolve.DNS)
                .build())).containsExactly(problem("routes[0].backends[0].resolve", "dns needs a host name to look"
                        + " up, and 'http://10.0.0.1:8080' names an address"));
        assertThat(problemsOf(BackendConfig.of("dns+srv://_http._tcp.api.internal"))).isEmpty();
        assertThat(problemsOf(BackendConfig.builder().url("https://api.internal").resolve(BackendConfig.Resolve.DNS)
                .build())).containsExactly(problem("routes[0].backends[0].resolve", "an https:// backend from DNS"
                        + " needs the route's tls.serverName: requests go to its addresses, and the certificate is"
                        + " checked against that name"));
        assertThat(problemsOf(BackendConfig.of("dns+srv://_http._tcp.api.internal:8080/x"))).containsExactly(
                problem("routes[0].backends[0].url", "'dns+srv://_http._tcp.api.internal:8080/x' (expected:"
                        + " dns+srv:// and the name of SRV records, such as dns+srv://_http._tcp.api.internal; the"
                        + " records give ports, no port or path here)"));
        JunctionConfig config = new JunctionConfig(List.of(route("/api").build()), ClientConfig.builder()
                .dns(new DnsConfig(List.of("10.0.0.2", "127.0.0.1:5353", "a b:x"), Duration.ofSeconds(10),
                        Duration.ofSeconds(5), Duration.ZERO)).build(), LimitsConfig.DEFAULT, AdminConfig.DISABLED);
        assertThat(Validator.validate(config)).containsExactly(
                problem("client.dns.servers[2]", "'a b:x' (expected: a host or host:port, such as 10.0.0.2 or"
                        + " 127.0.0.1:5353)"),
                problem("client.dns.timeout", "must be > 0 (was 0s)"),
                problem("client.dns.maxTtl", "must be >= minTtl (10s; was 5s)"));
    }

    @Test
    void aScalingSignalWatchesSomethingItCanMeasure() {
        assertThat(problemsOf(route("/api").scaling(new ScalingConfig(true, 0, 0, 0, Duration.ZERO,
                Duration.ofSeconds(30), 0, null)).build())).containsExactly(problem("routes[0].scaling",
                        "watches nothing (expected: utilisationHigh, utilisationLow, queueHigh or latencyHigh)"));
        assertThat(problemsOf(route("/api").scaling(new ScalingConfig(true, 50, 60, 5, Duration.ZERO,
                Duration.ZERO, 0, "ftp://hook")).build())).containsExactly(
                        problem("routes[0].scaling.utilisationLow", "must be below utilisationHigh (50; was 60)"),
                        problem("routes[0].scaling.queueHigh", "needs the route's queue (routes[].queue)"),
                        problem("routes[0].scaling.sustain", "must be > 0 (was 0s)"),
                        problem("routes[0].scaling.capacityPerBackend", "needed: utilisation is requests in flight"
                                + " over capacity, and backend '10.0.0.1:8080' has no maxConcurrent"),
                        problem("routes[0].scaling.webhook", "'ftp://hook' (expected: an http:// or https:// URL)"));
        assertThat(problemsOf(route("/api").scaling(new ScalingConfig(true, 80, 20, 0, Duration.ofMillis(500),
                Duration.ofSeconds(30), 64, "https://autoscaler.internal/hook")).build())).isEmpty();
    }

    private static RouteConfig.Builder route(String prefix) {
        return RouteConfig.builder().prefix(prefix).backend("http://10.0.0.1:8080");
    }

    private static StrategyConfig consistentHash(String option, String value) {
        return StrategyConfig.of("consistent-hash", Map.of(option, value));
    }

    private static List<ConfigProblem> problemsOf(RouteConfig... routes) {
        return Validator.validate(new JunctionConfig(List.of(routes)));
    }

    /** The problems a Junction reports at start: the model's own, then the strategies and checks it names. */
    private static List<ConfigProblem> startProblems(RouteConfig... routes) {
        JunctionConfig config = new JunctionConfig(List.of(routes));
        List<ConfigProblem> problems = new java.util.ArrayList<>(Validator.validate(config));
        problems.addAll(Junction.builder().configCheck().problems(config));
        return problems;
    }

    private static List<ConfigProblem> problemsOf(BackendConfig backend) {
        return problemsOf(RouteConfig.builder().prefix("/api").backend(backend).build());
    }

    private static ConfigProblem problem(String path, String message) {
        return new ConfigProblem(path, message);
    }
}
