package dev.junction.spring;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

import dev.junction.core.Junction;
import dev.junction.core.status.BackendStatus;
import dev.junction.core.status.Reason;
import dev.junction.core.status.RouteStatus;

/**
 * The health of the application's Junction, by the availability of its routes, as Junction's own readiness probe
 * ({@code <admin>/ready}) judges it: a route is up while one of its backends takes requests or is only at its limit
 * of requests in flight (busy is not down).
 *
 * <ul>
 *   <li>{@code UP}: every route that counts is up. The routes that count are those {@code admin.readyRoutes} names,
 *       or every route when it names none.
 *   <li>{@code DOWN}: a route that counts has no backend that takes requests; its requests are answered {@code 503}
 *       (or its fallback), as a Boot application's {@code db} is {@code DOWN} when its database is.
 *   <li>{@code OUT_OF_SERVICE}: Junction is not running (it is stopping).
 * </ul>
 *
 * <p>The details name each route's status, prefix and backends, each backend with why it does or does not take
 * requests, as the status JSON words it. Thread-safe: each call reads a fresh snapshot.
 */
final class JunctionHealthIndicator implements HealthIndicator {

    private final Junction junction;

    JunctionHealthIndicator(Junction junction) {
        this.junction = junction;
    }

    @Override
    public Health health() {
        if (!junction.isRunning()) {
            return Health.outOfService().withDetail("reason", "Junction is not running: it is stopping").build();
        }
        List<String> counted = junction.config().admin().readyRoutes();
        boolean up = true;
        Map<String, Object> routes = new LinkedHashMap<>();
        for (RouteStatus route : junction.status()) {
            boolean serves = false;
            Map<String, String> backends = new LinkedHashMap<>();
            for (BackendStatus backend : route.backends()) {
                serves |= backend.reason() == Reason.AVAILABLE || backend.reason() == Reason.AT_CAPACITY;
                backends.put(backend.id(), backend.explanation());
            }
            if (!serves && (counted.isEmpty() || counted.contains(route.name()))) {
                up = false;
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("status", (serves ? Status.UP : Status.DOWN).getCode());
            details.put("prefix", route.prefix());
            details.put("backends", backends);
            routes.put(route.name(), details);
        }
        return (up ? Health.up() : Health.down()).withDetail("routes", routes).build();
    }
}
