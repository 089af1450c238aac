package dev.junction.core.config;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A route's retries: a failed attempt is sent again, to another backend when there is one, after an exponential
 * backoff with jitter, as long as it is safe, attempts are left, the retry budget allows and the deadline has not
 * passed. The mechanics (attempts, backoff, jitter, deadline) are Failsafe's {@code RetryPolicy}.
 *
 * <p>Safe means: a request that never reached a backend may always be sent again; any other only if its method is
 * idempotent ({@code GET}, {@code HEAD}, {@code OPTIONS}, {@code PUT}, {@code DELETE}, {@code TRACE}) and its body was
 * empty or small enough to be held for the replay ({@code bufferBytes}) and sent whole. The budget caps retries at
 * {@code budgetPercent} of the route's requests over the last 10 s, plus {@code budgetMinPerSecond} per second, so an
 * outage cannot multiply the load; when it is spent, the original failure is returned.
 *
 * <p>Without retries configured, a request that never reached a backend still goes to the next untried one (see
 * docs/forwarding.md); with them, this configuration governs that too.
 *
 * <p>Immutable. Built with {@link #builder()}; checked as part of {@link JunctionConfig}.
 *
 * @param enabled whether the route retries; default false
 * @param maxAttempts the most attempts per request, the first included; default 3
 * @param backoffBase the wait before the first retry, doubling with each one; default 25 ms (Envoy's)
 * @param backoffMax the longest wait; default 250 ms
 * @param retryOn the failures that are retried; default all of them
 * @param retryStatuses response statuses that are retried (codes and ranges), or empty for none; default none
 * @param bufferBytes the largest request body held for a replay; default 65536
 * @param budgetPercent retries as a share of the route's requests, in percent; default 20
 * @param budgetMinPerSecond retries allowed per second whatever the share; default 10
 * @param deadline the longest all attempts and waits of a request may take together, or zero for no bound beyond
 *     the attempts' own timeouts; default zero
 * @param attemptsHeader whether responses say how many attempts were made, in {@code X-Junction-Attempts}; default
 *     false
 */
public record RetryConfig(boolean enabled, int maxAttempts, Duration backoffBase, Duration backoffMax,
        Set<RetryOn> retryOn, String retryStatuses, int bufferBytes, int budgetPercent, int budgetMinPerSecond,
        Duration deadline, boolean attemptsHeader) {

    /** The failures a retry may follow. */
    public enum RetryOn {
        /** The backend could not be reached: the connection was refused or timed out, or never got the request. */
        CONNECT_FAILURE,
        /** The connection was closed or reset before the response head. */
        RESET,
        /** No response head within the route's response timeout (or its total one). */
        TIMEOUT;

        /** {@return the name configuration uses: {@code connect-failure}, {@code reset}, {@code timeout}} */
        public String configName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /**
         * {@return the value of a configuration name, or null if none is}
         *
         * @param name the name, as {@link #configName()} gives it; surrounding spaces are ignored
         */
        public static RetryOn fromConfigName(String name) {
            for (RetryOn value : values()) {
                if (value.configName().equals(name.trim())) {
                    return value;
                }
            }
            return null;
        }
    }

    /** No retries. */
    public static final RetryConfig NONE = new RetryConfig(false, 3, Duration.ofMillis(25), Duration.ofMillis(250),
            EnumSet.allOf(RetryOn.class), "", 64 * 1024, 20, 10, Duration.ZERO, false);

    /**
     * Checks that the durations and {@code retryStatuses} are not null and copies {@code retryOn}, which is then
     * unmodifiable.
     *
     * @param enabled whether the route retries; default false
     * @param maxAttempts the most attempts per request, the first included; default 3
     * @param backoffBase the wait before the first retry, doubling with each one; default 25 ms (Envoy's)
     * @param backoffMax the longest wait; default 250 ms
     * @param retryOn the failures that are retried; default all of them
     * @param retryStatuses response statuses that are retried (codes and ranges), or empty for none; default none
     * @param bufferBytes the largest request body held for a replay; default 65536
     * @param budgetPercent retries as a share of the route's requests, in percent; default 20
     * @param budgetMinPerSecond retries allowed per second whatever the share; default 10
     * @param deadline the longest all attempts and waits of a request may take together, or zero for no bound beyond
     *     the attempts' own timeouts; default zero
     * @param attemptsHeader whether responses say how many attempts were made, in {@code X-Junction-Attempts}; default
     *     false
     */
    public RetryConfig {
        Objects.requireNonNull(backoffBase, "backoffBase");
        Objects.requireNonNull(backoffMax, "backoffMax");
        retryOn = retryOn.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(retryOn));
        Objects.requireNonNull(retryStatuses, "retryStatuses");
        Objects.requireNonNull(deadline, "deadline");
    }

    /** {@return a builder starting from the defaults, enabled} */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds an enabled {@link RetryConfig}. Not thread-safe. */
    public static final class Builder {
        private int maxAttempts = NONE.maxAttempts;
        private Duration backoffBase = NONE.backoffBase;
        private Duration backoffMax = NONE.backoffMax;
        private Set<RetryOn> retryOn = NONE.retryOn;
        private String retryStatuses = NONE.retryStatuses;
        private int bufferBytes = NONE.bufferBytes;
        private int budgetPercent = NONE.budgetPercent;
        private int budgetMinPerSecond = NONE.budgetMinPerSecond;
        private Duration deadline = NONE.deadline;
        private boolean attemptsHeader = NONE.attemptsHeader;

        private Builder() {
        }

        /**
         * Sets {@link RetryConfig#maxAttempts()}.
         *
         * @param maxAttempts the most attempts per request, the first included; default 3
         * @return this builder
         */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * Sets the backoff: {@link RetryConfig#backoffBase()} and {@link RetryConfig#backoffMax()}.
         *
         * @param base the wait before the first retry, doubling with each one; default 25 ms
         * @param max the longest wait; default 250 ms
         * @return this builder
         */
        public Builder backoff(Duration base, Duration max) {
            this.backoffBase = Objects.requireNonNull(base, "base");
            this.backoffMax = Objects.requireNonNull(max, "max");
            return this;
        }

        /**
         * Sets {@link RetryConfig#retryOn()}.
         *
         * @param retryOn the failures that are retried; default all of them
         * @return this builder
         */
        public Builder retryOn(Set<RetryOn> retryOn) {
            this.retryOn = Objects.requireNonNull(retryOn, "retryOn");
            return this;
        }

        /**
         * Sets the statuses retried, e.g. {@code 503} or {@code 502-504}.
         *
         * @param retryStatuses codes and ranges, as {@link StatusRanges} reads them; empty for none
         * @return this builder
         */
        public Builder retryStatuses(String retryStatuses) {
            this.retryStatuses = Objects.requireNonNull(retryStatuses, "retryStatuses");
            return this;
        }

        /**
         * Sets {@link RetryConfig#bufferBytes()}.
         *
         * @param bufferBytes the largest request body held for a replay; default 65536
         * @return this builder
         */
        public Builder bufferBytes(int bufferBytes) {
            this.bufferBytes = bufferBytes;
            return this;
        }

        /**
         * Sets the retry budget: {@link RetryConfig#budgetPercent()} and {@link RetryConfig#budgetMinPerSecond()}.
         *
         * @param percent retries as a share of the route's requests, in percent; default 20
         * @param minPerSecond retries allowed per second whatever the share; default 10
         * @return this builder
         */
        public Builder budget(int percent, int minPerSecond) {
            this.budgetPercent = percent;
            this.budgetMinPerSecond = minPerSecond;
            return this;
        }

        /**
         * Sets {@link RetryConfig#deadline()}.
         *
         * @param deadline the longest all attempts and waits of a request may take together, or zero for no bound
         *     beyond the attempts' own timeouts; default zero
         * @return this builder
         */
        public Builder deadline(Duration deadline) {
            this.deadline = Objects.requireNonNull(deadline, "deadline");
            return this;
        }

        /**
         * Sets {@link RetryConfig#attemptsHeader()}.
         *
         * @param attemptsHeader whether responses say how many attempts were made, in {@code X-Junction-Attempts};
         *     default false
         * @return this builder
         */
        public Builder attemptsHeader(boolean attemptsHeader) {
            this.attemptsHeader = attemptsHeader;
            return this;
        }

        /** {@return the retries, enabled} */
        public RetryConfig build() {
            return new RetryConfig(true, maxAttempts, backoffBase, backoffMax, retryOn, retryStatuses, bufferBytes,
                    budgetPercent, budgetMinPerSecond, deadline, attemptsHeader);
        }
    }
}
