package dev.junction.core.status;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One route at one moment.
 *
 * @param name the route's name
 * @param prefix the path prefix it takes
 * @param strategy its balancing strategy
 * @param panicking whether it is in panic (spreading over healthy and unhealthy backends alike)
 * @param requests the requests it has answered since start, whoever answered them (a backend or Junction)
 * @param errors how many of them were errors: answered with a 5xx, or cut off because backends failed (a client
 *     that went away is not an error)
 * @param totalTimeMillis the time those requests took, from their arrival to their end, added up: the difference
 *     between two snapshots divided by the difference in {@code requests} is their mean time in between
 * @param queue its queue ({@code routes[].queue}), or null if it has none
 * @param rateLimits its rate limits ({@code routes[].rateLimits}), or null if it has none
 * @param concurrency its adaptive concurrency limit ({@code routes[].adaptiveConcurrency}), or null if it has none
 * @param release how its traffic is split between release groups, or null if its backends name none
 * @param backends its backends, primaries then backups
 * @param scaling the route's scaling signal and the numbers it comes from, or null if it has none
 */
public record RouteStatus(String name, String prefix, String strategy, boolean panicking, long requests, long errors,
        double totalTimeMillis, @Nullable QueueStatus queue, @Nullable RateLimitStatus rateLimits,
        @Nullable ConcurrencyStatus concurrency, @Nullable ReleaseStatus release, List<BackendStatus> backends,
        @Nullable ScalingStatus scaling) {

    /**
     * Creates the record, keeping an unmodifiable copy of the backends.
     *
     * @param name the route's name
     * @param prefix the path prefix it takes
     * @param strategy its balancing strategy
     * @param panicking whether it is in panic
     * @param requests the requests it has answered since start
     * @param errors how many of them were errors
     * @param totalTimeMillis the time those requests took, added up
     * @param queue its queue, or null
     * @param rateLimits its rate limits, or null
     * @param concurrency its adaptive concurrency limit, or null
     * @param release how its traffic is split between release groups, or null
     * @param backends its backends, primaries then backups
     * @param scaling the route's scaling signal, or null
     */
    public RouteStatus {
        backends = List.copyOf(backends);
    }
}
