package dev.junction.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a route waits for its backends. A connect timeout moves the request to another backend (the backend saw
 * nothing); the others answer 504 before the response head and close the client connection after it.
 *
 * <p>Immutable. Built with {@link #builder()}; checked as part of {@link JunctionConfig}.
 *
 * @param connect the longest wait for a connection to the backend: connecting, or waiting for a pooled one when the
 *     backend's connections are all busy; default 5 s
 * @param response the longest wait for the response head once the request has been sent (time to first byte);
 *     default 60 s
 * @param idle the longest silence in either direction while the exchange is active; default 60 s
 * @param total the longest a whole exchange may take, head to last byte, or {@link Duration#ZERO} for no limit;
 *     default none
 * @param tunnelIdle the longest a tunnel (a WebSocket or another upgraded connection, after {@code 101}) may carry
 *     no byte either way before both its connections are closed; default 1 h
 */
public record TimeoutConfig(Duration connect, Duration response, Duration idle, Duration total,
        Duration tunnelIdle) {

    /** Connect 5 s, response 60 s, idle 60 s, no total limit, tunnels idle 1 h. */
    public static final TimeoutConfig DEFAULT = new TimeoutConfig(Duration.ofSeconds(5), Duration.ofSeconds(60),
            Duration.ofSeconds(60), Duration.ZERO, Duration.ofHours(1));

    /**
     * Checks that the durations are not null.
     *
     * @param connect the longest wait for a connection to the backend: connecting, or waiting for a pooled one when the
     *     backend's connections are all busy; default 5 s
     * @param response the longest wait for the response head once the request has been sent (time to first byte);
     *     default 60 s
     * @param idle the longest silence in either direction while the exchange is active; default 60 s
     * @param total the longest a whole exchange may take, head to last byte, or {@link Duration#ZERO} for no limit;
     *     default none
     * @param tunnelIdle the longest a tunnel (a WebSocket or another upgraded connection, after {@code 101}) may carry
     *     no byte either way before both its connections are closed; default 1 h
     */
    public TimeoutConfig {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(idle, "idle");
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(tunnelIdle, "tunnelIdle");
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder(DEFAULT);
    }

    /** {@return a builder starting from these timeouts} */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds a {@link TimeoutConfig}. Not thread-safe. */
    public static final class Builder {
        private Duration connect;
        private Duration response;
        private Duration idle;
        private Duration total;
        private Duration tunnelIdle;

        private Builder(TimeoutConfig from) {
            this.connect = from.connect;
            this.response = from.response;
            this.idle = from.idle;
            this.total = from.total;
            this.tunnelIdle = from.tunnelIdle;
        }

        /**
         * Sets {@link TimeoutConfig#connect()}.
         *
         * @param connect the longest wait for a connection to the backend: connecting, or waiting for a pooled one when
         *     the backend's connections are all busy; default 5 s
         * @return this builder
         */
        public Builder connect(Duration connect) {
            this.connect = Objects.requireNonNull(connect, "connect");
            return this;
        }

        /**
         * Sets {@link TimeoutConfig#response()}.
         *
         * @param response the longest wait for the response head once the request has been sent (time to first byte);
         *     default 60 s
         * @return this builder
         */
        public Builder response(Duration response) {
            this.response = Objects.requireNonNull(response, "response");
            return this;
        }

        /**
         * Sets {@link TimeoutConfig#idle()}.
         *
         * @param idle the longest silence in either direction while the exchange is active; default 60 s
         * @return this builder
         */
        public Builder idle(Duration idle) {
            this.idle = Objects.requireNonNull(idle, "idle");
            return this;
        }

        /**
         * Sets the total limit; {@link Duration#ZERO} for none.
         *
         * @param total the longest a whole exchange may take, head to last byte
         * @return this builder
         */
        public Builder total(Duration total) {
            this.total = Objects.requireNonNull(total, "total");
            return this;
        }

        /**
         * Sets how long a tunnel may carry nothing either way.
         *
         * @param tunnelIdle the longest a tunnel may carry no byte either way before both its connections are closed
         * @return this builder
         */
        public Builder tunnelIdle(Duration tunnelIdle) {
            this.tunnelIdle = Objects.requireNonNull(tunnelIdle, "tunnelIdle");
            return this;
        }

        /** {@return the timeouts, from this builder's settings} */
        public TimeoutConfig build() {
            return new TimeoutConfig(connect, response, idle, total, tunnelIdle);
        }
    }
}
