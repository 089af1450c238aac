package dev.junction.core.internal.balance;

import static dev.junction.core.internal.balance.TestPools.backend;
import static dev.junction.core.internal.balance.TestPools.pool;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.SlowStartConfig;
import dev.junction.core.config.WhenAllDown;
import dev.junction.core.config.ZoneAwareConfig;
import dev.junction.core.internal.LiveState;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Availability;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.SelectionContext;
import dev.junction.core.spi.Ticker;

class RouteBalancerTest {

    @Test
    void backupsServeOnlyWhileNoPrimaryIsAvailable() {
        BackendPool pool = pool("a", "b", "x:1:backup", "y:1:backup");
        RouteBalancer balancer = new RouteBalancer(pool, BuiltIns.roundRobin(), WhenAllDown.FAIL);
        assertThat(ids(balancer, 4)).isEqualTo("abab");
        LiveState.of(pool.get("a")).availability(Availability.UNHEALTHY);
        assertThat(ids(balancer, 2)).isEqualTo("bb");
        LiveState.of(pool.get("b")).availability(Availability.DRAINING);
        assertThat(ids(balancer, 4)).isEqualTo("xyxy");
        LiveState.of(pool.get("a")).availability(Availability.HEALTHY);
        assertThat(ids(balancer, 2)).isEqualTo("aa");
    }

    @Test
    void failFastReturnsNothingWhenAllAreDown() {
        BackendPool pool = pool("a", "b", "x:1:backup");
        pool.all().forEach(backend -> LiveState.of(backend).availability(Availability.UNHEALTHY));
        RouteBalancer balancer = new RouteBalancer(pool, BuiltIns.leastConnections(), WhenAllDown.FAIL);
        assertThat(balancer.select(SelectionContext.EMPTY)).isNull();
    }

    @Test
    void panicUsesEveryPrimaryNotDisabledWhenAllAreDown() {
        BackendPool pool = BackendPool.of(java.util.List.of(backend("a"), backend("b"),
                backend("c").toBuilder().disabled(true).build(), backend("x:1:backup")),
                dev.junction.core.spi.Ticker.system());
        pool.all().forEach(backend -> LiveState.of(backend).availability(Availability.UNHEALTHY));
        RouteBalancer balancer = new RouteBalancer(pool, BuiltIns.roundRobin(), WhenAllDown.PANIC);
        String ids = ids(balancer, 300);
        assertThat(ids.chars().filter(c -> c == 'a').count()).isEqualTo(150);
        assertThat(ids.chars().filter(c -> c == 'b').count()).isEqualTo(150);
    }

    @Test
    void panicNeverSendsNewRequestsToADrainingBackend() {
        BackendPool pool = pool("a", "b", "c", "d");
        RouteBalancer threshold = new RouteBalancer(pool, BuiltIns.roundRobin(), WhenAllDown.PANIC, 50);
        LiveState.of(pool.get("a")).availability(Availability.DRAINING);
        LiveState.of(pool.get("b")).availability(Availability.UNHEALTHY);
        LiveState.of(pool.get("c")).availability(Availability.UNHEALTHY);
        assertThat(threshold.updatePanic()).isTrue();
        assertThat(ids(threshold, 30)).doesNotContain("a").contains("b", "c", "d");

        LiveState.of(pool.get("d")).availability(Availability.UNHEALTHY);
        threshold.updatePanic();
        assertThat(ids(threshold, 30)).as("whenAllDown: panic").doesNotContain("a").contains("b", "c", "d");
    }

    @Test
    void panicFallsToBackupsWhenEveryPrimaryIsDisabled() {
        BackendPool pool = BackendPool.of(java.util.List.of(backend("a").toBuilder().disabled(true).build(),
                backend("x:1:backup")), dev.junction.core.spi.Ticker.system());
        LiveState.of(pool.get("x")).availability(Availability.UNHEALTHY);
        RouteBalancer balancer = new RouteBalancer(pool, BuiltIns.roundRobin(), WhenAllDown.PANIC);
        assertThat(ids(balancer, 2)).isEqualTo("xx");
    }

    @Test
    void belowThePanicThresholdTrafficSpreadsOverEveryPrimary() {
        BackendPool pool = pool("a", "b", "c", "d", "x:1:backup");
        RouteBalancer balancer = new RouteBalancer(pool, BuiltIns.roundRobin(), WhenAllDown.FAIL, 50);
        LiveState.of(pool.get("a")).availability(Availability.UNHEALTHY);
        LiveState.of(pool.get("b")).ejected(true);
        assertThat(balancer.updatePanic()).as("two of four healthy: not below 50%").isFalse();
        assertThat(ids(balancer, 4)).isEqualTo("cdcd");

        LiveState.of(pool.get("c")).availability(Availability.UNHEALTHY);
        assertThat(balancer.updatePanic()).isTrue();
        assertThat(balancer.panicking()).isTrue();
        assertThat(ids(balancer, 8)).isEqualTo("abcdabcd");

        LiveState.of(pool.get("d")).availability(Availability.UNHEALTHY);
        assertThat(balancer.updatePanic()).as("none healthy: whenAllDown decides, backups first").isTrue();
        assertThat(ids(balancer, 2)).isEqualTo("xx");

        pool.all().forEach(backend -> LiveState.of(backend).availability(Availability.HEALTHY));
        LiveState.of(pool.get("b")).ejected(false);
        assertThat(balancer.updatePanic()).isFalse();
        assertThat(balancer.panicking()).isFalse();
    }

    @Test
    void aZeroPanicThresholdNeverPanics() {
        BackendPool pool = pool("a", "b", "c");
        RouteBalancer balancer = new RouteBalancer(pool, BuiltIns.roundRobin(), WhenAllDown.FAIL, 0);
        LiveState.of(pool.get("a")).availability(Availability.UNHEALTHY);
        LiveState.of(pool.get("b")).availability(Availability.UNHEALTHY);
        balancer.updatePanic();
        assertThat(ids(balancer, 3)).isEqualTo("ccc");
    }

    @Test
    void seesBackendsAddedAndRemovedAfterItWasBuilt() {
        BackendPool pool = pool("a", "b");
        RouteBalancer balancer = new RouteBalancer(pool, BuiltIns.roundRobin(), WhenAllDown.FAIL);
        pool.add(backend("c"));
        assertThat(ids(balancer, 3)).isEqualTo("abc");
        pool.remove("a");
        assertThat(ids(balancer, 4)).isEqualTo("bcbc");
        pool.update(backend("b").toBuilder().disabled(true).build());
        assertThat(ids(balancer, 2)).isEqualTo("cc");
    }

    private static BackendPool zoned(String... specs) {
        List<BackendConfig> backends = new ArrayList<>();
        for (String spec : specs) {
            String[] parts = spec.split("@");
            backends.add(backend(parts[0]).toBuilder().metadata("zone", parts[1]).build());
        }
        return BackendPool.of(backends, Ticker.system());
    }

    private static RouteBalancer zoneAware(BackendPool pool, int minHealthy, int loadMargin) {
        return new RouteBalancer(pool, BuiltIns.roundRobin(), WhenAllDown.FAIL, 0,
                SlowStartConfig.NONE, RandomSource.threadLocal(), null, "a",
                new ZoneAwareConfig(true, minHealthy, loadMargin));
    }

    @Test
    void aZoneAwareRouteKeepsToItsZoneUntilTooFewThereAreHealthy() {
        BackendPool pool = zoned("a1@a", "a2@a", "a3@a", "b1@b", "b2@b");
        RouteBalancer balancer = zoneAware(pool, 70, 0);
        assertThat(ids(balancer, 6)).isEqualTo("a1a2a3a1a2a3");
        assertThat(balancer.spilling()).isFalse();

        LiveState.of(pool.get("a1")).availability(Availability.UNHEALTHY);
        assertThat(ids(balancer, 6)).as("2 of 3 healthy: 66% < 70%").contains("b1", "b2", "a2", "a3")
                .doesNotContain("a1");
        assertThat(balancer.spilling()).isTrue();
        assertThat(balancer.spilledSelections()).isEqualTo(6);

        LiveState.of(pool.get("a1")).availability(Availability.HEALTHY);
        assertThat(ids(balancer, 3)).doesNotContain("b");
        assertThat(balancer.spilling()).isFalse();
    }

    @Test
    void aZoneAwareRouteSpillsWhenItsZoneIsMoreLoadedThanTheOthersByTheMargin() {
        BackendPool pool = zoned("a1@a", "b1@b");
        RouteBalancer balancer = zoneAware(pool, 70, 50);
        LiveState local = LiveState.of(pool.get("a1"));
        LiveState other = LiveState.of(pool.get("b1"));
        for (int i = 0; i < 4; i++) {
            other.tryAcquire(0);
        }
        for (int i = 0; i < 7; i++) {
            local.tryAcquire(0);
        }
        assertThat(ids(balancer, 4)).as("7 in flight locally: within 1 + 4 x 1.5").isEqualTo("a1a1a1a1");
        local.tryAcquire(0);
        assertThat(ids(balancer, 4)).as("8 in flight locally: above").contains("b1");
        assertThat(balancer.spilling()).isTrue();
    }

    @Test
    void withoutTheGatewaysZoneEveryZoneIsAlike() {
        BackendPool pool = zoned("a1@a", "b1@b");
        RouteBalancer balancer = new RouteBalancer(pool, BuiltIns.roundRobin(), WhenAllDown.FAIL, 0,
                SlowStartConfig.NONE, RandomSource.threadLocal(), null, null,
                ZoneAwareConfig.DEFAULT);
        assertThat(ids(balancer, 4)).isEqualTo("a1b1a1b1");
    }

    private static String ids(RouteBalancer balancer, int count) {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < count; i++) {
            Backend backend = balancer.select(SelectionContext.EMPTY);
            ids.append(backend == null ? "-" : backend.id());
        }
        return ids.toString();
    }
}
