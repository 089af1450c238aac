package dev.junction.core.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.ConfigException;
import dev.junction.core.internal.LiveState;
import dev.junction.core.spi.Availability;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.Ticker;

class BackendPoolTest {

    private final BackendPool pool = BackendPool.of(List.of(
            BackendConfig.of("http://10.0.0.1:8080"),
            BackendConfig.builder().url("http://10.0.0.2:8080").weight(2).backup(true).build()), Ticker.system());

    @Test
    void derivesIdsFromUrlsAndSplitsPrimariesFromBackups() {
        assertThat(pool.all()).extracting(Backend::id).containsExactly("10.0.0.1:8080", "10.0.0.2:8080");
        assertThat(pool.snapshot().primaries()).extracting(Backend::id).containsExactly("10.0.0.1:8080");
        assertThat(pool.snapshot().backups()).extracting(Backend::id).containsExactly("10.0.0.2:8080");
        assertThat(pool.get("10.0.0.2:8080").weight()).isEqualTo(2);
        assertThat(pool.get("10.0.0.1:8080").uri().getPort()).isEqualTo(8080);
        assertThat(pool.get("nope")).isNull();
    }

    @Test
    void addUpdateAndRemovePublishNewSnapshotsAndTellListeners() {
        List<String> events = new ArrayList<>();
        pool.addListener((change, backend, snapshot) ->
                events.add(change + " " + backend.id() + " v" + snapshot.version()));
        BackendPool.Snapshot before = pool.snapshot();

        pool.add(BackendConfig.builder().id("c").url("http://10.0.0.3:8080").build());
        pool.update(BackendConfig.builder().id("c").url("http://10.0.0.3:8080").weight(5).build());
        assertThat(pool.remove("10.0.0.1:8080")).isNotNull();
        assertThat(pool.remove("10.0.0.1:8080")).isNull();

        assertThat(events).containsExactly("ADDED c v1", "UPDATED c v2", "REMOVED 10.0.0.1:8080 v3");
        assertThat(before.all()).hasSize(2);
        assertThat(pool.all()).extracting(Backend::id).containsExactly("10.0.0.2:8080", "c");
        assertThat(pool.get("c").weight()).isEqualTo(5);
    }

    @Test
    void updateKeepsLiveNumbersAndPlace() {
        Backend original = pool.get("10.0.0.1:8080");
        LiveState.of(original).tryAcquire(0);
        LiveState.of(original).requestEnded(true, 5_000_000);
        pool.update(original.config().toBuilder().weight(7).build());
        Backend updated = pool.get("10.0.0.1:8080");
        assertThat(updated).isNotSameAs(original);
        assertThat(updated.state()).isSameAs(original.state());
        assertThat(updated.state().successes()).isEqualTo(1);
        assertThat(pool.all().get(0)).isSameAs(updated);
    }

    @Test
    void availableListsOnlyBackendsThatTakeRequests() {
        LiveState.of(pool.get("10.0.0.1:8080")).availability(Availability.DRAINING);
        assertThat(pool.available()).extracting(Backend::id).containsExactly("10.0.0.2:8080");
    }

    @Test
    void rejectsDuplicateAndInvalidBackendsWithPaths() {
        assertThatThrownBy(() -> pool.add(BackendConfig.of("http://10.0.0.1:8080")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("backend.id: duplicate id '10.0.0.1:8080'");
        assertThatThrownBy(() -> pool.add(BackendConfig.builder().url("ftp://x").weight(0).build()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("backend.url: 'ftp://x' (expected: an http:// or https:// URL)")
                .hasMessageContaining("backend.weight: must be > 0 (was 0)");
        assertThatThrownBy(() -> pool.update(BackendConfig.of("http://10.9.9.9")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'10.9.9.9'");
        assertThatThrownBy(() -> BackendPool.of(List.of(BackendConfig.of("http://a:1"), BackendConfig.of("http://a:1")),
                Ticker.system()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("backends[1].id: duplicate id 'a:1'");
    }

    @Test
    void aFailingListenerDoesNotStopOthers() {
        List<String> seen = new ArrayList<>();
        pool.addListener((change, backend, snapshot) -> {
            throw new IllegalStateException("listener bug");
        });
        pool.addListener((change, backend, snapshot) -> seen.add(backend.id()));
        pool.remove("10.0.0.1:8080");
        assertThat(seen).containsExactly("10.0.0.1:8080");
    }
}
