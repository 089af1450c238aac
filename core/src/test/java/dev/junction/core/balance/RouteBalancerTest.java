package dev.junction.core.balance;

import static dev.junction.core.balance.TestPools.backend;
import static dev.junction.core.balance.TestPools.pool;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.junction.core.config.WhenAllDown;
import dev.junction.core.pool.Availability;
import dev.junction.core.pool.Backend;
import dev.junction.core.pool.BackendPool;

class RouteBalancerTest {

    @Test
    void backupsServeOnlyWhileNoPrimaryIsAvailable() {
        BackendPool pool = pool("a", "b", "x:1:backup", "y:1:backup");
        RouteBalancer balancer = new RouteBalancer(pool, LoadBalancer.roundRobin(), WhenAllDown.FAIL);
        assertThat(ids(balancer, 4)).isEqualTo("abab");
        pool.get("a").state().availability(Availability.UNHEALTHY);
        assertThat(ids(balancer, 2)).isEqualTo("bb");
        pool.get("b").state().availability(Availability.DRAINING);
        assertThat(ids(balancer, 4)).isEqualTo("xyxy");
        pool.get("a").state().availability(Availability.HEALTHY);
        assertThat(ids(balancer, 2)).isEqualTo("aa");
    }

    @Test
    void failFastReturnsNothingWhenAllAreDown() {
        BackendPool pool = pool("a", "b", "x:1:backup");
        pool.all().forEach(backend -> backend.state().availability(Availability.UNHEALTHY));
        RouteBalancer balancer = new RouteBalancer(pool, LoadBalancer.leastConnections(), WhenAllDown.FAIL);
        assertThat(balancer.select(SelectionContext.EMPTY)).isNull();
    }

    @Test
    void panicUsesEveryPrimaryNotDisabledWhenAllAreDown() {
        BackendPool pool = BackendPool.of(java.util.List.of(backend("a"), backend("b"),
                backend("c").toBuilder().disabled(true).build(), backend("x:1:backup")),
                dev.junction.core.Ticker.system());
        pool.all().forEach(backend -> backend.state().availability(Availability.UNHEALTHY));
        RouteBalancer balancer = new RouteBalancer(pool, LoadBalancer.roundRobin(), WhenAllDown.PANIC);
        String ids = ids(balancer, 300);
        assertThat(ids.chars().filter(c -> c == 'a').count()).isEqualTo(150);
        assertThat(ids.chars().filter(c -> c == 'b').count()).isEqualTo(150);
    }

    @Test
    void panicFallsToBackupsWhenEveryPrimaryIsDisabled() {
        BackendPool pool = BackendPool.of(java.util.List.of(backend("a").toBuilder().disabled(true).build(),
                backend("x:1:backup")), dev.junction.core.Ticker.system());
        pool.get("x").state().availability(Availability.UNHEALTHY);
        RouteBalancer balancer = new RouteBalancer(pool, LoadBalancer.roundRobin(), WhenAllDown.PANIC);
        assertThat(ids(balancer, 2)).isEqualTo("xx");
    }

    @Test
    void belowThePanicThresholdTrafficSpreadsOverEveryPrimary() {
        BackendPool pool = pool("a", "b", "c", "d", "x:1:backup");
        RouteBalancer balancer = new RouteBalancer(pool, LoadBalancer.roundRobin(), WhenAllDown.FAIL, 50);
        pool.get("a").state().availability(Availability.UNHEALTHY);
        pool.get("b").state().ejected(true);
        assertThat(balancer.updatePanic()).as("two of four healthy: not below 50%").isFalse();
        assertThat(ids(balancer, 4)).isEqualTo("cdcd");

        pool.get("c").state().availability(Availability.UNHEALTHY);
        assertThat(balancer.updatePanic()).isTrue();
        assertThat(balancer.panicking()).isTrue();
        assertThat(ids(balancer, 8)).isEqualTo("abcdabcd");

        pool.get("d").state().availability(Availability.UNHEALTHY);
        assertThat(balancer.updatePanic()).as("none healthy: whenAllDown decides, backups first").isTrue();
        assertThat(ids(balancer, 2)).isEqualTo("xx");

        pool.all().forEach(backend -> backend.state().availability(Availability.HEALTHY));
        pool.get("b").state().ejected(false);
        assertThat(balancer.updatePanic()).isFalse();
        assertThat(balancer.panicking()).isFalse();
    }

    @Test
    void aZeroPanicThresholdNeverPanics() {
        BackendPool pool = pool("a", "b", "c");
        RouteBalancer balancer = new RouteBalancer(pool, LoadBalancer.roundRobin(), WhenAllDown.FAIL, 0);
        pool.get("a").state().availability(Availability.UNHEALTHY);
        pool.get("b").state().availability(Availability.UNHEALTHY);
        balancer.updatePanic();
        assertThat(ids(balancer, 3)).isEqualTo("ccc");
    }

    @Test
    void seesBackendsAddedAndRemovedAfterItWasBuilt() {
        BackendPool pool = pool("a", "b");
        RouteBalancer balancer = new RouteBalancer(pool, LoadBalancer.roundRobin(), WhenAllDown.FAIL);
        pool.add(backend("c"));
        assertThat(ids(balancer, 3)).isEqualTo("abc");
        pool.remove("a");
        assertThat(ids(balancer, 4)).isEqualTo("bcbc");
        pool.update(backend("b").toBuilder().disabled(true).build());
        assertThat(ids(balancer, 2)).isEqualTo("cc");
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
