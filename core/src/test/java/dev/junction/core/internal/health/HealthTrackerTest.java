package dev.junction.core.internal.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class HealthTrackerTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private final HealthTracker tracker = new HealthTracker(2, 3, true, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aBackendLeavesAfterTheUnhealthyThresholdOfFailuresInARow() {
        assertThat(tracker.failed(1_000, "status 503")).isEqualTo(HealthTracker.Change.NONE);
        assertThat(tracker.failed(1_000, "status 503")).isEqualTo(HealthTracker.Change.NONE);
        assertThat(tracker.healthy()).isTrue();
        assertThat(tracker.failed(1_000, "timeout")).isEqualTo(HealthTracker.Change.BECAME_UNHEALTHY);
        assertThat(tracker.healthy()).isFalse();
        assertThat(tracker.lastError()).isEqualTo("timeout");
        assertThat(tracker.failed(1_000, "timeout")).isEqualTo(HealthTracker.Change.NONE);
    }

    @Test
    void aPassedCheckStartsTheFailureCountAgain() {
        tracker.failed(1_000, "x");
        tracker.failed(1_000, "x");
        tracker.passed(1_000);
        tracker.failed(1_000, "x");
        tracker.failed(1_000, "x");
        assertThat(tracker.healthy()).isTrue();
        assertThat(tracker.consecutiveFailures()).isEqualTo(2);
    }

    @Test
    void anUnhealthyBackendComesBackAfterTheHealthyThresholdOfPassesInARow() {
        for (int i = 0; i < 3; i++) {
            tracker.failed(1_000, "x");
        }
        assertThat(tracker.passed(1_000)).isEqualTo(HealthTracker.Change.NONE);
        assertThat(tracker.failed(1_000, "x")).isEqualTo(HealthTracker.Change.NONE);
        assertThat(tracker.passed(1_000)).isEqualTo(HealthTracker.Change.NONE);
        assertThat(tracker.passed(3_000)).isEqualTo(HealthTracker.Change.BECAME_HEALTHY);
        assertThat(tracker.healthy()).isTrue();
        assertThat(tracker.consecutiveSuccesses()).isEqualTo(2);
        assertThat(tracker.lastCheck()).isEqualTo(NOW);
        assertThat(tracker.averageLatencyNanos()).isEqualTo((6 * 1_000 + 3_000) / 7);
    }

    @Test
    void anUncheckedBackendIsHealthyAfterItsFirstPassButWaitsForTheThresholdAfterAFailure() {
        HealthTracker passing = new HealthTracker(3, 3, false, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(passing.healthy()).isFalse();
        assertThat(passing.checked()).isFalse();
        assertThat(passing.passed(1_000)).isEqualTo(HealthTracker.Change.BECAME_HEALTHY);

        HealthTracker failing = new HealthTracker(3, 3, false, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(failing.failed(1_000, "refused")).isEqualTo(HealthTracker.Change.NONE);
        assertThat(failing.checked()).isTrue();
        assertThat(failing.passed(1_000)).isEqualTo(HealthTracker.Change.NONE);
        assertThat(failing.passed(1_000)).isEqualTo(HealthTracker.Change.NONE);
        assertThat(failing.passed(1_000)).isEqualTo(HealthTracker.Change.BECAME_HEALTHY);
    }

    @Test
    void thresholdsBelowOneAreRefused() {
        assertThatThrownBy(() -> new HealthTracker(0, 3, true, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
