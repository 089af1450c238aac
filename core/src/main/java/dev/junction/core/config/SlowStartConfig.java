package dev.junction.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * A route's slow start: a backend that comes back (its health check passes again, its ejection ends, an operator
 * enables it) or is added to the running pool gets at first only {@code minWeightPercent} of the share of requests
 * its weight would give it, growing linearly to the whole share over {@code window}, so a cold cache, JIT or
 * connection pool is not hit with full load at once (nginx's {@code slow_start}, HAProxy's {@code slowstart},
 * Envoy's {@code slow_start_config}). Backends present when the gateway starts begin at their full share.
 *
 * <p>Applies to every strategy but the hashing ones ({@code ip-hash}, {@code consistent-hash}), where a ramp would
 * move keys away from their backend and back.
 *
 * @param window how long the ramp lasts; {@link Duration#ZERO} for no slow start; default zero
 * @param minWeightPercent the share a backend starts at, in percent of its full share; default 10
 */
public record SlowStartConfig(Duration window, int minWeightPercent) {

    /** No slow start. */
    public static final SlowStartConfig NONE = new SlowStartConfig(Duration.ZERO, 10);

    /**
     * Checks that {@code window} is not null.
     *
     * @param window how long the ramp lasts; {@link Duration#ZERO} for no slow start; default zero
     * @param minWeightPercent the share a backend starts at, in percent of its full share; default 10
     */
    public SlowStartConfig {
        Objects.requireNonNull(window, "window");
    }

    /**
     * {@return a slow start over {@code window}, starting at the default 10%}
     *
     * @param window how long the ramp lasts
     */
    public static SlowStartConfig of(Duration window) {
        return new SlowStartConfig(window, NONE.minWeightPercent);
    }

    /** {@return whether backends ramp up at all} */
    public boolean enabled() {
        return !window.isZero();
    }
}
