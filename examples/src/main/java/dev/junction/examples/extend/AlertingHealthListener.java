package dev.junction.examples.extend;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.junction.core.spi.Backend;
import dev.junction.core.spi.HealthListener;
import dev.junction.core.status.BreakerState;

/**
 * A health listener: turns every health change into one line an alerting system could take (here kept in a list a
 * test or a page can read). Listeners are called on the thread that saw the change: this one only records.
 *
 * <pre>{@code
 * AlertingHealthListener alerts = new AlertingHealthListener();
 * Junction junction = Junction.builder().healthListener(alerts).build(config);
 * }</pre>
 */
public final class AlertingHealthListener implements HealthListener {

    private final List<String> alerts = new CopyOnWriteArrayList<>();

    @Override
    public void unhealthy(String route, Backend backend, String reason) {
        alerts.add(route + "/" + backend.id() + " down: " + reason);
    }

    @Override
    public void healthy(String route, Backend backend) {
        alerts.add(route + "/" + backend.id() + " up");
    }

    @Override
    public void ejected(String route, Backend backend, String reason, Duration duration) {
        alerts.add(route + "/" + backend.id() + " ejected for " + duration.toSeconds() + " s: " + reason);
    }

    @Override
    public void breaker(String route, Backend backend, BreakerState state) {
        alerts.add(route + "/" + backend.id() + " breaker " + state);
    }

    @Override
    public void panic(String route, boolean entered) {
        alerts.add(route + (entered ? " in panic" : " out of panic"));
    }

    /** Returns the alerts so far, oldest first. */
    public List<String> alerts() {
        return List.copyOf(alerts);
    }
}
