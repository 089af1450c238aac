package dev.junction.core.internal.balance;

import static dev.junction.core.internal.balance.TestPools.pool;
import static dev.junction.core.internal.balance.TestPools.selector;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.junction.core.internal.LiveState;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Availability;
import dev.junction.core.spi.Eligibility;
import dev.junction.core.spi.LoadBalancer;
import dev.junction.core.spi.SelectionContext;

class IpHashTest {

    @Test
    void sameClientAlwaysReachesSameBackend() {
        LoadBalancer.Selector selector = selector(BuiltIns.ipHash(), pool("a", "b", "c"));
        for (int i = 0; i < 200; i++) {
            String address = "192.0.2." + i;
            String first = select(selector, address);
            assertThat(select(selector, address)).isEqualTo(first);
        }
    }

    @Test
    void clientsOfOneSubnetSpreadInProportionToWeight() {
        LoadBalancer.Selector selector = selector(BuiltIns.ipHash(), pool("a:1", "b:3"));
        Map<String, Integer> owners = new HashMap<>();
        for (int i = 0; i < 8_000; i++) {
            owners.merge(select(selector, "198.51." + (i >> 8) + "." + (i & 0xff)), 1, Integer::sum);
        }
        assertThat(owners.get("a")).isBetween(1_800, 2_200);
        assertThat(owners.get("b")).isBetween(5_800, 6_200);
    }

    @Test
    void aClientOfAnUnhealthyBackendMovesToTheSameOtherBackendEveryTime() {
        BackendPool pool = pool("a", "b", "c");
        LoadBalancer.Selector selector = selector(BuiltIns.ipHash(), pool);
        Map<String, String> before = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            before.put("203.0.113." + i, select(selector, "203.0.113." + i));
        }
        LiveState.of(pool.get("a")).availability(Availability.UNHEALTHY);
        for (Map.Entry<String, String> entry : before.entrySet()) {
            String now = select(selector, entry.getKey());
            if (entry.getValue().equals("a")) {
                assertThat(now).isNotEqualTo("a").isEqualTo(select(selector, entry.getKey()));
            } else {
                assertThat(now).isEqualTo(entry.getValue());
            }
        }
    }

    @Test
    void hashesIpv6Addresses() {
        LoadBalancer.Selector selector = selector(BuiltIns.ipHash(), pool("a", "b"));
        Map<String, Integer> owners = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            owners.merge(select(selector, "2001:db8::" + Integer.toHexString(i)), 1, Integer::sum);
        }
        assertThat(owners).containsOnlyKeys("a", "b");
    }

    private static String select(LoadBalancer.Selector selector, String address) {
        return selector.select(SelectionContext.of(address, "/", Map.of(), Map.of()), Eligibility.AVAILABLE).id();
    }
}
