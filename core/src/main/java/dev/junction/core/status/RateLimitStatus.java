package dev.junction.core.status;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A route's rate limits at one moment.
 *
 * @param limits the names of its limits, in configuration order
 * @param allowed the requests its limits let through since start
 * @param limited the requests refused since start: {@code 429} over a limit, or {@code 503} when a shared limit's
 *     store could not be reached and the gateway fails closed
 * @param decidedAlone the decisions of shared limits made without the store since start, as
 *     {@code sharedLimits.whenUnreachable} says
 * @param store where its shared limits are kept ({@code redis://host:port}), or null if none is shared
 * @param storeReachable whether that store answered the last request asked of it
 * @param storeProblem why the store cannot be reached, or null while it can (or there is none)
 * @param whenUnreachable what the route does while the store cannot be reached: {@code local}, {@code open} or
 *     {@code closed}
 */
public record RateLimitStatus(List<String> limits, long allowed, long limited, long decidedAlone,
        @Nullable String store, boolean storeReachable, @Nullable String storeProblem, String whenUnreachable) {

    /**
     * Creates the record, keeping an unmodifiable copy of the limits' names.
     *
     * @param limits the names of its limits, in configuration order
     * @param allowed the requests its limits let through since start
     * @param limited the requests refused since start
     * @param decidedAlone the decisions of shared limits made without the store since start
     * @param store where its shared limits are kept, or null
     * @param storeReachable whether that store answered the last request asked of it
     * @param storeProblem why the store cannot be reached, or null
     * @param whenUnreachable what the route does while the store cannot be reached
     */
    public RateLimitStatus {
        limits = List.copyOf(limits);
    }
}
