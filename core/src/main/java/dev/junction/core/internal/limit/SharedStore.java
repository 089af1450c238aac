package dev.junction.core.internal.limit;

import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;

/**
 * Where the buckets of shared limits live, so that every gateway using the same store takes from the same bucket.
 * Implemented over Redis ({@link RedisStore}).
 *
 * <p>Thread-safe; never blocks the caller.
 */
public interface SharedStore extends AutoCloseable {

    /**
     * Takes one token from the bucket at {@code key}, created with {@code config} if it does not exist. The future
     * fails, at once or within the store's timeout, when the store cannot be asked now; it may complete on the
     * store's own thread.
     */
    CompletableFuture<ConsumptionProbe> tryConsume(String key, BucketConfiguration config);

    /** Returns whether the store answered the last request asked of it. */
    boolean reachable();

    /** Returns why the store cannot be reached, or null while it can. */
    @Nullable String problem();

    /** Returns where the store is, without credentials: {@code redis://10.0.0.5:6379}. */
    String address();

    /** Starts connecting; returns after the first attempt ended or {@code waitMillis}, whichever comes first. */
    void start(long waitMillis);

    @Override
    void close();
}
