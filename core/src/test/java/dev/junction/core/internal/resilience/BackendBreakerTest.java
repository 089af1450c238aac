package dev.junction.core.internal.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.junction.core.config.BreakerConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.HealthListener;
import dev.junction.core.spi.Scheduler;
import dev.junction.core.spi.Ticker;
import dev.junction.core.status.BreakerMode;
import dev.junction.core.status.BreakerState;

/** The breaker's moves, with its open delay run by hand instead of by a clock. */
class BackendBreakerTest {

    private final List<Runnable> timers = new ArrayList<>();
    private final Scheduler scheduler = (task, delay, unit) -> {
        timers.add(task);
        return () -> timers.remove(task);
    };
    private final List<String> events = new CopyOnWriteArrayList<>();

    private BackendBreaker breaker(BreakerConfig config) {
        RouteConfig route = RouteConfig.builder().prefix("/").backend("http://a.test:8080").circuitBreaker(config)
                .build();
        BackendPool pool = BackendPool.of(route.backends(), Ticker.system());
        HealthListener listener = new HealthListener() {
            @Override
            public void breaker(String route, Backend backend, BreakerState state) {
                events.add(state.name());
            }
        };
        RouteResilience resilience = new RouteResilience(route, pool, scheduler, Ticker.system(), List.of(listener),
                Clock.systemUTC());
        resilience.start();
        return resilience.breaker(pool.all().get(0));
    }

    @Test
    void opensAfterFailuresInARowLetsItsTrialsThroughAfterTheDelayAndClosesOnSuccesses() {
        BackendBreaker breaker = breaker(BreakerConfig.builder().consecutiveFailures(3).delay(Duration.ofSeconds(30))
                .halfOpenTrials(3).successesToClose(2).build());
        breaker.failed("status 503");
        breaker.failed("status 503");
        breaker.succeeded();
        breaker.failed("status 503");
        breaker.failed("status 503");
        assertThat(breaker.state()).as("a success between breaks the run").isEqualTo(BreakerState.CLOSED);
        breaker.failed("status 502");
        assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
        assertThat(breaker.tryAcquire()).isFalse();
        assertThat(breaker.lastFailure()).isEqualTo("status 502");
        assertThat(breaker.halfOpenAt()).isNotNull();

        timers.forEach(Runnable::run);
        assertThat(breaker.state()).isEqualTo(BreakerState.HALF_OPEN);
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.tryAcquire()).as("three trials, no more").isFalse();
        breaker.succeeded();
        breaker.succeeded();
        assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(events).containsExactly("OPEN", "HALF_OPEN", "CLOSED");
    }

    @Test
    void aFailedOrAbandonedTrialOpensItAgain() {
        BackendBreaker breaker = breaker(BreakerConfig.builder().consecutiveFailures(1).halfOpenTrials(1).build());
        breaker.failed("refused");
        timers.forEach(Runnable::run);
        timers.clear();
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.abandoned();
        assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
        assertThat(timers).as("another delay").hasSize(1);
    }

    @Test
    void aFailureRateOverAWindowOpensItOnceThereAreEnoughCalls() {
        BackendBreaker breaker = breaker(BreakerConfig.builder().failureRatePercent(50).minimumCalls(10)
                .window(Duration.ofMinutes(1)).build());
        for (int i = 0; i < 4; i++) {
            breaker.failed("status 503");
            breaker.succeeded();
        }
        breaker.failed("status 503");
        assertThat(breaker.state()).as("nine calls: too few to judge").isEqualTo(BreakerState.CLOSED);
        breaker.succeeded();
        breaker.failed("status 503");
        assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
    }

    @Test
    void anOperatorHoldsItOpenOrClosedUntilHandedBack() {
        BackendBreaker breaker = breaker(BreakerConfig.builder().consecutiveFailures(1).build());
        breaker.forceOpen();
        assertThat(breaker.mode()).isEqualTo(BreakerMode.FORCED_OPEN);
        assertThat(breaker.tryAcquire()).isFalse();
        timers.forEach(Runnable::run);
        assertThat(breaker.state()).as("no trials while held open").isEqualTo(BreakerState.OPEN);

        breaker.forceClosed();
        breaker.failed("status 503");
        breaker.failed("status 503");
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.state()).as("failures do not count while held closed").isEqualTo(BreakerState.CLOSED);

        breaker.automatic();
        breaker.failed("status 503");
        assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
        assertThat(breaker.isFailure(503)).isTrue();
        assertThat(breaker.isFailure(500)).as("502-504 by default").isFalse();
    }

    @Test
    void anOperatorsCloseRacingAnAutomaticOpenLeavesTheBackendReachable() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 2000; round++) {
                BackendBreaker breaker = breaker(BreakerConfig.builder().consecutiveFailures(1)
                        .delay(Duration.ofMinutes(1)).build());
                CyclicBarrier start = new CyclicBarrier(2);
                Future<?> failure = threads.submit(() -> {
                    start.await();
                    breaker.failed("status 503");
                    return null;
                });
                Future<?> operator = threads.submit(() -> {
                    start.await();
                    breaker.forceClosed();
                    return null;
                });
                failure.get(5, TimeUnit.SECONDS);
                operator.get(5, TimeUnit.SECONDS);

                assertThat(breaker.mode()).isEqualTo(BreakerMode.FORCED_CLOSED);
                assertThat(breaker.tryAcquire()).isTrue();
                assertThat(breaker.backendState().breakerOpen()).as("round %d: held closed, yet marked open", round)
                        .isFalse();
                timers.clear();
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
