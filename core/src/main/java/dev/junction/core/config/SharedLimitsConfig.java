package dev.junction.core.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Where gateways keep the buckets of their {@code shared} rate limits, so that N gateways enforce one limit together:
 * a Redis server (Bucket4j over Lettuce), as Spring Cloud Gateway's {@code RedisRateLimiter} and Envoy's global rate
 * limit service do.
 *
 * <p>When Redis cannot be reached (or does not answer within {@code timeout}), each gateway decides alone, by
 * {@code whenUnreachable}, says so in status and in its log, and goes back to Redis by itself once it answers again.
 *
 * @param redis the Redis server, as a URI: {@code redis://host:port[/database]}, {@code rediss://} for TLS,
 *     {@code redis://:password@host:port}; null for none (a {@code shared} limit then fails the configuration)
 * @param timeout the longest a request waits for Redis's answer before the gateway decides alone; default 100 ms
 * @param instances how many gateways share the limits: when deciding alone, each allows its share, {@code 1/instances}
 *     of each limit; default 1
 * @param whenUnreachable what a gateway does while Redis cannot be reached; default {@link WhenUnreachable#LOCAL}
 * @param keyPrefix what every key Junction writes to Redis starts with; default {@code junction:}
 */
public record SharedLimitsConfig(@Nullable String redis, Duration timeout, int instances,
        WhenUnreachable whenUnreachable, String keyPrefix) {

    /** No shared store. */
    public static final SharedLimitsConfig NONE = new SharedLimitsConfig(null, Duration.ofMillis(100), 1,
            WhenUnreachable.LOCAL, "junction:");

    /**
     * Checks that {@code timeout}, {@code whenUnreachable} and {@code keyPrefix} are not null.
     *
     * @param redis the Redis server, as a URI: {@code redis://host:port[/database]}, {@code rediss://} for TLS,
     *     {@code redis://:password@host:port}; null for none (a {@code shared} limit then fails the configuration)
     * @param timeout the longest a request waits for Redis's answer before the gateway decides alone; default 100 ms
     * @param instances how many gateways share the limits: when deciding alone, each allows its share,
     *     {@code 1/instances} of each limit; default 1
     * @param whenUnreachable what a gateway does while Redis cannot be reached; default {@link WhenUnreachable#LOCAL}
     * @param keyPrefix what every key Junction writes to Redis starts with; default {@code junction:}
     */
    public SharedLimitsConfig {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(whenUnreachable, "whenUnreachable");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
    }

    /**
     * {@return limits shared through the Redis server at {@code redis}, with the other settings' defaults}
     *
     * @param redis the server's URL, such as {@code redis://host:6379}
     */
    public static SharedLimitsConfig redis(String redis) {
        return new SharedLimitsConfig(redis, NONE.timeout, NONE.instances, NONE.whenUnreachable, NONE.keyPrefix);
    }

    /**
     * {@return these settings for {@code instances} gateways deciding as {@code whenUnreachable} says without Redis}
     *
     * @param instances how many gateways share the limits
     * @param whenUnreachable what each gateway does while Redis cannot be reached
     */
    public SharedLimitsConfig withFallback(int instances, WhenUnreachable whenUnreachable) {
        return new SharedLimitsConfig(redis, timeout, instances, whenUnreachable, keyPrefix);
    }

    /**
     * {@return these settings waiting up to {@code timeout} for Redis}
     *
     * @param timeout how long to wait for Redis's answer
     */
    public SharedLimitsConfig withTimeout(Duration timeout) {
        return new SharedLimitsConfig(redis, timeout, instances, whenUnreachable, keyPrefix);
    }

    /** {@return whether a store is configured} */
    public boolean enabled() {
        return redis != null;
    }

    /** What a gateway does with a shared limit while Redis cannot be reached. */
    public enum WhenUnreachable {
        /** Enforce its share of the limit on its own ({@code 1/instances} of it): the default. */
        LOCAL,
        /** Let every request through (fail open), as Spring Cloud Gateway and Envoy do by default. */
        OPEN,
        /** Refuse every request of a shared limit with {@code 503} (fail closed). */
        CLOSED;

        /** {@return the value's name in configuration: {@code local}, {@code open}, {@code closed}} */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
