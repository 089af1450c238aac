package dev.junction.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * A route's circuit breakers, one per backend: a backend whose requests keep failing is cut off for {@code delay},
 * then tried with {@code halfOpenTrials} requests, and let back once {@code successesToClose} of them succeed (a
 * failed trial opens it again). An open breaker takes its backend out of selection, as an ejection does. The
 * mechanics are Failsafe's {@code CircuitBreaker}.
 *
 * <p>A failure is a connection that could not be made, an attempt that timed out or broke off, or a response whose
 * status is one of {@code failureStatuses}. The breaker opens after {@code consecutiveFailures} failures in a row, or,
 * when {@code failureRatePercent} is set, once at least that share of the requests in the last {@code window} failed
 * (counting only once there were {@code minimumCalls} of them).
 *
 * <p>Immutable. Built with {@link #builder()}; checked as part of {@link JunctionConfig}.
 *
 * @param enabled whether the route's backends have breakers; default false
 * @param failureStatuses the statuses that count as failures, codes and ranges; default {@code 502-504}
 * @param consecutiveFailures failures in a row that open a breaker; default 5
 * @param failureRatePercent the share of failed requests in {@code window}, in percent, that opens a breaker, or 0
 *     to count failures in a row instead; default 0
 * @param minimumCalls the fewest requests in {@code window} before the failure rate counts; default 20
 * @param window the time the failure rate is measured over; default 30 s
 * @param delay how long a breaker stays open before its trials; default 30 s
 * @param halfOpenTrials how many requests a half-open breaker lets through; default 1
 * @param successesToClose how many of those trials must succeed to close it, at most {@code halfOpenTrials}; default 1
 * @param maxOpenPercent the largest share of the route's backends whose breakers may be open (or half-open) at once
 *     on their own, in percent; one may always open. A breaker that would go over it stays closed, so one burst of
 *     failures (or of requests made to fail) cannot cut a route off from every backend; default 50, 100 for no
 *     bound. Breakers held open by an operator neither count nor are held back.
 */
public record BreakerConfig(boolean enabled, String failureStatuses, int consecutiveFailures, int failureRatePercent,
        int minimumCalls, Duration window, Duration delay, int halfOpenTrials, int successesToClose,
        int maxOpenPercent) {

    /** No circuit breakers. */
    public static final BreakerConfig NONE = new BreakerConfig(false, "502-504", 5, 0, 20, Duration.ofSeconds(30),
            Duration.ofSeconds(30), 1, 1, 50);

    /**
     * Checks that {@code failureStatuses}, {@code window} and {@code delay} are not null.
     *
     * @param enabled whether the route's backends have breakers; default false
     * @param failureStatuses the statuses that count as failures, codes and ranges; default {@code 502-504}
     * @param consecutiveFailures failures in a row that open a breaker; default 5
     * @param failureRatePercent the share of failed requests in {@code window}, in percent, that opens a breaker, or 0
     *     to count failures in a row instead; default 0
     * @param minimumCalls the fewest requests in {@code window} before the failure rate counts; default 20
     * @param window the time the failure rate is measured over; default 30 s
     * @param delay how long a breaker stays open before its trials; default 30 s
     * @param halfOpenTrials how many requests a half-open breaker lets through; default 1
     * @param successesToClose how many of those trials must succeed to close it, at most {@code halfOpenTrials};
     *     default 1
     * @param maxOpenPercent the largest share of the route's backends whose breakers may be open (or half-open) at once
     *     on their own, in percent; one may always open. A breaker that would go over it stays closed, so one burst of
     *     failures (or of requests made to fail) cannot cut a route off from every backend; default 50, 100 for no
     *     bound. Breakers held open by an operator neither count nor are held back.
     */
    public BreakerConfig {
        Objects.requireNonNull(failureStatuses, "failureStatuses");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(delay, "delay");
    }

    /** {@return a builder starting from the defaults, enabled} */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds an enabled {@link BreakerConfig}. Not thread-safe. */
    public static final class Builder {
        private String failureStatuses = NONE.failureStatuses;
        private int consecutiveFailures = NONE.consecutiveFailures;
        private int failureRatePercent = NONE.failureRatePercent;
        private int minimumCalls = NONE.minimumCalls;
        private Duration window = NONE.window;
        private Duration delay = NONE.delay;
        private int halfOpenTrials = NONE.halfOpenTrials;
        private int successesToClose = NONE.successesToClose;
        private int maxOpenPercent = NONE.maxOpenPercent;

        private Builder() {
        }

        /**
         * Sets the statuses that count as failures, e.g. {@code 500-599}.
         *
         * @param failureStatuses codes and ranges, as {@link StatusRanges} reads them
         * @return this builder
         */
        public Builder failureStatuses(String failureStatuses) {
            this.failureStatuses = Objects.requireNonNull(failureStatuses, "failureStatuses");
            return this;
        }

        /**
         * Sets {@link BreakerConfig#consecutiveFailures()}.
         *
         * @param consecutiveFailures failures in a row that open a breaker; default 5
         * @return this builder
         */
        public Builder consecutiveFailures(int consecutiveFailures) {
            this.consecutiveFailures = consecutiveFailures;
            return this;
        }

        /**
         * Sets {@link BreakerConfig#failureRatePercent()}.
         *
         * @param failureRatePercent the share of failed requests in {@code window}, in percent, that opens a breaker,
         *     or 0 to count failures in a row instead; default 0
         * @return this builder
         */
        public Builder failureRatePercent(int failureRatePercent) {
            this.failureRatePercent = failureRatePercent;
            return this;
        }

        /**
         * Sets {@link BreakerConfig#minimumCalls()}.
         *
         * @param minimumCalls the fewest requests in {@code window} before the failure rate counts; default 20
         * @return this builder
         */
        public Builder minimumCalls(int minimumCalls) {
            this.minimumCalls = minimumCalls;
            return this;
        }

        /**
         * Sets {@link BreakerConfig#window()}.
         *
         * @param window the time the failure rate is measured over; default 30 s
         * @return this builder
         */
        public Builder window(Duration window) {
            this.window = Objects.requireNonNull(window, "window");
            return this;
        }

        /**
         * Sets {@link BreakerConfig#delay()}.
         *
         * @param delay how long a breaker stays open before its trials; default 30 s
         * @return this builder
         */
        public Builder delay(Duration delay) {
            this.delay = Objects.requireNonNull(delay, "delay");
            return this;
        }

        /**
         * Sets {@link BreakerConfig#halfOpenTrials()}.
         *
         * @param halfOpenTrials how many requests a half-open breaker lets through; default 1
         * @return this builder
         */
        public Builder halfOpenTrials(int halfOpenTrials) {
            this.halfOpenTrials = halfOpenTrials;
            return this;
        }

        /**
         * Sets {@link BreakerConfig#successesToClose()}.
         *
         * @param successesToClose how many of those trials must succeed to close it, at most {@code halfOpenTrials};
         *     default 1
         * @return this builder
         */
        public Builder successesToClose(int successesToClose) {
            this.successesToClose = successesToClose;
            return this;
        }

        /**
         * Sets {@link BreakerConfig#maxOpenPercent()}.
         *
         * @param maxOpenPercent the largest share of the route's backends whose breakers may be open (or half-open) at
         *     once on their own, in percent; one may always open. A breaker that would go over it stays closed, so one
         *     burst of failures (or of requests made to fail) cannot cut a route off from every backend; default 50,
         *     100 for no bound. Breakers held open by an operator neither count nor are held back.
         * @return this builder
         */
        public Builder maxOpenPercent(int maxOpenPercent) {
            this.maxOpenPercent = maxOpenPercent;
            return this;
        }

        /** {@return the breakers' settings, enabled} */
        public BreakerConfig build() {
            return new BreakerConfig(true, failureStatuses, consecutiveFailures, failureRatePercent, minimumCalls,
                    window, delay, halfOpenTrials, successesToClose, maxOpenPercent);
        }
    }
}
