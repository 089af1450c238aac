package dev.junction.core.internal.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.junction.core.config.OutlierDetectionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.internal.FakeTicker;
import dev.junction.core.internal.LiveState;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.HealthListener;
import dev.junction.core.spi.Scheduler;

class OutlierDetectorTest {

    private final FakeTicker ticker = new FakeTicker();
    private final List<String> events = new ArrayList<>();
    /** Scheduled ends of ejections, run by hand. */
    private final List<Runnable> pending = new ArrayList<>();
    private final List<Duration> delays = new ArrayList<>();

    /** A route's definition and its pool. */
    private record Route(RouteConfig config, BackendPool pool) {
    }

    private OutlierDetector detector(Route route) {
        OutlierDetector detector = new OutlierDetector(route.config(), route.pool(), List.of(new HealthListener() {
            @Override
            public void ejected(String r, Backend backend, String reason, Duration duration) {
                events.add(backend.id() + " ejected " + duration.toSeconds() + "s: " + reason);
            }

            @Override
            public void restored(String r, Backend backend) {
                events.add(backend.id() + " restored");
            }
        }), ticker, Clock.systemUTC());
        Scheduler byHand = (task, delay, unit) -> {
            pending.add(task);
            delays.add(Duration.ofNanos(unit.toNanos(delay)));
            return () -> pending.remove(task);
        };
        detector.start(byHand);
        return detector;
    }

    private Route route(int backends, OutlierDetectionConfig config) {
        RouteConfig.Builder route = RouteConfig.builder().name("api").prefix("/").outlierDetection(config);
        for (int i = 1; i <= backends; i++) {
            route.backend("http://10.0.0." + i + ":8080");
        }
        RouteConfig built = route.build();
        return new Route(built, BackendPool.of(built.backends(), ticker));
    }

    private void endEjections() {
        List<Runnable> due = new ArrayList<>(pending);
        pending.clear();
        due.forEach(Runnable::run);
    }

    @Test
    void aBackendUpdatedWhileEjectedKeepsItsEjectionAndItsRecord() {
        Route route = route(3, OutlierDetectionConfig.builder().consecutive5xx(1).build());
        OutlierDetector detector = detector(route);
        Backend a = route.pool().all().get(0);

        detector.responseFailed(a, "status 503");
        Backend updated = route.pool().update(a.config().toBuilder().weight(5).build());
        assertThat(updated).isNotSameAs(a);
        assertThat(detector.ejectedUntil(updated)).as("ejected, as the pool's new object sees it").isNotNull();
        endEjections();
        assertThat(detector.ejectedUntil(updated)).isNull();
        detector.responseFailed(updated, "status 503");

        // The second ejection doubles the first: the record carried over the update.
        assertThat(delays).containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(60));
        assertThat(events).containsExactly(
                "10.0.0.1:8080 ejected 30s: 1 failed responses in a row, the last: status 503",
                "10.0.0.1:8080 restored",
                "10.0.0.1:8080 ejected 60s: 1 failed responses in a row, the last: status 503");
    }

    @Test
    void failedResponsesInARowEjectForTheBaseTimeAndASuccessStartsTheCountAgain() {
        Route route = route(2, OutlierDetectionConfig.builder().consecutive5xx(3).build());
        OutlierDetector detector = detector(route);
        Backend a = route.pool().all().get(0);

        detector.responseFailed(a, "status 503");
        detector.responseFailed(a, "status 503");
        detector.succeeded(a);
        detector.responseFailed(a, "status 503");
        detector.responseFailed(a, "status 502");
        assertThat(a.isAvailable()).isTrue();
        detector.responseFailed(a, "status 500");

        assertThat(a.isAvailable()).isFalse();
        assertThat(events).containsExactly(
                "10.0.0.1:8080 ejected 30s: 3 failed responses in a row, the last: status 500");
        assertThat(delays).containsExactly(Duration.ofSeconds(30));
        endEjections();
        assertThat(a.isAvailable()).isTrue();
        assertThat(events).last().isEqualTo("10.0.0.1:8080 restored");
    }

    @Test
    void eachEjectionLastsLongerUpToTheMaximumAndTheCountStartsAgainAfterAQuietMaximum() {
        Route route = route(2, OutlierDetectionConfig.builder().consecutiveConnectFailures(1)
                .baseEjectionTime(Duration.ofSeconds(10)).maxEjectionTime(Duration.ofSeconds(25)).build());
        OutlierDetector detector = detector(route);
        Backend a = route.pool().all().get(0);
        for (int i = 0; i < 4; i++) {
            detector.connectFailed(a, "refused");
            endEjections();
        }
        assertThat(delays).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(25),
                Duration.ofSeconds(25));

        ticker.advance(Duration.ofSeconds(26));
        detector.connectFailed(a, "refused");
        assertThat(delays).last().isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void noMoreThanTheMaximumShareIsEjectedAtOnce() {
        Route route = route(4, OutlierDetectionConfig.builder().consecutive5xx(1).maxEjectionPercent(50).build());
        OutlierDetector detector = detector(route);
        for (Backend backend : route.pool().all()) {
            detector.responseFailed(backend, "status 503");
        }
        assertThat(route.pool().all()).filteredOn(Backend::isAvailable).hasSize(2);

        Route single = route(1, OutlierDetectionConfig.builder().consecutive5xx(1).build());
        OutlierDetector alone = detector(single);
        alone.responseFailed(single.pool().all().get(0), "status 503");
        assertThat(single.pool().all().get(0).isAvailable()).as("50% of one backend is none").isTrue();
    }

    @Test
    void connectFailuresAndFailedResponsesAreCountedApart() {
        Route route = route(2, OutlierDetectionConfig.builder().consecutive5xx(2).consecutiveConnectFailures(2)
                .build());
        OutlierDetector detector = detector(route);
        Backend a = route.pool().all().get(0);
        detector.connectFailed(a, "refused");
        detector.responseFailed(a, "status 503");
        detector.connectFailed(a, "refused");
        assertThat(a.isAvailable()).as("a response in between starts the connect count again").isTrue();
        detector.connectFailed(a, "refused");
        assertThat(a.isAvailable()).isFalse();
    }

    @Test
    void aBackendMuchSlowerThanTheMedianIsEjectedOnceASecondAtMost() {
        Route route = route(4, OutlierDetectionConfig.builder().consecutive5xx(0).consecutiveConnectFailures(0)
                .latencyPercentOfMedian(300).build());
        OutlierDetector detector = detector(route);
        List<Backend> all = route.pool().all();
        LiveState.of(all.get(0)).recordResponseTime(10_000_000);
        LiveState.of(all.get(1)).recordResponseTime(12_000_000);
        LiveState.of(all.get(2)).recordResponseTime(11_000_000);
        detector.succeeded(all.get(0));
        assertThat(events).as("three measured, none slow").isEmpty();

        LiveState.of(all.get(3)).recordResponseTime(40_000_000);
        ticker.advance(Duration.ofMillis(500));
        detector.succeeded(all.get(0));
        assertThat(events).as("within a second of the last look").isEmpty();
        ticker.advance(Duration.ofMillis(600));
        detector.succeeded(all.get(0));
        assertThat(events).containsExactly("10.0.0.4:8080 ejected 30s: response time 40.0 ms, above 300% of the"
                + " route's median 11.5 ms");
    }

    @Test
    void aRouteWithoutDetectionNeverEjects() {
        Route route = route(2, OutlierDetectionConfig.NONE);
        OutlierDetector detector = detector(route);
        for (int i = 0; i < 100; i++) {
            detector.responseFailed(route.pool().all().get(0), "status 503");
        }
        assertThat(route.pool().all().get(0).isAvailable()).isTrue();
        assertThat(events).isEmpty();
    }
}
