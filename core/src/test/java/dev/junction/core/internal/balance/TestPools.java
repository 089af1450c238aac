package dev.junction.core.internal.balance;

import java.util.ArrayList;
import java.util.List;

import dev.junction.core.config.BackendConfig;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.Eligibility;
import dev.junction.core.spi.LoadBalancer;
import dev.junction.core.spi.SelectionContext;
import dev.junction.core.spi.Ticker;

/** Builds pools for strategy tests from short specs: {@code "a"}, {@code "a:5"} (weight), {@code "c:1:backup"}. */
final class TestPools {

    private TestPools() {
    }

    static BackendPool pool(Ticker ticker, String... specs) {
        List<BackendConfig> configs = new ArrayList<>();
        for (String spec : specs) {
            configs.add(backend(spec));
        }
        return BackendPool.of(configs, ticker);
    }

    static BackendPool pool(String... specs) {
        return pool(Ticker.system(), specs);
    }

    static BackendConfig backend(String spec) {
        String[] parts = spec.split(":");
        BackendConfig.Builder builder = BackendConfig.builder().id(parts[0]).url("http://" + parts[0] + ".test:8080");
        if (parts.length > 1) {
            builder.weight(Integer.parseInt(parts[1]));
        }
        if (parts.length > 2 && parts[2].equals("backup")) {
            builder.backup(true);
        }
        return builder.build();
    }

    /** Returns the ids of {@code count} selections, concatenated: {@code "aabacaa"}. */
    static String sequence(LoadBalancer.Selector selector, int count) {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < count; i++) {
            Backend backend = selector.select(SelectionContext.EMPTY, Eligibility.AVAILABLE);
            ids.append(backend == null ? "-" : backend.id());
        }
        return ids.toString();
    }

    static LoadBalancer.Selector selector(LoadBalancer strategy, BackendPool pool) {
        return strategy.selector(pool.snapshot().primaries());
    }
}
