package dev.junction.core.internal.limit;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConfigurationBuilder;
import io.github.bucket4j.ConsumptionProbe;

import dev.junction.core.config.RateLimitConfig;
import dev.junction.core.spi.KeyResolver;
import dev.junction.core.spi.SelectionContext;

/**
 * The limits of a route that share a key and a store: one bucket per key with a rate per limit, so a request takes its
 * token from every rate or from none. Local buckets live in a bounded cache, each dropped once it would be full again
 * (a fresh bucket is the same) or when the cache is full (the least recently used first: such a key starts again with a
 * full bucket).
 *
 * <p>Thread-safe.
 */
final class LimitGroup {

    private static final Logger LOG = LoggerFactory.getLogger(LimitGroup.class);

    /** The most keys a group keeps buckets for in memory. */
    static final int MAX_KEYS = 100_000;
    /** The longest a key's bucket is kept without a request: a month. */
    private static final double MAX_IDLE_NANOS = TimeUnit.DAYS.toNanos(31);
    /** The bucket of requests that have no key. */
    private static final String NO_KEY = "\u0000none";

    private final RateLimitConfig first;
    /** The key's kind and name ({@code header:} and {@code X-Api-Key}), worked out once. */
    private final String kind;
    private final String keyName;
    private final @Nullable KeyResolver resolver;
    private final boolean shared;
    private final BucketConfiguration configuration;
    /** The configuration of a gateway's own share of a shared group, while the store cannot be reached. */
    private final BucketConfiguration share;
    private final long capacity;
    private final long shareCapacity;
    private final String storePrefix;
    private final Cache<String, Bucket> local;

    /**
     * @param limits the limits of one key and store, at least one
     * @param resolver the resolver of a {@code resolver:} key, or null for another kind
     * @param instances how many gateways share a shared group
     * @param storePrefix what the keys of a shared group's buckets start with in the store
     */
    LimitGroup(List<RateLimitConfig> limits, @Nullable KeyResolver resolver, int instances, String storePrefix) {
        this.first = limits.get(0);
        this.kind = first.keyKind();
        String name = first.keyName();
        this.keyName = name == null ? "" : name;
        this.resolver = resolver;
        this.shared = first.shared();
        this.storePrefix = storePrefix;
        ConfigurationBuilder whole = BucketConfiguration.builder();
        ConfigurationBuilder own = BucketConfiguration.builder();
        long smallest = Long.MAX_VALUE;
        long smallestShare = Long.MAX_VALUE;
        long refillNanos = 0;
        // A gateway's share of a shared limit: the same refill spread over the instances, and its part of the burst.
        int sharing = shared ? instances : 1;
        for (RateLimitConfig limit : limits) {
            whole.addLimit(bandwidth(limit.burst(), limit.limit(), limit.period()));
            long shareBurst = Math.max(1, limit.burst() / sharing);
            Duration sharePeriod = limit.period().multipliedBy(sharing);
            own.addLimit(bandwidth(shareBurst, limit.limit(), sharePeriod));
            smallest = Math.min(smallest, limit.burst());
            smallestShare = Math.min(smallestShare, shareBurst);
            // Time to refill an empty bucket whole, after which a fresh one is the same.
            refillNanos = Math.max(refillNanos, (long) Math.min(MAX_IDLE_NANOS,
                    Math.ceil((double) limit.burst() / limit.limit() * sharePeriod.toNanos())));
        }
        this.configuration = whole.build();
        this.share = own.build();
        this.capacity = smallest;
        this.shareCapacity = smallestShare;
        this.local = Caffeine.newBuilder()
                .maximumSize(MAX_KEYS)
                .expireAfterAccess(Math.max(refillNanos, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS)
                .build();
    }

    private static Bandwidth bandwidth(long capacity, long tokens, Duration period) {
        return Bandwidth.builder().capacity(capacity).refillGreedy(tokens, period).build();
    }

    /** Returns whether the group's buckets are kept in the shared store. */
    boolean shared() {
        return shared;
    }

    /** Returns whether the group's key is the client's address. */
    boolean byClient() {
        return kind.equals(RateLimitConfig.CLIENT_KEY);
    }

    /** Returns the key of a request's bucket; {@code client} is read only by a group keyed by the client. */
    String key(SelectionContext request, String client) {
        String key = switch (kind) {
            case RateLimitConfig.ROUTE_KEY -> "";
            case RateLimitConfig.CLIENT_KEY -> client;
            case RateLimitConfig.HEADER_KEY -> request.header(keyName);
            case RateLimitConfig.COOKIE_KEY -> request.cookie(keyName);
            default -> resolved(request);
        };
        return key == null || key.isEmpty() && !kind.equals(RateLimitConfig.ROUTE_KEY) ? NO_KEY : key;
    }

    /** Returns the key resolver's answer; one that fails gives no key (the keyless requests' bucket). */
    private @Nullable String resolved(SelectionContext request) {
        KeyResolver own = resolver;
        if (own == null) {
            return null;
        }
        try {
            return own.key(request);
        } catch (RuntimeException e) {
            LOG.warn("Rate limit {}: the key resolver failed; the request counts as one without a key", first.name(),
                    e);
            return null;
        }
    }

    /** Takes a token from the key's bucket in memory: the group's own, or this gateway's share of a shared one. */
    Verdict local(String key, String policy) {
        boolean own = !shared;
        Bucket bucket = local.get(key, k -> bucket(own ? configuration : share));
        return verdict(bucket.tryConsumeAndReturnRemaining(1), own ? capacity : shareCapacity, policy);
    }

    private static Bucket bucket(BucketConfiguration configuration) {
        var builder = Bucket.builder().withNanosecondPrecision();
        for (Bandwidth bandwidth : configuration.getBandwidths()) {
            builder.addLimit(bandwidth);
        }
        return builder.build();
    }

    /** Takes a token from the key's bucket in the shared store. */
    CompletableFuture<ConsumptionProbe> remote(SharedStore store, String key) {
        return store.tryConsume(storePrefix + key, configuration);
    }

    /** Returns the verdict of a token taken from a shared bucket. */
    Verdict remoteVerdict(ConsumptionProbe probe, String policy) {
        return verdict(probe, capacity, policy);
    }

    private static Verdict verdict(ConsumptionProbe probe, long capacity, String policy) {
        long reset = seconds(probe.getNanosToWaitForReset());
        if (probe.isConsumed()) {
            return Verdict.allowed(capacity, probe.getRemainingTokens(), reset, policy);
        }
        return new Verdict(false, 429, "too many requests: over the route's rate limit", capacity,
                probe.getRemainingTokens(), reset, Math.max(1, seconds(probe.getNanosToWaitForRefill())), policy);
    }

    private static long seconds(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }

    /** Returns the group's limits as the {@code RateLimit-Policy} field lists them. */
    static String policy(RateLimitConfig limit) {
        long window = Math.max(1, limit.period().toSeconds());
        return limit.limit() + ";w=" + window + (limit.burst() != limit.limit() ? ";burst=" + limit.burst() : "")
                + ";comment=\"" + limit.name().replace("\"", "'") + "\"";
    }
}
