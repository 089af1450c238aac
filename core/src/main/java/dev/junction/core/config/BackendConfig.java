package dev.junction.core.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One backend of a route as configured: where it is and how it takes part in balancing.
 *
 * <p>Immutable. Built with {@link #builder()} or {@link #of(String)}; ranges are checked when the whole
 * {@link JunctionConfig} is built, so every problem is reported at once.
 *
 * @param id a name unique within the route, used in logs, status and affinity; default: the URL without its scheme
 *     ({@code http://10.0.0.5:8080} is {@code 10.0.0.5:8080})
 * @param url the base URL: {@code http} or {@code https}, a host, an optional port and an optional path prefixed to
 *     every forwarded path
 * @param weight the relative share of traffic for weighted strategies; 1 to {@value #MAX_WEIGHT}, default 1
 * @param backup whether the backend is used only while no primary backend is available; default false
 * @param disabled whether an operator has taken the backend out of service; default false
 * @param maxConcurrent the most requests in flight to this backend at once, 0 for no limit (nginx's
 *     {@code max_conns}); default 0. An open tunnel (a WebSocket) counts as one
 * @param maxTunnels the most tunnels (WebSockets and other upgraded connections) open to this backend at once, 0 for no
 *     limit of their own (they still count towards {@code maxConcurrent}); an upgrade request passes over a backend at
 *     this limit; default 0
 * @param protocol how Junction speaks to the backend: {@link BackendProtocol#HTTP_1_1} (default), or HTTP/2 in clear
 *     text ({@code h2c}, an {@code http://} URL) or over TLS ({@code h2}, an {@code https://} URL), its requests then
 *     multiplexed as streams over few connections
 * @param metadata free-form labels such as region, zone or version; default none
 * @param healthCheck this backend's own active health check in place of its route's, {@link HealthCheckConfig#NONE}
 *     to check this backend not at all, or null for the route's check; default null
 * @param group the release group the backend belongs to ({@code stable}, {@code canary}, {@code blue}), which takes
 *     the share of the route's traffic its {@link ReleaseConfig} gives it; null for none (a route whose backends name
 *     no group is one pool); default null
 * @param resolve {@link Resolve#DNS} to take the URL's host name as a DNS name whose records are the backends: each
 *     address becomes a backend of the route, re-resolved on its TTL ({@link DnsConfig}); {@link Resolve#NONE} (the
 *     default) to connect to the host as the transport resolves it. A {@code dns+srv://_http._tcp.service} URL is
 *     always resolved, by its SRV records
 */
public record BackendConfig(
        String id,
        String url,
        int weight,
        boolean backup,
        boolean disabled,
        int maxConcurrent,
        int maxTunnels,
        BackendProtocol protocol,
        Map<String, String> metadata,
        @Nullable HealthCheckConfig healthCheck,
        @Nullable String group,
        Resolve resolve) {

    /** How a backend's host name becomes addresses. */
    public enum Resolve {
        /** The transport resolves the host when it connects: one backend. */
        NONE,
        /** Junction resolves the name in DNS, and each address is a backend of its own. */
        DNS
    }

    /** The scheme of a backend resolved by its SRV records: {@code dns+srv://_http._tcp.service}. */
    public static final String SRV_SCHEME = "dns+srv";

    /** The largest weight a backend may have (HAProxy allows 256, Envoy 128 per host in its weighted schedulers). */
    public static final int MAX_WEIGHT = 1000;

    /**
     * Checks that {@code id}, {@code url}, {@code protocol} and {@code resolve} are not null and copies
     * {@code metadata}, which is then unmodifiable.
     *
     * @param id a name unique within the route, used in logs, status and affinity; default: the URL without its scheme
     *     ({@code http://10.0.0.5:8080} is {@code 10.0.0.5:8080})
     * @param url the base URL: {@code http} or {@code https}, a host, an optional port and an optional path prefixed to
     *     every forwarded path
     * @param weight the relative share of traffic for weighted strategies; 1 to {@value #MAX_WEIGHT}, default 1
     * @param backup whether the backend is used only while no primary backend is available; default false
     * @param disabled whether an operator has taken the backend out of service; default false
     * @param maxConcurrent the most requests in flight to this backend at once, 0 for no limit (nginx's
     *     {@code max_conns}); default 0. An open tunnel (a WebSocket) counts as one
     * @param maxTunnels the most tunnels (WebSockets and other upgraded connections) open to this backend at once, 0
     *     for no limit of their own (they still count towards {@code maxConcurrent}); an upgrade request passes over a
     *     backend at this limit; default 0
     * @param protocol how Junction speaks to the backend: {@link BackendProtocol#HTTP_1_1} (default), or HTTP/2 in
     *     clear text ({@code h2c}, an {@code http://} URL) or over TLS ({@code h2}, an {@code https://} URL), its
     *     requests then multiplexed as streams over few connections
     * @param metadata free-form labels such as region, zone or version; default none
     * @param healthCheck this backend's own active health check in place of its route's, {@link HealthCheckConfig#NONE}
     *     to check this backend not at all, or null for the route's check; default null
     * @param group the release group the backend belongs to ({@code stable}, {@code canary}, {@code blue}), which takes
     *     the share of the route's traffic its {@link ReleaseConfig} gives it; null for none (a route whose backends
     *     name no group is one pool); default null
     * @param resolve {@link Resolve#DNS} to take the URL's host name as a DNS name whose records are the backends: each
     *     address becomes a backend of the route, re-resolved on its TTL ({@link DnsConfig}); {@link Resolve#NONE} (the
     *     default) to connect to the host as the transport resolves it. A {@code dns+srv://_http._tcp.service} URL is
     *     always resolved, by its SRV records
     */
    public BackendConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(protocol, "protocol");
        metadata = Map.copyOf(metadata);
        Objects.requireNonNull(resolve, "resolve");
    }

    /** {@return whether the backend stands for those DNS gives: {@code resolve: dns}, or an SRV URL} */
    public boolean discovered() {
        return resolve == Resolve.DNS || srv();
    }

    /** {@return whether the URL names SRV records ({@code dns+srv://})} */
    public boolean srv() {
        return url.regionMatches(true, 0, SRV_SCHEME + "://", 0, SRV_SCHEME.length() + 3);
    }

    /** {@return the name of the SRV records a {@code dns+srv://} URL names, without trailing slashes} */
    public String srvName() {
        String name = url.trim().substring(SRV_SCHEME.length() + 3);
        while (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        return name;
    }

    /**
     * {@return a backend at this URL with every other property at its default}
     *
     * @param url the base URL, such as {@code http://10.0.0.5:8080}
     */
    public static BackendConfig of(String url) {
        return builder().url(url).build();
    }

    /** {@return a new builder; {@link Builder#url(String)} is required} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder initialised with this backend's properties} */
    public Builder toBuilder() {
        Builder builder = new Builder().id(id).url(url).weight(weight).backup(backup).disabled(disabled)
                .maxConcurrent(maxConcurrent).maxTunnels(maxTunnels).protocol(protocol);
        builder.metadata.putAll(metadata);
        builder.healthCheck = healthCheck;
        builder.group = group;
        builder.resolve = resolve;
        return builder;
    }

    /**
     * {@return the id derived from a URL: the URL without its scheme and trailing slash} Derived ids are stable across
     * gateways, which consistent hashing relies on.
     *
     * @param url a backend's base URL
     */
    public static String defaultId(String url) {
        String id = url.trim();
        int scheme = id.indexOf("://");
        if (scheme >= 0) {
            id = id.substring(scheme + 3);
        }
        while (id.length() > 1 && id.endsWith("/")) {
            id = id.substring(0, id.length() - 1);
        }
        return id;
    }

    /**
     * Builds a {@link BackendConfig}. Not thread-safe; {@link #build()} copies, so a reused builder changes nothing
     * built.
     */
    public static final class Builder {
        private @Nullable String id;
        private @Nullable String url;
        private int weight = 1;
        private boolean backup;
        private boolean disabled;
        private int maxConcurrent;
        private int maxTunnels;
        private BackendProtocol protocol = BackendProtocol.HTTP_1_1;
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private @Nullable HealthCheckConfig healthCheck;
        private @Nullable String group;
        private Resolve resolve = Resolve.NONE;

        private Builder() {
        }

        /**
         * Sets {@link BackendConfig#id()}.
         *
         * @param id a name unique within the route, used in logs, status and affinity; without one, {@link #build()}
         *     derives it from the URL ({@link BackendConfig#defaultId(String)})
         * @return this builder
         */
        public Builder id(String id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        /**
         * Sets {@link BackendConfig#url()}.
         *
         * @param url the base URL: {@code http} or {@code https}, a host, an optional port and an optional path
         *     prefixed to every forwarded path
         * @return this builder
         */
        public Builder url(String url) {
            this.url = Objects.requireNonNull(url, "url");
            return this;
        }

        /**
         * Sets {@link BackendConfig#weight()}.
         *
         * @param weight the relative share of traffic for weighted strategies; 1 to {@value #MAX_WEIGHT}, default 1
         * @return this builder
         */
        public Builder weight(int weight) {
            this.weight = weight;
            return this;
        }

        /**
         * Sets {@link BackendConfig#backup()}.
         *
         * @param backup whether the backend is used only while no primary backend is available; default false
         * @return this builder
         */
        public Builder backup(boolean backup) {
            this.backup = backup;
            return this;
        }

        /**
         * Sets {@link BackendConfig#disabled()}.
         *
         * @param disabled whether an operator has taken the backend out of service; default false
         * @return this builder
         */
        public Builder disabled(boolean disabled) {
            this.disabled = disabled;
            return this;
        }

        /**
         * Sets {@link BackendConfig#maxConcurrent()}.
         *
         * @param maxConcurrent the most requests in flight to this backend at once, 0 for no limit (nginx's
         *     {@code max_conns}); default 0. An open tunnel (a WebSocket) counts as one
         * @return this builder
         */
        public Builder maxConcurrent(int maxConcurrent) {
            this.maxConcurrent = maxConcurrent;
            return this;
        }

        /**
         * Sets {@link BackendConfig#maxTunnels()}.
         *
         * @param maxTunnels the most tunnels (WebSockets and other upgraded connections) open to this backend at once,
         *     0 for no limit of their own (they still count towards {@code maxConcurrent}); an upgrade request passes
         *     over a backend at this limit; default 0
         * @return this builder
         */
        public Builder maxTunnels(int maxTunnels) {
            this.maxTunnels = maxTunnels;
            return this;
        }

        /**
         * Sets {@link BackendConfig#protocol()}.
         *
         * @param protocol how Junction speaks to the backend: {@link BackendProtocol#HTTP_1_1} (default), or HTTP/2 in
         *     clear text ({@code h2c}, an {@code http://} URL) or over TLS ({@code h2}, an {@code https://} URL), its
         *     requests then multiplexed as streams over few connections
         * @return this builder
         */
        public Builder protocol(BackendProtocol protocol) {
            this.protocol = Objects.requireNonNull(protocol, "protocol");
            return this;
        }

        /**
         * Adds one label, replacing one of the same key.
         *
         * @param key the label's name, such as {@code zone}
         * @param value the label's value
         * @return this builder
         */
        public Builder metadata(String key, String value) {
            metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Adds every label of a map, as {@link #metadata(String, String)} does for each, keeping those already set.
         *
         * @param metadata the labels to add
         * @return this builder
         */
        public Builder metadata(Map<String, String> metadata) {
            metadata.forEach(this::metadata);
            return this;
        }

        /**
         * Gives the backend a health check of its own in place of its route's ({@link HealthCheckConfig#NONE}: no
         * active checks for it). {@link HealthCheckConfig#toBuilder()} on the route's check derives one that differs
         * only where it must.
         *
         * @param healthCheck the backend's own check
         * @return this builder
         */
        public Builder healthCheck(HealthCheckConfig healthCheck) {
            this.healthCheck = Objects.requireNonNull(healthCheck, "healthCheck");
            return this;
        }

        /**
         * Puts the backend in a release group (see {@link ReleaseConfig}); null for none.
         *
         * @param group the release group's name, or null for none
         * @return this builder
         */
        public Builder group(@Nullable String group) {
            this.group = group;
            return this;
        }

        /**
         * Sets how the backend's host name becomes addresses; default {@link Resolve#NONE}.
         *
         * @param resolve how the host name becomes addresses
         * @return this builder
         */
        public Builder resolve(Resolve resolve) {
            this.resolve = Objects.requireNonNull(resolve, "resolve");
            return this;
        }

        /**
         * Returns the backend.
         *
         * @return the backend, its id derived from its URL unless one was set
         * @throws IllegalStateException if no URL was given
         */
        public BackendConfig build() {
            if (url == null) {
                throw new IllegalStateException("url: not set (expected: the backend's base URL)");
            }
            return new BackendConfig(id != null ? id : defaultId(url), url, weight, backup, disabled, maxConcurrent,
                    maxTunnels, protocol, metadata, healthCheck, group, resolve);
        }
    }
}
