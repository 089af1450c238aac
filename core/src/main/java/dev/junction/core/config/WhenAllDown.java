package dev.junction.core.config;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/** What a route does when none of its backends, primary or backup, is available. */
public enum WhenAllDown {
    /** Answer at once, without contacting a backend (the adapters send 503 with {@code Retry-After}). The default. */
    FAIL("fail"),
    /**
     * Ignore health and use every backend an operator has not disabled, as Envoy's panic mode does: a pool that
     * looks entirely down is more often a broken health check than a dead fleet.
     */
    PANIC("panic");

    private final String configName;

    WhenAllDown(String configName) {
        this.configName = configName;
    }

    /** {@return the name used in YAML and flat keys} */
    public String configName() {
        return configName;
    }

    /**
     * {@return the constant with this configuration name (case-insensitive), or null if there is none}
     *
     * @param name the name, as {@link #configName()} gives it
     */
    public static @Nullable WhenAllDown fromConfigName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (WhenAllDown value : values()) {
            if (value.configName.equals(lower)) {
                return value;
            }
        }
        return null;
    }
}
