package dev.junction.core.internal.affinity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.junction.core.config.AddressRange;
import dev.junction.core.config.AffinityConfig;
import dev.junction.core.config.AffinityConfig.Mode;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.http.Fields;
import dev.junction.core.internal.FakeTicker;
import dev.junction.core.internal.LiveState;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.SelectionContext;
import dev.junction.core.status.SessionStats;

class SessionAffinityTest {

    private final FakeTicker ticker = new FakeTicker();

    /** A route's pool and its session affinity. */
    private record Route(BackendPool pool, SessionAffinity affinity) {
    }

    private Route route(AffinityConfig affinity, int backends) {
        RouteConfig.Builder route = RouteConfig.builder().name("app").prefix("/").affinity(affinity);
        for (int i = 0; i < backends; i++) {
            route.backend("http://10.0.0." + (i + 1) + ":8080");
        }
        RouteConfig config = route.build();
        BackendPool pool = BackendPool.of(config.backends(), ticker);
        return new Route(pool, new SessionAffinity(config, pool, ticker));
    }

    private static SelectionContext header(String name, String value) {
        return SelectionContext.of("192.0.2.1", "/", Map.of(name, value), Map.of());
    }

    @Test
    void theTableStaysWithinItsBoundWithAMillionDistinctSessions() {
        Route route = route(AffinityConfig.builder(Mode.HEADER).maxSessions(10_000).build(), 3);
        SessionAffinity sessions = route.affinity();
        Backend backend = route.pool().all().get(0);
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 1_000_000; i++) {
            SessionAffinity.Pin pin = sessions.lookup(header("X-Session-ID", "s" + i), new Fields(), "192.0.2.1");
            sessions.served(pin, backend, new Fields());
        }
        assertThat(sessions.tableSize()).isLessThanOrEqualTo(10_000);
        assertThat(sessions.stats().totalCreated()).isEqualTo(1_000_000);
        System.gc();
        long used = runtime.totalMemory() - runtime.freeMemory();
        // 10,000 sessions take a few MiB; a table that kept a million would take hundreds.
        assertThat(used).isLessThan(256L * 1024 * 1024);
    }

    @Test
    void theTableIsBoundedInBytesWhateverTheKeysLength() {
        Route route = route(AffinityConfig.builder(Mode.HEADER).maxSessions(10_000).build(), 3);
        SessionAffinity sessions = route.affinity();
        Backend first = route.pool().all().get(0);
        Backend second = route.pool().all().get(1);
        String common = "k".repeat(8 * 1024);
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        long before = runtime.totalMemory() - runtime.freeMemory();
        for (int i = 0; i < 10_000; i++) {
            SessionAffinity.Pin pin = sessions.lookup(header("X-Session-ID", common + i), new Fields(), "192.0.2.1");
            sessions.served(pin, i % 2 == 0 ? first : second, new Fields());
        }
        System.gc();
        long used = runtime.totalMemory() - runtime.freeMemory() - before;

        // 10,000 keys of 8 KiB would take 80 MiB (160 as Java strings) if kept; stored as digests, a few MiB.
        assertThat(sessions.tableSize()).isEqualTo(10_000);
        assertThat(used).isLessThan(32L * 1024 * 1024);
        // Keys that differ only at their end stay apart.
        assertThat(sessions.lookup(header("X-Session-ID", common + 2), new Fields(), "192.0.2.1").backend())
                .isSameAs(first);
        assertThat(sessions.lookup(header("X-Session-ID", common + 3), new Fields(), "192.0.2.1").backend())
                .isSameAs(second);
        assertThat(sessions.pinnedTo(common + 3)).isEqualTo(second.id());
        assertThat(SessionAffinity.tableKey(common)).hasSize(SessionAffinity.MAX_STORED_KEY).startsWith("h:");
        assertThat(SessionAffinity.tableKey("192.0.2.1")).isEqualTo("192.0.2.1");
    }

    @Test
    void aCookieIsIssuedForABackendUpdatedOrRemovedWhileItsRequestWasInFlight() {
        Route route = route(AffinityConfig.builder(Mode.COOKIE).build(), 2);
        SessionAffinity sessions = route.affinity();
        Backend picked = route.pool().all().get(0);
        SessionAffinity.Pin pin = sessions.lookup(SelectionContext.EMPTY, new Fields(), "192.0.2.1");
        route.pool().update(picked.config().toBuilder().weight(3).build());
        String cookie = sessions.served(pin, picked, new Fields()).get("Set-Cookie");
        assertThat(cookie).startsWith("JUNCTION_AFFINITY=");
        String value = cookie.substring("JUNCTION_AFFINITY=".length(), cookie.indexOf(';'));
        SessionAffinity.Pin back = sessions.lookup(SelectionContext.of("192.0.2.1", "/", Map.of(),
                Map.of("JUNCTION_AFFINITY", value)), new Fields(), "192.0.2.1");
        assertThat(back.backend()).as("the cookie names the backend, updated or not")
                .isSameAs(route.pool().get(picked.id()));

        Backend other = route.pool().all().get(1);
        route.pool().remove(other.id());
        assertThat(sessions.served(sessions.lookup(SelectionContext.EMPTY, new Fields(), "x"), other,
                new Fields()).get("Set-Cookie")).startsWith("JUNCTION_AFFINITY=");
    }

    @Test
    void aSessionExpiresAfterItsTtlAndItsLengthIsCounted() {
        Route route = route(AffinityConfig.builder(Mode.HEADER).ttl(Duration.ofMinutes(10)).build(), 3);
        SessionAffinity sessions = route.affinity();
        Backend backend = route.pool().all().get(1);
        SessionAffinity.Pin pin = sessions.lookup(header("X-Session-ID", "alice"), new Fields(), "192.0.2.1");
        sessions.served(pin, backend, new Fields());
        ticker.advance(Duration.ofMinutes(4));
        sessions.served(sessions.lookup(header("X-Session-ID", "alice"), new Fields(), "x"), backend,
                new Fields());
        assertThat(sessions.stats().active()).isEqualTo(1);
        ticker.advance(Duration.ofMinutes(11));
        SessionStats stats = sessions.stats();
        assertThat(stats.active()).isZero();
        assertThat(stats.totalCreated()).isEqualTo(1);
        assertThat(stats.averageDuration()).isEqualTo(Duration.ofMinutes(4));
    }

    @Test
    void boundedLoadSpillsAHotKeyToTheNextBackendOnTheRing() {
        Route route = route(AffinityConfig.builder(Mode.HEADER).boundedLoadPercent(125).build(), 4);
        SessionAffinity sessions = route.affinity();
        SessionAffinity.Pin hot = sessions.lookup(header("X-Session-ID", "hot"), new Fields(), "x");
        Backend home = sessions.hashed(hot);
        assertThat(home).isNotNull();
        // The hot key's backend takes 8 requests while the others idle: the average with one more is 9/4, and
        // 125% of it rounds up to 3, so its home is full and the key spills.
        for (int i = 0; i < 8; i++) {
            LiveState.of(home).tryAcquire(0);
        }
        Backend spilled = sessions.hashed(hot);
        assertThat(spilled).isNotNull().isNotSameAs(home);
        for (int i = 0; i < 8; i++) {
            LiveState.of(home).requestEnded(true, 1);
        }
        assertThat(sessions.hashed(hot)).as("back home once the load is gone").isSameAs(home);
    }

    @Test
    void keysSpreadOverTheRingAndAgreeAcrossInstances() {
        AffinityConfig config = AffinityConfig.builder(Mode.HEADER).build();
        SessionAffinity one = route(config, 5).affinity();
        SessionAffinity two = route(config, 5).affinity();
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 5000; i++) {
            SessionAffinity.Pin pin = new SessionAffinity.Pin("user-" + i, null);
            String id = one.hashed(pin).id();
            assertThat(two.hashed(pin).id()).isEqualTo(id);
            counts.merge(id, 1, Integer::sum);
        }
        assertThat(counts).hasSize(5);
        assertThat(counts.values()).allSatisfy(count -> assertThat(count).isBetween(600, 1400));
    }

    @Test
    void onlyTrustedProxiesNameTheClient() {
        Route route = route(AffinityConfig.builder(Mode.IP).trustedProxies(List.of("10.1.0.0/16", "::1")).build(),
                3);
        SessionAffinity sessions = route.affinity();
        Fields chain = new Fields().add("X-Forwarded-For", "1.2.3.4, 198.51.100.7")
                .add("X-Forwarded-For", "10.1.2.3");
        assertThat(sessions.clientAddress(chain, "10.1.9.9")).as("the last address no trusted proxy added")
                .isEqualTo("198.51.100.7");
        assertThat(sessions.clientAddress(chain, "203.0.113.5")).as("an untrusted peer is the client")
                .isEqualTo("203.0.113.5");
        assertThat(sessions.clientAddress(new Fields().add("X-Forwarded-For", "garbage"), "::1"))
                .as("an unreadable chain is not believed").isEqualTo("::1");
    }

    @Test
    void addressRangesMatchAsCidrSays() {
        assertThat(AddressRange.parse("10.0.0.0/8").contains("10.200.3.4")).isTrue();
        assertThat(AddressRange.parse("10.0.0.0/8").contains("11.0.0.1")).isFalse();
        assertThat(AddressRange.parse("192.0.2.128/25").contains("192.0.2.127")).isFalse();
        assertThat(AddressRange.parse("2001:db8::/32").contains("2001:db8:1::5")).isTrue();
        assertThat(AddressRange.parse("2001:db8::/32").contains("10.0.0.1")).isFalse();
        assertThat(AddressRange.parse("192.0.2.7").contains("192.0.2.7")).isTrue();
        assertThat(AddressRange.isLiteral("example.com")).as("never a DNS lookup").isFalse();
    }
}
