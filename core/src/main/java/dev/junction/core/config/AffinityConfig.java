package dev.junction.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A route's session affinity: which backend a client keeps reaching, and how that survives failures and many gateway
 * instances.
 * <ul>
 *   <li>{@code cookie}: the gateway issues a cookie naming the backend: opaque (a random session id, a keyed hash of
 *       the backend id, and a signature over both), so it reveals no address and a client cannot forge a pin.</li>
 *   <li>{@code header}: a request header such as {@code X-Session-ID}, consistently hashed over the backends.</li>
 *   <li>{@code ip}: the client address, consistently hashed; the forwarded address is believed only from
 *       {@code trustedProxies}.</li>
 *   <li>{@code app-cookie}: the application's own session cookie, such as {@code JSESSIONID}: learned from the
 *       backend's {@code Set-Cookie}, kept in a bounded table.</li>
 * </ul>
 * A request without a pin, or whose pinned backend is unavailable, gets the route's strategy, and the pin moves to
 * the backend that served it. A pin to a backend that is only draining holds until the session's TTL.
 *
 * <p>Immutable. Built with {@link #builder(Mode)}; checked as part of {@link JunctionConfig}.
 *
 * @param mode how a session is recognised, or {@link Mode#NONE}; default none
 * @param cookieName the gateway's cookie ({@code cookie} mode); default {@code JUNCTION_AFFINITY}
 * @param cookiePath its {@code Path}; default {@code /}
 * @param cookieMaxAge its {@code Max-Age}, or zero for a cookie that ends with the browser session; default zero
 * @param cookieHttpOnly whether it is {@code HttpOnly}; default true
 * @param cookieSecure whether it is {@code Secure}; default false
 * @param cookieSameSite its {@code SameSite}: {@code Strict}, {@code Lax} or {@code None}; default {@code Lax}
 * @param header the header naming the session ({@code header} mode); default {@code X-Session-ID}
 * @param appCookie the application's session cookie ({@code app-cookie} mode); default {@code JSESSIONID}
 * @param trustedProxies addresses and CIDR ranges whose {@code X-Forwarded-For} is believed ({@code ip} mode), added
 *     to the route's {@link RouteConfig#trustedProxies()}, which is the place for them; default none
 * @param boundedLoadPercent for the hashed modes: no backend takes more than this share of the average load (in
 *     flight), in percent, e.g. 125; a key whose backend is full spills to the next on the ring; 0 for no bound;
 *     default 0
 * @param ttl how long a session is remembered after its last request; default 30 minutes
 * @param maxSessions the most sessions remembered at once; default 100000
 * @param secret the key that signs cookies; gateways sharing a pool must share it; null for one drawn at random at
 *     start (cookies then hold on this gateway only); default null
 */
public record AffinityConfig(Mode mode, String cookieName, String cookiePath, Duration cookieMaxAge,
        boolean cookieHttpOnly, boolean cookieSecure, String cookieSameSite, String header, String appCookie,
        List<String> trustedProxies, int boundedLoadPercent, Duration ttl, int maxSessions, @Nullable String secret) {

    /** How a session is recognised. */
    public enum Mode {
        /** No affinity: every request gets the route's strategy. */
        NONE,
        /** A cookie the gateway issues, opaque and signed, naming the backend ({@code cookie}). */
        COOKIE,
        /** A request header naming the session, consistently hashed over the backends ({@code header}). */
        HEADER,
        /** The client address, consistently hashed over the backends ({@code ip}). */
        IP,
        /** The application's own session cookie, learned from the backend's {@code Set-Cookie} ({@code app-cookie}). */
        APP_COOKIE;

        /** {@return the name configuration uses: {@code cookie}, {@code app-cookie}, ...} */
        public String configName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /**
         * {@return the mode of a configuration name, or null if none is (or for {@code none})}
         *
         * @param name the name, as {@link #configName()} gives it; surrounding spaces are ignored
         */
        public static @Nullable Mode fromConfigName(String name) {
            for (Mode mode : values()) {
                if (mode != NONE && mode.configName().equals(name.trim())) {
                    return mode;
                }
            }
            return null;
        }
    }

    /** No affinity. */
    public static final AffinityConfig NONE = new AffinityConfig(Mode.NONE, "JUNCTION_AFFINITY", "/", Duration.ZERO,
            true, false, "Lax", "X-Session-ID", "JSESSIONID", List.of(), 0, Duration.ofMinutes(30), 100_000, null);

    /**
     * Checks that the components other than {@code secret} are not null and copies {@code trustedProxies}, which is
     * then unmodifiable.
     *
     * @param mode how a session is recognised, or {@link Mode#NONE}; default none
     * @param cookieName the gateway's cookie ({@code cookie} mode); default {@code JUNCTION_AFFINITY}
     * @param cookiePath its {@code Path}; default {@code /}
     * @param cookieMaxAge its {@code Max-Age}, or zero for a cookie that ends with the browser session; default zero
     * @param cookieHttpOnly whether it is {@code HttpOnly}; default true
     * @param cookieSecure whether it is {@code Secure}; default false
     * @param cookieSameSite its {@code SameSite}: {@code Strict}, {@code Lax} or {@code None}; default {@code Lax}
     * @param header the header naming the session ({@code header} mode); default {@code X-Session-ID}
     * @param appCookie the application's session cookie ({@code app-cookie} mode); default {@code JSESSIONID}
     * @param trustedProxies addresses and CIDR ranges whose {@code X-Forwarded-For} is believed ({@code ip} mode),
     *     added to the route's {@link RouteConfig#trustedProxies()}, which is the place for them; default none
     * @param boundedLoadPercent for the hashed modes: no backend takes more than this share of the average load (in
     *     flight), in percent, e.g. 125; a key whose backend is full spills to the next on the ring; 0 for no bound;
     *     default 0
     * @param ttl how long a session is remembered after its last request; default 30 minutes
     * @param maxSessions the most sessions remembered at once; default 100000
     * @param secret the key that signs cookies; gateways sharing a pool must share it; null for one drawn at random at
     *     start (cookies then hold on this gateway only); default null
     */
    public AffinityConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(cookieName, "cookieName");
        Objects.requireNonNull(cookiePath, "cookiePath");
        Objects.requireNonNull(cookieMaxAge, "cookieMaxAge");
        Objects.requireNonNull(cookieSameSite, "cookieSameSite");
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(appCookie, "appCookie");
        trustedProxies = List.copyOf(trustedProxies);
        Objects.requireNonNull(ttl, "ttl");
    }

    /** {@return whether the route has affinity} */
    public boolean enabled() {
        return mode != Mode.NONE;
    }

    /**
     * {@return a builder for this mode, starting from the defaults}
     *
     * @param mode how a session is recognised
     */
    public static Builder builder(Mode mode) {
        return new Builder(mode);
    }

    @Override
    public String toString() {
        // The secret stays out of logs.
        return "AffinityConfig[mode=" + mode.configName() + ", secret=" + (secret == null ? "random" : "***") + "]";
    }

    /** Builds an {@link AffinityConfig}. Not thread-safe. */
    public static final class Builder {
        private final Mode mode;
        private String cookieName = NONE.cookieName;
        private String cookiePath = NONE.cookiePath;
        private Duration cookieMaxAge = NONE.cookieMaxAge;
        private boolean cookieHttpOnly = NONE.cookieHttpOnly;
        private boolean cookieSecure = NONE.cookieSecure;
        private String cookieSameSite = NONE.cookieSameSite;
        private String header = NONE.header;
        private String appCookie = NONE.appCookie;
        private List<String> trustedProxies = NONE.trustedProxies;
        private int boundedLoadPercent = NONE.boundedLoadPercent;
        private Duration ttl = NONE.ttl;
        private int maxSessions = NONE.maxSessions;
        private @Nullable String secret;

        private Builder(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
        }

        /**
         * Sets {@link AffinityConfig#cookieName()}.
         *
         * @param cookieName the gateway's cookie ({@code cookie} mode); default {@code JUNCTION_AFFINITY}
         * @return this builder
         */
        public Builder cookieName(String cookieName) {
            this.cookieName = Objects.requireNonNull(cookieName, "cookieName");
            return this;
        }

        /**
         * Sets {@link AffinityConfig#cookiePath()}.
         *
         * @param cookiePath the cookie's {@code Path}; default {@code /}
         * @return this builder
         */
        public Builder cookiePath(String cookiePath) {
            this.cookiePath = Objects.requireNonNull(cookiePath, "cookiePath");
            return this;
        }

        /**
         * Sets {@link AffinityConfig#cookieMaxAge()}.
         *
         * @param cookieMaxAge the cookie's {@code Max-Age}, or zero for a cookie that ends with the browser session;
         *     default zero
         * @return this builder
         */
        public Builder cookieMaxAge(Duration cookieMaxAge) {
            this.cookieMaxAge = Objects.requireNonNull(cookieMaxAge, "cookieMaxAge");
            return this;
        }

        /**
         * Sets {@link AffinityConfig#cookieHttpOnly()}.
         *
         * @param cookieHttpOnly whether the cookie is {@code HttpOnly}; default true
         * @return this builder
         */
        public Builder cookieHttpOnly(boolean cookieHttpOnly) {
            this.cookieHttpOnly = cookieHttpOnly;
            return this;
        }

        /**
         * Sets {@link AffinityConfig#cookieSecure()}.
         *
         * @param cookieSecure whether the cookie is {@code Secure}; default false
         * @return this builder
         */
        public Builder cookieSecure(boolean cookieSecure) {
            this.cookieSecure = cookieSecure;
            return this;
        }

        /**
         * Sets {@link AffinityConfig#cookieSameSite()}.
         *
         * @param cookieSameSite the cookie's {@code SameSite}: {@code Strict}, {@code Lax} or {@code None}; default
         *     {@code Lax}
         * @return this builder
         */
        public Builder cookieSameSite(String cookieSameSite) {
            this.cookieSameSite = Objects.requireNonNull(cookieSameSite, "cookieSameSite");
            return this;
        }

        /**
         * Sets {@link AffinityConfig#header()}.
         *
         * @param header the header naming the session ({@code header} mode); default {@code X-Session-ID}
         * @return this builder
         */
        public Builder header(String header) {
            this.header = Objects.requireNonNull(header, "header");
            return this;
        }

        /**
         * Sets {@link AffinityConfig#appCookie()}.
         *
         * @param appCookie the application's session cookie ({@code app-cookie} mode); default {@code JSESSIONID}
         * @return this builder
         */
        public Builder appCookie(String appCookie) {
            this.appCookie = Objects.requireNonNull(appCookie, "appCookie");
            return this;
        }

        /**
         * Sets {@link AffinityConfig#trustedProxies()}.
         *
         * @param trustedProxies addresses and CIDR ranges whose {@code X-Forwarded-For} is believed ({@code ip} mode),
         *     added to the route's {@link RouteConfig#trustedProxies()}, which is the place for them; default none
         * @return this builder
         */
        public Builder trustedProxies(List<String> trustedProxies) {
            this.trustedProxies = List.copyOf(trustedProxies);
            return this;
        }

        /**
         * Sets {@link AffinityConfig#boundedLoadPercent()}.
         *
         * @param boundedLoadPercent for the hashed modes: no backend takes more than this share of the average load (in
         *     flight), in percent, e.g. 125; a key whose backend is full spills to the next on the ring; 0 for no
         *     bound; default 0
         * @return this builder
         */
        public Builder boundedLoadPercent(int boundedLoadPercent) {
            this.boundedLoadPercent = boundedLoadPercent;
            return this;
        }

        /**
         * Sets {@link AffinityConfig#ttl()}.
         *
         * @param ttl how long a session is remembered after its last request; default 30 minutes
         * @return this builder
         */
        public Builder ttl(Duration ttl) {
            this.ttl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /**
         * Sets {@link AffinityConfig#maxSessions()}.
         *
         * @param maxSessions the most sessions remembered at once; default 100000
         * @return this builder
         */
        public Builder maxSessions(int maxSessions) {
            this.maxSessions = maxSessions;
            return this;
        }

        /**
         * Sets {@link AffinityConfig#secret()}.
         *
         * @param secret the key that signs cookies; gateways sharing a pool must share it; without one, a key is drawn
         *     at random at start (cookies then hold on this gateway only)
         * @return this builder
         */
        public Builder secret(String secret) {
            this.secret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        /** {@return the affinity, from this builder's settings} */
        public AffinityConfig build() {
            return new AffinityConfig(mode, cookieName, cookiePath, cookieMaxAge, cookieHttpOnly, cookieSecure,
                    cookieSameSite, header, appCookie, trustedProxies, boundedLoadPercent, ttl, maxSessions, secret);
        }
    }
}
