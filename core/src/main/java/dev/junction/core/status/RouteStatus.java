package dev.junction.core.status;

import java.util.List;

/**
 * One route at one moment.
 *
 * @param name the route's name
 * @param prefix the path prefix it takes
 * @param strategy its balancing strategy
 * @param panicking whether it is in panic (spreading over healthy and unhealthy backends alike)
 * @param backends its backends, primaries then backups
 */
public record RouteStatus(String name, String prefix, String strategy, boolean panicking,
        List<BackendStatus> backends) {

    public RouteStatus {
        backends = List.copyOf(backends);
    }
}
