package dev.junction.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The one HTTP client towards every backend: how many keep-alive connections it may hold per backend and how long an
 * unused one is kept.
 *
 * <p>Immutable. Built with {@link #builder()}; checked as part of {@link JunctionConfig}.
 *
 * @param maxConnectionsPerBackend the most connections open to one backend; requests beyond wait in a queue (the
 *     route's connect timeout bounds the wait); default 1024
 * @param idleTimeout how long an unused pooled connection is kept open; default 60 s. A backend that closes idle
 *     connections sooner is handled: a request caught by that race is sent again when that is safe.
 */
public record ClientConfig(int maxConnectionsPerBackend, Duration idleTimeout) {

    /** The largest {@link #maxConnectionsPerBackend} accepted. */
    public static final int MAX_CONNECTIONS = 100_000;

    /** 1024 connections per backend, kept 60 s when unused. */
    public static final ClientConfig DEFAULT = new ClientConfig(1024, Duration.ofSeconds(60));

    public ClientConfig {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
    }

    /** Returns a builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link ClientConfig}. Not thread-safe. */
    public static final class Builder {
        private int maxConnectionsPerBackend = DEFAULT.maxConnectionsPerBackend;
        private Duration idleTimeout = DEFAULT.idleTimeout;

        private Builder() {
        }

        public Builder maxConnectionsPerBackend(int maxConnectionsPerBackend) {
            this.maxConnectionsPerBackend = maxConnectionsPerBackend;
            return this;
        }

        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
            return this;
        }

        public ClientConfig build() {
            return new ClientConfig(maxConnectionsPerBackend, idleTimeout);
        }
    }
}
