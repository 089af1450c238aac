package dev.junction.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * A route's passive health checking (outlier detection, as Envoy calls it): real traffic, not probes, takes a
 * failing backend out. After {@code consecutive5xx} responses in a row that are 5xx or never came (a reset, a
 * timeout, garbage), or {@code consecutiveConnectFailures} connections in a row that could not be made, the backend
 * is ejected for {@code baseEjectionTime} times the number of its ejections so far, at most {@code maxEjectionTime},
 * then takes traffic again. No more than {@code maxEjectionPercent} of the route's backends are ejected at once.
 *
 * <p>nginx's {@code max_fails=1 fail_timeout=10s} is {@code consecutiveConnectFailures: 1}, {@code consecutive5xx:
 * 0}, {@code baseEjectionTime} and {@code maxEjectionTime: 10s}, {@code maxEjectionPercent: 100}.
 *
 * <p>Immutable. Built with {@link #builder()}; checked as part of {@link JunctionConfig}.
 *
 * @param enabled whether traffic can eject a backend; default false
 * @param consecutive5xx failed responses in a row that eject a backend, 0 for never; default 5
 * @param consecutiveConnectFailures failed connections in a row that eject a backend, 0 for never; default 5
 * @param baseEjectionTime the first ejection's length, multiplied by the number of ejections; default 30 s
 * @param maxEjectionTime the longest an ejection lasts; default 300 s
 * @param maxEjectionPercent the largest share of the route's backends ejected at once, in percent; default 50
 * @param latencyPercentOfMedian eject a backend whose response-time average (time to the response head, decaying
 *     over 10 s) is above this percentage of the median of the route's backends (at least three with samples),
 *     looked at once a second; 0 for never; default 0
 */
public record OutlierDetectionConfig(boolean enabled, int consecutive5xx, int consecutiveConnectFailures,
        Duration baseEjectionTime, Duration maxEjectionTime, int maxEjectionPercent, int latencyPercentOfMedian) {

    /** No outlier detection. */
    public static final OutlierDetectionConfig NONE = new OutlierDetectionConfig(false, 5, 5, Duration.ofSeconds(30),
            Duration.ofSeconds(300), 50, 0);

    /**
     * Checks that {@code baseEjectionTime} and {@code maxEjectionTime} are not null.
     *
     * @param enabled whether traffic can eject a backend; default false
     * @param consecutive5xx failed responses in a row that eject a backend, 0 for never; default 5
     * @param consecutiveConnectFailures failed connections in a row that eject a backend, 0 for never; default 5
     * @param baseEjectionTime the first ejection's length, multiplied by the number of ejections; default 30 s
     * @param maxEjectionTime the longest an ejection lasts; default 300 s
     * @param maxEjectionPercent the largest share of the route's backends ejected at once, in percent; default 50
     * @param latencyPercentOfMedian eject a backend whose response-time average (time to the response head, decaying
     *     over 10 s) is above this percentage of the median of the route's backends (at least three with samples),
     *     looked at once a second; 0 for never; default 0
     */
    public OutlierDetectionConfig {
        Objects.requireNonNull(baseEjectionTime, "baseEjectionTime");
        Objects.requireNonNull(maxEjectionTime, "maxEjectionTime");
    }

    /** {@return a builder starting from the defaults, enabled} */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds an enabled {@link OutlierDetectionConfig}. Not thread-safe. */
    public static final class Builder {
        private int consecutive5xx = NONE.consecutive5xx;
        private int consecutiveConnectFailures = NONE.consecutiveConnectFailures;
        private Duration baseEjectionTime = NONE.baseEjectionTime;
        private Duration maxEjectionTime = NONE.maxEjectionTime;
        private int maxEjectionPercent = NONE.maxEjectionPercent;
        private int latencyPercentOfMedian = NONE.latencyPercentOfMedian;

        private Builder() {
        }

        /**
         * Sets {@link OutlierDetectionConfig#consecutive5xx()}.
         *
         * @param consecutive5xx failed responses in a row that eject a backend, 0 for never; default 5
         * @return this builder
         */
        public Builder consecutive5xx(int consecutive5xx) {
            this.consecutive5xx = consecutive5xx;
            return this;
        }

        /**
         * Sets {@link OutlierDetectionConfig#consecutiveConnectFailures()}.
         *
         * @param consecutiveConnectFailures failed connections in a row that eject a backend, 0 for never; default 5
         * @return this builder
         */
        public Builder consecutiveConnectFailures(int consecutiveConnectFailures) {
            this.consecutiveConnectFailures = consecutiveConnectFailures;
            return this;
        }

        /**
         * Sets {@link OutlierDetectionConfig#baseEjectionTime()}.
         *
         * @param baseEjectionTime the first ejection's length, multiplied by the number of ejections; default 30 s
         * @return this builder
         */
        public Builder baseEjectionTime(Duration baseEjectionTime) {
            this.baseEjectionTime = Objects.requireNonNull(baseEjectionTime, "baseEjectionTime");
            return this;
        }

        /**
         * Sets {@link OutlierDetectionConfig#maxEjectionTime()}.
         *
         * @param maxEjectionTime the longest an ejection lasts; default 300 s
         * @return this builder
         */
        public Builder maxEjectionTime(Duration maxEjectionTime) {
            this.maxEjectionTime = Objects.requireNonNull(maxEjectionTime, "maxEjectionTime");
            return this;
        }

        /**
         * Sets {@link OutlierDetectionConfig#maxEjectionPercent()}.
         *
         * @param maxEjectionPercent the largest share of the route's backends ejected at once, in percent; default 50
         * @return this builder
         */
        public Builder maxEjectionPercent(int maxEjectionPercent) {
            this.maxEjectionPercent = maxEjectionPercent;
            return this;
        }

        /**
         * Ejects backends slower than this percentage of the route's median, e.g. 300; 0 for never.
         *
         * @param latencyPercentOfMedian the percentage of the route's median latency; 0 for never
         * @return this builder
         */
        public Builder latencyPercentOfMedian(int latencyPercentOfMedian) {
            this.latencyPercentOfMedian = latencyPercentOfMedian;
            return this;
        }

        /** {@return the outlier detection, enabled} */
        public OutlierDetectionConfig build() {
            return new OutlierDetectionConfig(true, consecutive5xx, consecutiveConnectFailures, baseEjectionTime,
                    maxEjectionTime, maxEjectionPercent, latencyPercentOfMedian);
        }
    }
}
