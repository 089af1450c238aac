package dev.junction.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.internal.FakeTicker;
import dev.junction.core.internal.LiveState;
import dev.junction.core.internal.health.HealthTracker;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Availability;
import dev.junction.core.spi.Backend;
import dev.junction.core.status.BackendStatus;
import dev.junction.core.status.Reason;
import dev.junction.core.status.RouteStatus;
import dev.junction.core.status.StatusJson;

class StatusesTest {

    private final BackendPool pool = BackendPool.of(RouteConfig.builder().name("api").prefix("/api")
            .backend("http://10.0.0.1:8080")
            .backend(BackendConfig.builder().url("http://10.0.0.2:8080").disabled(true).build())
            .backend(BackendConfig.builder().url("http://10.0.0.3:8080").maxConcurrent(1).build())
            .build().backends(), new FakeTicker());

    private Backend backend(int index) {
        return pool.all().get(index);
    }

    @Test
    void eachReasonIsExplainedInTheOrderAvailabilityIsDecided() {
        HealthTracker tracker = new HealthTracker(2, 1, true, Clock.systemUTC());
        assertThat(Statuses.of(backend(0), tracker, null, false, null).reason()).isEqualTo(Reason.AVAILABLE);

        tracker.failed(2_000_000, "status 503 (expected 200-399)");
        LiveState.of(backend(0)).availability(Availability.UNHEALTHY);
        BackendStatus unhealthy = Statuses.of(backend(0), tracker, null, false, null);
        assertThat(unhealthy.available()).isFalse();
        assertThat(unhealthy.reason()).isEqualTo(Reason.UNHEALTHY);
        assertThat(unhealthy.explanation()).isEqualTo("failed its active health check: status 503 (expected 200-399)");
        assertThat(unhealthy.lastCheckError()).isEqualTo("status 503 (expected 200-399)");
        assertThat(unhealthy.consecutiveCheckFailures()).isEqualTo(1);
        assertThat(unhealthy.averageCheckMillis()).isEqualTo(2.0);

        assertThat(Statuses.of(backend(1), null, null, false, null).explanation()).isEqualTo("disabled by an operator");

        Instant until = Instant.parse("2026-11-28T12:00:30Z");
        LiveState.of(backend(2)).ejected(true);
        assertThat(Statuses.of(backend(2), null, until, false, null).explanation())
                .isEqualTo("ejected by outlier detection until 2026-11-28T12:00:30Z");
        LiveState.of(backend(2)).ejected(false);
        LiveState.of(backend(2)).breakerOpen(true);
        assertThat(Statuses.of(backend(2), null, null, false, null).reason()).isEqualTo(Reason.BREAKER_OPEN);
        LiveState.of(backend(2)).breakerOpen(false);
        LiveState.of(backend(2)).tryAcquire(1);
        assertThat(Statuses.of(backend(2), null, null, false, null).reason()).isEqualTo(Reason.AT_CAPACITY);

        HealthTracker waiting = new HealthTracker(2, 3, false, Clock.systemUTC());
        assertThat(Statuses.of(backend(0), waiting, null, false, null).explanation())
                .isEqualTo("waiting for its first active health check");
    }

    @Test
    void theJsonFormCarriesEveryField() throws Exception {
        LiveState.of(backend(0)).availability(Availability.HEALTHY);
        RouteStatus status = new RouteStatus("api", "/api", "round-robin", false, 12, 3, 45.5, null, null, null, null,
                List.of(Statuses.of(backend(0), null, null, true, null),
                        Statuses.of(backend(1), null, null, false, null)), null);
        JsonNode json = new ObjectMapper().readTree(StatusJson.write(List.of(status)));
        JsonNode first = json.path("routes").path(0);
        assertThat(first.path("name").asText()).isEqualTo("api");
        assertThat(first.path("panicking").asBoolean()).isFalse();
        assertThat(first.path("requests").asLong()).isEqualTo(12);
        assertThat(first.path("errors").asLong()).isEqualTo(3);
        assertThat(first.path("totalTimeMillis").asDouble()).isEqualTo(45.5);
        // A route with breakers: closed and automatic before the backend's first request; without: none.
        assertThat(first.path("backends").path(0).path("breaker").asText()).isEqualTo("CLOSED");
        assertThat(first.path("backends").path(0).path("breakerMode").asText()).isEqualTo("AUTOMATIC");
        assertThat(first.path("backends").path(1).path("breaker").isNull()).isTrue();
        assertThat(first.path("backends").path(0).path("reason").asText()).isEqualTo("AVAILABLE");
        assertThat(first.path("backends").path(1).path("reason").asText()).isEqualTo("DISABLED");
        assertThat(first.path("backends").path(1).path("lastCheck").isNull()).isTrue();
        assertThat(first.path("backends").path(0).path("url").asText()).isEqualTo("http://10.0.0.1:8080");
    }
}
