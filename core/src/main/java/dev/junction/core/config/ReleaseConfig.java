package dev.junction.core.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * How a route's traffic is split between its release groups: the groups its backends name
 * ({@link BackendConfig#group()}), such as {@code stable} and {@code canary}, or {@code blue} and {@code green}. Each
 * group is balanced on its own, with the route's strategy, over its own backends (their health and breakers are their
 * own already).
 *
 * <p>A request's group is drawn from its {@code key}: the key's hash puts it at one of 10,000 places, and the groups
 * other than the baseline take the first places in proportion to their shares, the baseline the rest. So one client
 * stays in one group while the shares hold, and a growing canary keeps the clients it had. A request without the key
 * is drawn at random. A request that names a group in the {@code forceHeader} or {@code forceCookie} goes there
 * ({@code always}: the rollout's group, or else the first group that is not the baseline; {@code never}: the baseline).
 * A group with no backend that can serve sends its requests to the baseline, then to the other groups.
 *
 * <p>Shares change at run time (the admin endpoint, {@code Route.release()}), and a {@code rollout} raises one group's
 * share step by step on a schedule; a {@code rollback} watches the rolled-out groups against the baseline and, when one
 * is worse by a margin, gives the baseline all the traffic at once.
 *
 * @param baseline the group that takes what the others' shares leave, and all traffic after a rollback; null for the
 *     group of the route's first backend
 * @param shares percent of the route's traffic per group other than the baseline; a group not named has 0; the
 *     baseline may be named only if the shares add up to 100
 * @param key what a request's group is drawn by: {@code client} (the address behind {@code trustedProxies}),
 *     {@code header:<name>} or {@code cookie:<name>}; default {@code client}
 * @param forceHeader a request header naming the group a request goes to, or null for none
 * @param forceCookie a cookie naming the group a request goes to, or null for none
 * @param rollout the scheduled steps of one group's share; {@link Rollout#NONE} for none
 * @param rollback when a group is rolled back automatically; {@link Rollback#NONE} for never
 * @param sessions what happens to a session pinned (by the route's affinity) to a backend whose group has lost its
 *     share: {@link Sessions#STAY} (default) or {@link Sessions#FOLLOW}
 */
public record ReleaseConfig(@Nullable String baseline, Map<String, Integer> shares, String key,
        @Nullable String forceHeader, @Nullable String forceCookie, Rollout rollout, Rollback rollback,
        Sessions sessions) {

    /** The groups' shares as configured by default: the baseline all, the others none. */
    public static final ReleaseConfig DEFAULT = new ReleaseConfig(null, Map.of(), "client", null, null, Rollout.NONE,
            Rollback.NONE, Sessions.STAY);

    /** The value of a force header or cookie that sends a request to the rollout's group. */
    public static final String ALWAYS = "always";
    /** The value of a force header or cookie that sends a request to the baseline. */
    public static final String NEVER = "never";

    /**
     * Checks that {@code key}, {@code rollout}, {@code rollback} and {@code sessions} are not null and copies
     * {@code shares}, keeping its order; the copy is unmodifiable.
     *
     * @param baseline the group that takes what the others' shares leave, and all traffic after a rollback; null for
     *     the group of the route's first backend
     * @param shares percent of the route's traffic per group other than the baseline; a group not named has 0; the
     *     baseline may be named only if the shares add up to 100
     * @param key what a request's group is drawn by: {@code client} (the address behind {@code trustedProxies}),
     *     {@code header:<name>} or {@code cookie:<name>}; default {@code client}
     * @param forceHeader a request header naming the group a request goes to, or null for none
     * @param forceCookie a cookie naming the group a request goes to, or null for none
     * @param rollout the scheduled steps of one group's share; {@link Rollout#NONE} for none
     * @param rollback when a group is rolled back automatically; {@link Rollback#NONE} for never
     * @param sessions what happens to a session pinned (by the route's affinity) to a backend whose group has lost its
     *     share: {@link Sessions#STAY} (default) or {@link Sessions#FOLLOW}
     */
    public ReleaseConfig {
        shares = Collections.unmodifiableMap(new LinkedHashMap<>(shares));
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(rollout, "rollout");
        Objects.requireNonNull(rollback, "rollback");
        Objects.requireNonNull(sessions, "sessions");
    }

    /** What happens to a session pinned to a backend whose group has lost its share. */
    public enum Sessions {
        /** It stays with its backend while that backend can serve: the old group drains as its sessions end. */
        STAY,
        /** It moves: the request is drawn again and the session pinned anew in a group with a share. */
        FOLLOW;

        /** {@return the name in configuration files} */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One group's share raised step by step: each {@code interval}, the next of {@code steps} above its share now,
     * until the last; the baseline takes what is left.
     *
     * @param group the group rolled out; null for the first group that is not the baseline
     * @param steps the shares in percent, rising, each from 1 to 100
     * @param interval the time between two steps
     * @param start whether the steps start when the Junction starts; if false they start when an operator says so
     */
    public record Rollout(@Nullable String group, List<Integer> steps, Duration interval, boolean start) {

        /** No scheduled steps. */
        public static final Rollout NONE = new Rollout(null, List.of(), Duration.ofMinutes(10), false);

        /**
         * Checks that {@code interval} is not null and copies {@code steps}, which is then unmodifiable.
         *
         * @param group the group rolled out; null for the first group that is not the baseline
         * @param steps the shares in percent, rising, each from 1 to 100
         * @param interval the time between two steps
         * @param start whether the steps start when the Junction starts; if false they start when an operator says so
         */
        public Rollout {
            steps = List.copyOf(steps);
            Objects.requireNonNull(interval, "interval");
        }

        /** {@return whether there are steps to take} */
        public boolean enabled() {
            return !steps.isEmpty();
        }
    }

    /**
     * When the groups other than the baseline are rolled back: once a group's error rate is above the baseline's by
     * more than {@code errorRateMargin} percentage points, or its mean latency above the baseline's by more than
     * {@code latencyMargin} percent, over the last {@code window}, with at least {@code minRequests} in both groups.
     * Errors are exchanges that end in a {@code 5xx} or without an answer from the backend.
     *
     * @param errorRateMargin percentage points, 0 to ignore error rates
     * @param latencyMargin percent, 0 to ignore latency
     * @param minRequests the fewest exchanges of each group in the window for a verdict
     * @param window how far back exchanges count
     */
    public record Rollback(int errorRateMargin, int latencyMargin, int minRequests, Duration window) {

        /** Never rolled back automatically. */
        public static final Rollback NONE = new Rollback(0, 0, 20, Duration.ofMinutes(1));

        /**
         * Checks that {@code window} is not null.
         *
         * @param errorRateMargin percentage points, 0 to ignore error rates
         * @param latencyMargin percent, 0 to ignore latency
         * @param minRequests the fewest exchanges of each group in the window for a verdict
         * @param window how far back exchanges count
         */
        public Rollback {
            Objects.requireNonNull(window, "window");
        }

        /** {@return whether groups are rolled back automatically: a margin of error rate or latency is set} */
        public boolean enabled() {
            return errorRateMargin > 0 || latencyMargin > 0;
        }
    }
}
