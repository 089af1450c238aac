package dev.junction.core.internal.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.HealthCheckConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.internal.FakeTicker;
import dev.junction.core.internal.ManualScheduler;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Availability;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.HealthCheck;
import dev.junction.core.spi.HealthCheckResult;
import dev.junction.core.spi.HealthListener;

/**
 * The checker's bookkeeping, driven by a check of one's own that answers what the test says, on a hand-driven clock:
 * a check that never answers times out when the test moves time past its timeout.
 */
class ActiveHealthCheckerTest {

    /** Healthy unless the test marked the backend's id otherwise; never answers for ids marked "hang". */
    private final Map<String, String> verdicts = new ConcurrentHashMap<>();
    private final List<String> checked = new CopyOnWriteArrayList<>();
    /** The checks that never answer, as they were handed to the checker. */
    private final List<CompletableFuture<HealthCheckResult>> hanging = new CopyOnWriteArrayList<>();
    private final HealthCheck check = (backend, config) -> {
        checked.add(backend.id());
        String verdict = verdicts.getOrDefault(backend.id(), "ok");
        return switch (verdict) {
            case "ok" -> CompletableFuture.completedFuture(HealthCheckResult.healthy("ok"));
            case "hang" -> {
                CompletableFuture<HealthCheckResult> never = new CompletableFuture<>();
                hanging.add(never);
                yield never;
            }
            case "throw" -> throw new IllegalStateException("probe broke");
            default -> CompletableFuture.completedFuture(HealthCheckResult.unhealthy(verdict));
        };
    };
    private final FakeTicker ticker = new FakeTicker();
    private final ManualScheduler scheduler = new ManualScheduler(ticker);
    /** The checks of one's own the configurations name. */
    private final Map<String, HealthCheck> named = new ConcurrentHashMap<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private ActiveHealthChecker checker;

    @BeforeEach
    void nameTheChecks() {
        named.put("route-check", check);
    }

    @AfterEach
    void stop() throws Exception {
        if (checker != null) {
            checker.stop();
        }
    }

    /** A route's pool. */
    private record Route(BackendPool pool) {
    }

    private Route route(HealthCheckConfig.Builder healthCheck, BackendConfig... backends) throws Exception {
        RouteConfig.Builder route = RouteConfig.builder().prefix("/").healthCheck(healthCheck.check("route-check")
                .interval(Duration.ofHours(1)).timeout(Duration.ofMillis(200)).healthyThreshold(1)
                .unhealthyThreshold(1).build());
        for (BackendConfig backend : backends) {
            route.backend(backend);
        }
        RouteConfig config = route.build();
        BackendPool pool = BackendPool.of(config.backends(), ticker);
        checker = new ActiveHealthChecker((of, check) -> named.get(check.check()), ticker, Clock.systemUTC(),
                List.of(new HealthListener() {
                    @Override
                    public void healthy(String route, Backend backend) {
                        events.add(backend.id() + " healthy");
                    }

                    @Override
                    public void unhealthy(String route, Backend backend, String reason) {
                        events.add(backend.id() + " unhealthy: " + reason);
                    }
                }));
        checker.add(config, pool);
        checker.start(scheduler);
        // The checks that never answer time out.
        scheduler.advance(Duration.ofMillis(200));
        return new Route(pool);
    }

    private static BackendConfig backend(String id) {
        return BackendConfig.builder().id(id).url("http://" + id + ".test:8080").build();
    }

    @Test
    void aBackendAddedLaterIsCheckedBeforeItTakesTrafficAndOneRemovedIsNoLongerChecked() throws Exception {
        Route route = route(HealthCheckConfig.builder(), backend("a"));
        assertThat(checked).containsExactly("a");

        verdicts.put("b", "status 503");
        Backend b = route.pool().add(backend("b"));
        assertThat(checked).as("checked as it is added").contains("b");
        assertThat(b.state().availability()).isEqualTo(Availability.UNHEALTHY);
        assertThat(checker.tracker(b).lastError()).isEqualTo("status 503");

        verdicts.remove("b");
        assertThat(checker.checkNow()).isDone();
        assertThat(b.isAvailable()).isTrue();
        assertThat(events).containsExactly("a healthy", "b healthy");

        route.pool().remove("b");
        checked.clear();
        assertThat(checker.checkNow()).isDone();
        assertThat(checked).containsExactly("a");
        assertThat(checker.tracker(b)).isNull();
    }

    @Test
    void aBackendUpdatedWithoutChecksTakesTrafficAgain() throws Exception {
        verdicts.put("a", "down");
        Route route = route(HealthCheckConfig.builder(), backend("a"), backend("b"));
        Backend a = route.pool().get("a");
        assertThat(a.isAvailable()).isFalse();

        Backend updated = route.pool().update(backend("a").toBuilder().healthCheck(HealthCheckConfig.NONE).build());
        assertThat(updated.isAvailable()).isTrue();
        assertThat(checker.tracker(updated)).isNull();
        assertThat(events).endsWith("a healthy");
    }

    @Test
    void checksAskedForWhileOneIsInFlightWaitForItRatherThanOverlap() throws Exception {
        verdicts.put("slow", "hang");
        route(HealthCheckConfig.builder(), backend("slow"));
        assertThat(checked).hasSize(1);
        CompletableFuture<Void> first = checker.checkNow();
        CompletableFuture<Void> second = checker.checkNow();
        assertThat(checked).as("the second asked while the first is in flight").hasSize(2);
        assertThat(second).as("waits for the first").isNotDone();
        scheduler.advance(Duration.ofMillis(200));
        assertThat(first).isDone();
        assertThat(second).isDone();
        CompletableFuture<Void> third = checker.checkNow();
        assertThat(checked).as("once the first has ended, a new one").hasSize(3);
        scheduler.advance(Duration.ofMillis(200));
        assertThat(third).isDone();
    }

    @Test
    void aDrainedBackendStaysDrainedWhateverItsChecksSay() throws Exception {
        Route route = route(HealthCheckConfig.builder(), backend("a"));
        Backend a = route.pool().get("a");
        route.pool().availability("a", Availability.DRAINING);

        verdicts.put("a", "down");
        checker.checkNow();
        assertThat(a.state().availability()).isEqualTo(Availability.DRAINING);
        verdicts.put("a", "ok");
        checker.checkNow();
        assertThat(a.state().availability()).isEqualTo(Availability.DRAINING);

        route.pool().availability("a", Availability.HEALTHY);
        verdicts.put("a", "down");
        checker.checkNow();
        assertThat(a.state().availability()).isEqualTo(Availability.UNHEALTHY);
    }

    @Test
    void aCheckThatNeverAnswersOrThrowsFails() throws Exception {
        verdicts.put("slow", "hang");
        verdicts.put("broken", "throw");
        Route route = route(HealthCheckConfig.builder(), backend("slow"), backend("broken"));
        assertThat(checker.tracker(route.pool().get("slow")).lastError()).isEqualTo("no answer within 200 ms");
        assertThat(checker.tracker(route.pool().get("broken")).lastError())
                .isEqualTo("IllegalStateException: probe broke");
        assertThat(route.pool().available()).isEmpty();
        assertThat(hanging).as("the check past its timeout is cancelled, so it stops").singleElement()
                .satisfies(check -> assertThat(check).isCancelled());
    }

    @Test
    void aBackendsOwnCheckReplacesItsRoutes() throws Exception {
        named.put("own", (backend, config) -> CompletableFuture.completedFuture(
                HealthCheckResult.unhealthy("own check on port " + config.port()).withLatency(Duration.ofMillis(7))));
        Route route = route(HealthCheckConfig.builder(), backend("a"), backend("b").toBuilder()
                .healthCheck(HealthCheckConfig.builder().check("own").port(9000).build()).build());
        Backend b = route.pool().get("b");
        assertThat(checked).containsExactly("a");
        assertThat(checker.tracker(b).lastError()).isEqualTo("own check on port 9000");
        assertThat(checker.tracker(b).averageLatencyNanos()).isEqualTo(Duration.ofMillis(7).toNanos());
    }
}
