package dev.junction.core.config;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The one HTTP client towards every backend: which transport carries requests, how many keep-alive connections it may
 * hold per backend and how long an unused one is kept.
 *
 * <p>Immutable. Built with {@link #builder()}; checked as part of {@link JunctionConfig}.
 *
 * @param maxConnectionsPerBackend the most connections open to one backend; requests beyond wait in a queue (the
 *     route's connect timeout bounds the wait); default 1024
 * @param idleTimeout how long an unused pooled connection is kept open; default 60 s. A backend that closes idle
 *     connections sooner is handled: a request caught by that race is sent again when that is safe.
 * @param transport the name of the transport requests go through ({@code jetty}, {@code undertow} with the Undertow
 *     adapter, or one registered with {@code Junction.Builder.transport(name, factory)}); null for the adapter's
 *     own choice
 * @param zone the zone this gateway runs in ({@code eu-west-1a}), which routes with {@code zoneAware} prefer among
 *     their backends' {@code metadata.zone}; null for none
 * @param dns how backends with {@code resolve: dns} and SRV URLs are looked up; default {@link DnsConfig#DEFAULT}
 */
public record ClientConfig(int maxConnectionsPerBackend, Duration idleTimeout, @Nullable String transport,
        @Nullable String zone, DnsConfig dns) {

    /** The largest {@link #maxConnectionsPerBackend} accepted. */
    public static final int MAX_CONNECTIONS = 100_000;

    /** 1024 connections per backend, kept 60 s when unused. */
    public static final ClientConfig DEFAULT = new ClientConfig(1024, Duration.ofSeconds(60), null, null,
            DnsConfig.DEFAULT);

    /**
     * Checks that {@code idleTimeout} and {@code dns} are not null.
     *
     * @param maxConnectionsPerBackend the most connections open to one backend; requests beyond wait in a queue (the
     *     route's connect timeout bounds the wait); default 1024
     * @param idleTimeout how long an unused pooled connection is kept open; default 60 s. A backend that closes idle
     *     connections sooner is handled: a request caught by that race is sent again when that is safe.
     * @param transport the name of the transport requests go through ({@code jetty}, {@code undertow} with the Undertow
     *     adapter, or one registered with {@code Junction.Builder.transport(name, factory)}); null for the adapter's
     *     own choice
     * @param zone the zone this gateway runs in ({@code eu-west-1a}), which routes with {@code zoneAware} prefer among
     *     their backends' {@code metadata.zone}; null for none
     * @param dns how backends with {@code resolve: dns} and SRV URLs are looked up; default {@link DnsConfig#DEFAULT}
     */
    public ClientConfig {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(dns, "dns");
    }

    /**
     * Makes a client with the default DNS settings.
     *
     * @param maxConnectionsPerBackend the most connections open to one backend
     * @param idleTimeout how long an unused pooled connection is kept open
     * @param transport the name of the transport requests go through, or null for the adapter's own choice
     * @param zone the zone this gateway runs in, or null for none
     */
    public ClientConfig(int maxConnectionsPerBackend, Duration idleTimeout, @Nullable String transport,
            @Nullable String zone) {
        this(maxConnectionsPerBackend, idleTimeout, transport, zone, DnsConfig.DEFAULT);
    }

    /**
     * Makes a client on the adapter's own transport, in no zone, with the default DNS settings.
     *
     * @param maxConnectionsPerBackend the most connections open to one backend
     * @param idleTimeout how long an unused pooled connection is kept open
     */
    public ClientConfig(int maxConnectionsPerBackend, Duration idleTimeout) {
        this(maxConnectionsPerBackend, idleTimeout, null, null);
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link ClientConfig}. Not thread-safe. */
    public static final class Builder {
        private int maxConnectionsPerBackend = DEFAULT.maxConnectionsPerBackend;
        private Duration idleTimeout = DEFAULT.idleTimeout;
        private @Nullable String transport;
        private @Nullable String zone;
        private DnsConfig dns = DnsConfig.DEFAULT;

        private Builder() {
        }

        /**
         * Sets {@link ClientConfig#maxConnectionsPerBackend()}.
         *
         * @param maxConnectionsPerBackend the most connections open to one backend; requests beyond wait in a queue
         *     (the route's connect timeout bounds the wait); default 1024
         * @return this builder
         */
        public Builder maxConnectionsPerBackend(int maxConnectionsPerBackend) {
            this.maxConnectionsPerBackend = maxConnectionsPerBackend;
            return this;
        }

        /**
         * Sets {@link ClientConfig#idleTimeout()}.
         *
         * @param idleTimeout how long an unused pooled connection is kept open; default 60 s. A backend that closes
         *     idle connections sooner is handled: a request caught by that race is sent again when that is safe.
         * @return this builder
         */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
            return this;
        }

        /**
         * Names the transport requests go through; null (the default) leaves the choice to the adapter.
         *
         * @param transport the transport's name, such as {@code jetty}, or null
         * @return this builder
         */
        public Builder transport(@Nullable String transport) {
            this.transport = transport;
            return this;
        }

        /**
         * Names the zone this gateway runs in, for zone-aware routes; null for none.
         *
         * @param zone the zone, such as {@code eu-west-1a}, or null
         * @return this builder
         */
        public Builder zone(@Nullable String zone) {
            this.zone = zone;
            return this;
        }

        /**
         * Sets how DNS-resolved backends are looked up; default {@link DnsConfig#DEFAULT}.
         *
         * @param dns the DNS settings
         * @return this builder
         */
        public Builder dns(DnsConfig dns) {
            this.dns = Objects.requireNonNull(dns, "dns");
            return this;
        }

        /** {@return the client's settings} */
        public ClientConfig build() {
            return new ClientConfig(maxConnectionsPerBackend, idleTimeout, transport, zone, dns);
        }
    }
}
