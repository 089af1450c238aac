package dev.junction.core.internal.balance;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/** How {@code consistent-hash} maps keys to backends. */
public enum HashAlgorithm {
    /**
     * A hash ring with points per backend in proportion to its weight (Karger et al.; Ketama): lookup is a binary
     * search, a removed backend's keys go to the next point clockwise. The default.
     */
    RING("ring"),
    /**
     * A Maglev lookup table (Eisenbud et al., NSDI 2016) of 65,537 slots: lookup is one array read, spread is more
     * even than a ring's, and a change of membership moves slightly more than 1/N of keys.
     */
    MAGLEV("maglev");

    private final String configName;

    HashAlgorithm(String configName) {
        this.configName = configName;
    }

    /** Returns the name used in configuration. */
    public String configName() {
        return configName;
    }

    /** Returns the algorithm with this configuration name (case-insensitive), or null. */
    public static @Nullable HashAlgorithm fromConfigName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (HashAlgorithm value : values()) {
            if (value.configName.equals(lower)) {
                return value;
            }
        }
        return null;
    }
}
