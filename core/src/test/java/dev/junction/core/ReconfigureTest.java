package dev.junction.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.junction.core.config.BreakerConfig;
import dev.junction.core.config.ClientConfig;
import dev.junction.core.config.ConfigChanges;
import dev.junction.core.config.ConfigException;
import dev.junction.core.config.ConfigSource;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.config.ScalingConfig;
import dev.junction.core.config.TimeoutConfig;
import dev.junction.core.config.YamlConfigLoader;
import dev.junction.core.http.Fields;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.BackendRequest;
import dev.junction.core.spi.RequestHead;
import dev.junction.core.spi.ResponseListener;
import dev.junction.core.spi.Transport;
import dev.junction.core.status.BreakerMode;
import dev.junction.core.status.BreakerState;
import dev.junction.core.status.ConfigStatus;
import dev.junction.core.status.ScalingState;
import dev.junction.core.status.ScalingStatus;

/**
 * {@link Junction#reconfigure} and {@link Junction#reload}: what a new configuration keeps, builds again and lets go
 * of, seen from the routes' handles. Requests through real servers are the adapters' suites' ({@code ReloadSuite}).
 */
class ReconfigureTest {

    /** A transport no request reaches here; it remembers the origins it was told to let go of. */
    private static final class Origins implements Transport {

        final Set<URI> released = ConcurrentHashMap.newKeySet();

        @Override
        public void start() {
        }

        @Override
        public void stop() {
        }

        @Override
        public Exchange send(BackendRequest request, ResponseListener listener) {
            throw new AssertionError("no request is sent in this test");
        }

        @Override
        public void release(URI origin) {
            released.add(origin);
        }
    }

    private final Origins transport = new Origins();
    private @Nullable Junction junction;

    @TempDir
    Path directory;

    @AfterEach
    void close() {
        if (junction != null) {
            junction.close();
        }
    }

    private Junction start(JunctionConfig config) {
        junction = Junction.builder().transport(transport).build(config).start();
        return junction;
    }

    private static RouteConfig.Builder api(String... backends) {
        RouteConfig.Builder route = RouteConfig.builder().name("api").prefix("/api")
                .circuitBreaker(BreakerConfig.builder().consecutiveFailures(3).build());
        for (String backend : backends) {
            route.backend(backend);
        }
        return route;
    }

    private static JunctionConfig config(RouteConfig... routes) {
        JunctionConfig.Builder config = JunctionConfig.builder();
        for (RouteConfig route : routes) {
            config.route(route);
        }
        return config.build();
    }

    private static RequestHead get(String path) {
        return new RequestHead() {
            @Override
            public String method() {
                return "GET";
            }

            @Override
            public String rawPath() {
                return path;
            }

            @Override
            public @Nullable String rawQuery() {
                return null;
            }

            @Override
            public Fields requestHeaders() {
                return new Fields().add("Host", "example.com");
            }

            @Override
            public String clientAddress() {
                return "127.0.0.1";
            }
        };
    }

    @Test
    void aChangeOfBackendsAloneKeepsTheRouteAndTheStateOfTheBackendsThatStay() {
        Junction junction = start(config(api("http://10.0.0.1:8080", "http://10.0.0.2:8080").build()));
        Route route = junction.route("api");
        BackendPool pool = route.pool();
        Backend staying = pool.get("10.0.0.1:8080");
        Breaker breaker = route.breaker(staying);
        breaker.forceOpen();
        Match match = junction.match(get("/api/x"));

        ConfigChanges changes = junction.reconfigure(config(api("http://10.0.0.1:8080", "http://10.0.0.3:8080")
                .build()));

        assertThat(changes.backendsAdded()).containsExactly("api/10.0.0.3:8080");
        assertThat(changes.backendsRemoved()).containsExactly("api/10.0.0.2:8080");
        assertThat(changes.routesChanged()).isEmpty();
        assertThat(junction.route("api")).isSameAs(route);
        assertThat(route.pool()).isSameAs(pool);
        assertThat(pool.get("10.0.0.1:8080")).isSameAs(staying);
        assertThat(route.breaker(staying).mode()).as("the breaker an operator held open stays so")
                .isEqualTo(BreakerMode.FORCED_OPEN);
        assertThat(junction.match(get("/api/x"))).as("the route was not built again").isSameAs(match);
        assertThat(junction.config().routes().get(0).backends()).hasSize(2);
        assertThat(junction.configStatus().generation()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> transport.released.contains(URI.create("http://10.0.0.2:8080")));
    }

    @Test
    void aRouteWhoseSettingsChangedIsBuiltAgainKeepingWhatTheChangeDidNotTouch() {
        Junction junction = start(config(api("http://10.0.0.1:8080").build()));
        Route route = junction.route("api");
        Backend backend = route.pool().get("10.0.0.1:8080");
        route.breaker(backend).forceOpen();
        Match before = junction.match(get("/api/x"));

        ConfigChanges changes = junction.reconfigure(config(api("http://10.0.0.1:8080")
                .timeouts(TimeoutConfig.builder().response(Duration.ofSeconds(7)).build()).build()));

        assertThat(changes.routesChanged()).containsExactly("api");
        Match after = junction.match(get("/api/x"));
        assertThat(after).isNotSameAs(before);
        assertThat(after.route()).as("the handle stays, reading the route as it is now").isSameAs(route);
        assertThat(route.config().timeouts().response()).isEqualTo(Duration.ofSeconds(7));
        assertThat(route.pool().get("10.0.0.1:8080")).isSameAs(backend);
        assertThat(route.breaker(backend).state()).as("unchanged breaker settings: the same breaker")
                .isEqualTo(BreakerState.OPEN);
        assertThat(backend.isAvailable()).isFalse();
    }

    @Test
    void changedBreakerSettingsStartTheBreakersAfreshAndLetGoOfTheirBackends() {
        Junction junction = start(config(api("http://10.0.0.1:8080").build()));
        Route route = junction.route("api");
        Backend backend = route.pool().get("10.0.0.1:8080");
        route.breaker(backend).forceOpen();
        assertThat(backend.isAvailable()).isFalse();

        junction.reconfigure(config(api("http://10.0.0.1:8080")
                .circuitBreaker(BreakerConfig.builder().consecutiveFailures(10).build()).build()));

        assertThat(route.breaker(backend).state()).isEqualTo(BreakerState.CLOSED);
        assertThat(route.breaker(backend).mode()).isEqualTo(BreakerMode.AUTOMATIC);
        assertThat(backend.isAvailable()).isTrue();
    }

    @Test
    void routesComeAndGoByName() {
        Junction junction = start(config(api("http://10.0.0.1:8080").build()));

        ConfigChanges changes = junction.reconfigure(config(RouteConfig.builder().name("web").prefix("/")
                .backend("http://10.0.0.9:8080").build()));

        assertThat(changes.routesAdded()).containsExactly("web");
        assertThat(changes.routesRemoved()).containsExactly("api");
        assertThat(junction.route("api")).isNull();
        assertThat(junction.routes()).extracting(Route::name).containsExactly("web");
        assertThat(junction.match(get("/api/x")).route().name()).isEqualTo("web");
        assertThat(changes.toString()).isEqualTo("routes added [web], routes removed [api]");
    }

    @Test
    void anInvalidConfigurationIsRefusedWithEveryProblemAndNothingChanges() {
        Junction junction = start(config(api("http://10.0.0.1:8080").build()));
        JunctionConfig running = junction.config();
        JunctionConfig invalid = new JunctionConfig(List.of(api("ftp://10.0.0.1").build(),
                RouteConfig.builder().name("api").prefix("/other").backend("http://10.0.0.2:8080").build()),
                ClientConfig.builder().maxConnectionsPerBackend(3).build(), running.limits(), running.admin(),
                running.accessLog(), running.sharedLimits());

        assertThatThrownBy(() -> junction.reconfigure(invalid)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).extracting(p -> p.path())
                        .contains("routes[0].backends[0].url", "routes[1].name"));
        JunctionConfig startOnly = new JunctionConfig(running.routes(),
                ClientConfig.builder().maxConnectionsPerBackend(3).build(), running.limits(), running.admin(),
                running.accessLog(), running.sharedLimits());
        assertThatThrownBy(() -> junction.reconfigure(startOnly)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("client: changed, and it takes effect only when Junction starts");

        assertThat(junction.config()).isSameAs(running);
        ConfigStatus status = junction.configStatus();
        assertThat(status.generation()).isEqualTo(1);
        assertThat(status.lastReload().outcome()).isEqualTo(ConfigStatus.Outcome.REJECTED);
        assertThat(status.lastReload().trigger()).isEqualTo("api");
    }

    @Test
    void aJunctionWithoutASourceHasNothingToReload() {
        Junction junction = start(config(api("http://10.0.0.1:8080").build()));

        assertThatThrownBy(junction::reload).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no configuration source");
    }

    @Test
    void aWatchedFileIsReloadedWhenItsContentChanges() throws Exception {
        Path file = directory.resolve("junction.yaml");
        Files.writeString(file, "routes:\n  - {name: api, prefix: /api, backends: ['http://10.0.0.1:8080']}\n");
        Junction.Builder builder = Junction.builder().transport(transport).configSource(ConfigSource.yaml(file))
                .watchConfig(Duration.ofMillis(100));
        junction = builder.build(YamlConfigLoader.load(file, builder.configCheck())).start();

        Files.writeString(file, "routes:\n  - {name: api, prefix: /api, backends: ['http://10.0.0.1:8080',"
                + " 'http://10.0.0.2:8080']}\n");

        // The pool changes within the reload, the attempt is recorded as it ends: both are awaited.
        await().atMost(Duration.ofSeconds(5)).until(() -> junction.route("api").pool().all().size() == 2
                && junction.configStatus().lastReload() != null);
        ConfigStatus status = junction.configStatus();
        assertThat(status.source()).isEqualTo(file.toString());
        assertThat(status.lastReload().trigger()).isEqualTo("file changed");
        assertThat(status.lastReload().changes()).isEqualTo("backends added [api/10.0.0.2:8080]");

        Files.writeString(file, "routes: [{name: api}]\n");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> junction.configStatus().lastReload().outcome() == ConfigStatus.Outcome.REJECTED);
        assertThat(junction.route("api").pool().all()).hasSize(2);
    }

    @Test
    void aScalingSignalHeldLongEnoughIsToldToTheListenersAndKeptAcrossAReconfiguration() {
        List<ScalingStatus> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        RouteConfig idle = api("http://10.0.0.1:8080").scaling(new ScalingConfig(true, 0, 10, 0, Duration.ZERO,
                Duration.ofMillis(300), 100, null)).build();
        junction = Junction.builder().transport(transport).scalingListener(told::add).build(config(idle)).start();

        await().atMost(Duration.ofSeconds(5)).until(() -> told.size() == 1);
        assertThat(told.get(0).state()).isEqualTo(ScalingState.DOWN);
        assertThat(told.get(0).reason()).isEqualTo("utilisation 0% at or below 10% with nothing queued for 300 ms");

        junction.reconfigure(config(api("http://10.0.0.1:8080", "http://10.0.0.2:8080")
                .scaling(idle.scaling()).timeouts(TimeoutConfig.builder().response(Duration.ofSeconds(9)).build())
                .build()));

        assertThat(junction.status().get(0).scaling().state()).as("the same watch, its signal kept")
                .isEqualTo(ScalingState.DOWN);
        assertThat(told).hasSize(1);
    }
}
