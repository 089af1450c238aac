package dev.junction.core.internal.limit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

import dev.junction.core.config.SharedLimitsConfig;
import dev.junction.core.spi.Scheduler;
import dev.junction.core.spi.Ticker;

/**
 * Shared buckets in Redis, through Bucket4j's Lettuce proxy manager (compare-and-swap on one key per bucket, each key
 * expiring once its bucket would be full again).
 *
 * <p>Redis is asked without blocking: a command that is not answered within the configured timeout fails, and so does
 * one asked while the connection is down (Lettuce rejects it at once and reconnects in the background). Once a request
 * has failed, the store counts as unreachable: the requests after it are not sent to Redis but fail at once, except one
 * probe a second, so a Redis that hangs costs each request nothing; the first probe answered makes the store reachable
 * again. A first connection that fails is tried again every second.
 *
 * <p>Thread-safe.
 */
final class RedisStore implements SharedStore {

    private static final Logger LOG = LoggerFactory.getLogger(RedisStore.class);
    private static final long PROBE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String address;
    private final RedisURI uri;
    private final Duration timeout;
    private final ClientResources resources;
    private final RedisClient client;
    private final Scheduler scheduler;
    private final Ticker ticker;
    private final AtomicLong nextProbeNanos = new AtomicLong();
    private final AtomicBoolean connecting = new AtomicBoolean();
    /** Whether a ping is scheduled to find out when an unreachable Redis is back. */
    private final AtomicBoolean pinging = new AtomicBoolean();
    private volatile @Nullable StatefulRedisConnection<byte[], byte[]> connection;
    private volatile @Nullable AsyncProxyManager<byte[]> buckets;
    private volatile boolean reachable;
    private volatile @Nullable String problem = "not connected yet";
    private volatile boolean closed;
    /** Whether the store's being unreachable was logged since it last answered: once per outage. */
    private volatile boolean warned;

    private RedisStore(SharedLimitsConfig config, Scheduler scheduler, Ticker ticker) {
        String redis = config.redis();
        if (redis == null) {
            throw new IllegalArgumentException("sharedLimits.redis: not set");
        }
        this.uri = RedisURI.create(redis.strip());
        this.timeout = config.timeout();
        this.uri.setTimeout(timeout);
        this.address = uri.isSsl() ? "rediss://" + uri.getHost() + ":" + uri.getPort()
                : "redis://" + uri.getHost() + ":" + uri.getPort();
        this.scheduler = scheduler;
        this.ticker = ticker;
        this.resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(1)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2,
                        TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout(timeout)).build())
                .build());
    }

    /**
     * Returns a store over the Redis server of {@code config}.
     *
     * @throws NoClassDefFoundError if Lettuce or Bucket4j's Lettuce module is not on the class path
     */
    static SharedStore create(SharedLimitsConfig config, Scheduler scheduler, Ticker ticker) {
        return new RedisStore(config, scheduler, ticker);
    }

    private static Duration connectTimeout(Duration timeout) {
        Duration second = Duration.ofSeconds(1);
        return timeout.compareTo(second) > 0 ? timeout : second;
    }

    @Override
    public void start(long waitMillis) {
        CompletableFuture<?> first = connect();
        try {
            first.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Reported by connect(); requests decide alone until Redis answers.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private CompletableFuture<?> connect() {
        if (closed || !connecting.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<StatefulRedisConnection<byte[], byte[]>> opening =
                client.connectAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture();
        return opening.whenComplete((opened, failure) -> {
            connecting.set(false);
            if (failure != null) {
                unreachable(failure);
                if (!closed) {
                    scheduler.schedule(this::connect, 1, TimeUnit.SECONDS);
                }
                return;
            }
            if (closed) {
                opened.closeAsync();
                return;
            }
            connection = opened;
            buckets = Bucket4jLettuce.casBasedBuilder(opened)
                    .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                            Duration.ofSeconds(1)))
                    .build()
                    .asAsync();
            answered();
        });
    }

    @Override
    public CompletableFuture<ConsumptionProbe> tryConsume(String key, BucketConfiguration config) {
        AsyncProxyManager<byte[]> proxies = buckets;
        if (proxies == null || !reachable && !probeNow()) {
            return CompletableFuture.failedFuture(new IllegalStateException(String.valueOf(problem)));
        }
        CompletableFuture<ConsumptionProbe> asked;
        try {
            asked = proxies.builder().build(key.getBytes(StandardCharsets.UTF_8),
                    () -> CompletableFuture.completedFuture(config)).tryConsumeAndReturnRemaining(1);
        } catch (RuntimeException e) {
            asked = CompletableFuture.failedFuture(e);
        }
        return asked.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((probe, failure) -> {
            if (failure == null) {
                answered();
            } else {
                unreachable(failure);
            }
        });
    }

    /** Returns whether this request is the one a second that asks an unreachable Redis whether it is back. */
    private boolean probeNow() {
        long now = ticker.nanos();
        long next = nextProbeNanos.get();
        return now - next >= 0 && nextProbeNanos.compareAndSet(next, now + PROBE_NANOS);
    }

    private void answered() {
        if (!reachable) {
            reachable = true;
            problem = null;
            warned = false;
            LOG.info("Shared rate limits: Redis at {} answers; limits are shared through it", address);
        }
    }

    private void unreachable(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        String why = cause instanceof TimeoutException ? "no answer within " + timeout.toMillis() + " ms"
                : cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        nextProbeNanos.set(ticker.nanos() + PROBE_NANOS);
        reachable = false;
        problem = why;
        StatefulRedisConnection<byte[], byte[]> open = connection;
        if (open != null && !closed && pinging.compareAndSet(false, true)) {
            scheduler.schedule(() -> ping(open), 1, TimeUnit.SECONDS);
        }
        if (!warned) {
            warned = true;
            LOG.warn("Shared rate limits: Redis at {} cannot be reached ({}); each gateway decides alone until it"
                    + " answers again", address, why);
        }
    }

    /**
     * Asks an unreachable Redis whether it is back, once a second until it is: so status says so even when no request
     * asks it.
     */
    private void ping(StatefulRedisConnection<byte[], byte[]> open) {
        if (closed || reachable) {
            pinging.set(false);
            return;
        }
        open.async().ping().toCompletableFuture().orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .whenComplete((pong, failure) -> {
                    if (failure == null) {
                        pinging.set(false);
                        answered();
                    } else if (!closed) {
                        scheduler.schedule(() -> ping(open), 1, TimeUnit.SECONDS);
                    }
                });
    }

    @Override
    public boolean reachable() {
        return reachable;
    }

    @Override
    public @Nullable String problem() {
        return problem;
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public void close() {
        closed = true;
        StatefulRedisConnection<byte[], byte[]> open = connection;
        if (open != null) {
            open.closeAsync();
        }
        client.shutdownAsync(0, 1, TimeUnit.SECONDS);
        resources.shutdown(0, 1, TimeUnit.SECONDS);
    }
}
