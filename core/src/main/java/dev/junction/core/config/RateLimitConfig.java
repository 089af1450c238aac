package dev.junction.core.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One rate limit of a route: a token bucket per key that holds up to {@code burst} requests and refills at
 * {@code limit} requests per {@code period}. A request takes a token from its key's bucket, or gets {@code 429} with
 * {@code Retry-After} when there is none (nginx's {@code limit_req}, HAProxy's {@code sc_http_req_rate}, Envoy's
 * local rate limit, Spring Cloud Gateway's {@code RequestRateLimiter}).
 *
 * <p>A request's key, by {@code key}:
 * <ul>
 *   <li>{@code route}: one bucket for the whole route;
 *   <li>{@code client}: the client's address, read behind the route's {@code trustedProxies};
 *   <li>{@code header:<name>}: the value of a request header, such as an API key;
 *   <li>{@code cookie:<name>}: the value of a cookie;
 *   <li>{@code resolver:<name>}: what a {@link dev.junction.core.spi.KeyResolver} registered under that name returns.
 * </ul>
 * Requests without a key (no such header, cookie or resolver answer) share one bucket of their own, so leaving the key
 * out never buys more than one key's share.
 *
 * <p>Limits of a route with the same {@code key} and {@code shared} are one bucket with several rates (100 per second
 * and 10,000 per hour): a request takes its token from all of them or from none.
 *
 * @param name how status, metrics and the {@code RateLimit-Policy} field name the limit; default from the key and rate
 *     ({@code client 100/1s})
 * @param key whose bucket a request takes its token from (above)
 * @param limit the tokens added to a bucket per {@code period}; at least 1
 * @param period the time in which {@code limit} tokens are added, evenly (a token every {@code period / limit})
 * @param burst the most tokens a bucket holds: the requests a key may send at once after a quiet time; default
 *     {@code limit}
 * @param shared whether every gateway sharing the configuration's {@link SharedLimitsConfig} store enforces one bucket
 *     per key together; default false: each gateway enforces the limit on its own
 */
public record RateLimitConfig(String name, String key, long limit, Duration period, long burst, boolean shared) {

    /** The key of a limit on the whole route. */
    public static final String ROUTE_KEY = "route";
    /** The key of a limit per client address. */
    public static final String CLIENT_KEY = "client";
    /** The prefix of a key read from a request header. */
    public static final String HEADER_KEY = "header:";
    /** The prefix of a key read from a cookie. */
    public static final String COOKIE_KEY = "cookie:";
    /** The prefix of a key a {@link dev.junction.core.spi.KeyResolver} of one's own returns. */
    public static final String RESOLVER_KEY = "resolver:";

    /**
     * Checks that {@code name}, {@code key} and {@code period} are not null.
     *
     * @param name how status, metrics and the {@code RateLimit-Policy} field name the limit; default from the key and
     *     rate ({@code client 100/1s})
     * @param key whose bucket a request takes its token from (above)
     * @param limit the tokens added to a bucket per {@code period}; at least 1
     * @param period the time in which {@code limit} tokens are added, evenly (a token every {@code period / limit})
     * @param burst the most tokens a bucket holds: the requests a key may send at once after a quiet time; default
     *     {@code limit}
     * @param shared whether every gateway sharing the configuration's {@link SharedLimitsConfig} store enforces one
     *     bucket per key together; default false: each gateway enforces the limit on its own
     */
    public RateLimitConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(period, "period");
    }

    /**
     * {@return a local limit of {@code limit} requests per {@code period} per {@code key}, with a burst of as many}
     * It is named after its key and rate, as {@link #defaultName} gives.
     *
     * @param key whose bucket a request takes its token from: {@value #ROUTE_KEY}, {@value #CLIENT_KEY}, or a prefix
     *     such as {@value #HEADER_KEY} and a name
     * @param limit the tokens added to a bucket per {@code period}
     * @param period the time in which {@code limit} tokens are added
     */
    public static RateLimitConfig of(String key, long limit, Duration period) {
        return new RateLimitConfig(defaultName(key, limit, period), key, limit, period, limit, false);
    }

    /**
     * {@return this limit with a burst of {@code burst} requests}
     *
     * @param burst the most tokens a bucket holds
     */
    public RateLimitConfig withBurst(long burst) {
        return new RateLimitConfig(name, key, limit, period, burst, shared);
    }

    /**
     * {@return this limit enforced by every gateway of the shared store together ({@code shared: true}), or by each
     * gateway on its own}
     *
     * @param shared whether the limit is shared
     */
    public RateLimitConfig withShared(boolean shared) {
        return new RateLimitConfig(name, key, limit, period, burst, shared);
    }

    /**
     * {@return this limit named {@code name}}
     *
     * @param name how status, metrics and the {@code RateLimit-Policy} field name the limit
     */
    public RateLimitConfig withName(String name) {
        return new RateLimitConfig(name, key, limit, period, burst, shared);
    }

    /**
     * {@return the name of a limit that has none: its key and rate, such as {@code client 100/1s}}
     *
     * @param key the limit's key
     * @param limit the tokens added per {@code period}
     * @param period the time in which {@code limit} tokens are added, or null if unknown (shown as {@code ?})
     */
    public static String defaultName(String key, long limit, @Nullable Duration period) {
        return key + " " + limit + "/" + (period == null ? "?" : ConfigReader.format(period));
    }

    /**
     * {@return the name after the key's kind ({@code X-Api-Key} of {@code header:X-Api-Key}), or null for
     * {@code route} and {@code client}}
     */
    public @Nullable String keyName() {
        int colon = key.indexOf(':');
        return colon < 0 ? null : key.substring(colon + 1);
    }

    /** {@return the key's kind in lower case: {@code route}, {@code client}, {@code header:}, ...} */
    public String keyKind() {
        int colon = key.indexOf(':');
        return colon < 0 ? key.toLowerCase(Locale.ROOT) : key.substring(0, colon + 1).toLowerCase(Locale.ROOT);
    }
}
