package dev.junction.core.internal.engine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.junction.core.config.ScalingConfig;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.ScalingListener;
import dev.junction.core.spi.Scheduler;
import dev.junction.core.status.ScalingState;
import dev.junction.core.status.ScalingStatus;
import dev.junction.core.status.StatusJson;

/**
 * A route's scaling signal ({@link ScalingConfig}): sampled on the scheduler, changed only after the condition for the
 * new state has held for {@code sustain}, told to the listeners and the webhook when it changes.
 *
 * <p>Thread-safe: sampled on the scheduler's thread, read by the status and the metrics from any.
 */
final class ScalingWatch {

    private static final Logger LOG = LoggerFactory.getLogger(ScalingWatch.class);
    private static final long MAX_SAMPLE_MILLIS = 1000;

    private final String name;
    private final ScalingConfig config;
    private final Clock clock;
    private final List<ScalingListener> listeners;
    private final @Nullable HttpClient webhook;
    private final long sampleMillis;
    /** The route as it is now: a route built again with the same scaling settings keeps its watch. */
    private volatile RouteRuntime route;
    private volatile @Nullable Scheduler scheduler;
    private volatile Scheduler.@Nullable Task next;
    private volatile boolean stopped;
    private volatile ScalingStatus current;
    private ScalingState candidate = ScalingState.STEADY;
    private Instant candidateSince;
    private long lastExchanges;
    private double lastMillis;

    private ScalingWatch(RouteRuntime route, ScalingConfig config, Clock clock, List<ScalingListener> listeners) {
        this.route = route;
        this.name = route.name();
        this.config = config;
        this.clock = clock;
        this.listeners = listeners;
        this.webhook = config.webhook() == null ? null
                : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        // Often enough that a condition is seen to hold for sustain within a tenth of it.
        this.sampleMillis = Math.max(100, Math.min(MAX_SAMPLE_MILLIS, config.sustain().toMillis() / 10));
        Instant now = clock.instant();
        this.candidateSince = now;
        this.current = new ScalingStatus(name, ScalingState.STEADY, now, "starting", -1, 0, 0);
    }

    /** Returns the watch of a route whose configuration asks for one, or null. */
    static @Nullable ScalingWatch of(RouteRuntime route, Clock clock, List<ScalingListener> listeners) {
        ScalingConfig config = route.config().scaling();
        return config.enabled() ? new ScalingWatch(route, config, clock, listeners) : null;
    }

    /** Reads the route as it is now: built again around this watch. */
    void follow(RouteRuntime now) {
        this.route = now;
    }

    /** Starts sampling on {@code timer}; once. */
    synchronized void start(Scheduler timer) {
        if (scheduler != null || stopped) {
            return;
        }
        scheduler = timer;
        RouteTotals totals = route.totals();
        lastExchanges = totals.exchanges();
        lastMillis = totals.millis();
        next = timer.schedule(this::sample, sampleMillis, TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
        stopped = true;
        Scheduler.Task task = next;
        if (task != null) {
            task.cancel();
        }
    }

    /** Returns the signal and the numbers last sampled. */
    ScalingStatus status() {
        return current;
    }

    private void sample() {
        try {
            sampleOnce();
        } catch (RuntimeException e) {
            LOG.error("Route {}: sampling its scaling signal failed", name, e);
        } finally {
            Scheduler timer = scheduler;
            if (!stopped && timer != null) {
                next = timer.schedule(this::sample, sampleMillis, TimeUnit.MILLISECONDS);
            }
        }
    }

    private synchronized void sampleOnce() {
        RouteRuntime now = route;
        int utilisation = utilisation(now);
        RouteQueue queue = now.queue();
        int queued = queue == null ? 0 : queue.depth();
        RouteTotals totals = now.totals();
        long exchanges = totals.exchanges();
        double millis = totals.millis();
        double mean = exchanges > lastExchanges ? (millis - lastMillis) / (exchanges - lastExchanges) : 0;
        lastExchanges = exchanges;
        lastMillis = millis;

        String high = high(utilisation, queued, mean);
        ScalingState wanted = high != null ? ScalingState.UP
                : config.utilisationLow() > 0 && utilisation <= config.utilisationLow() && queued == 0
                        ? ScalingState.DOWN : ScalingState.STEADY;
        Instant at = clock.instant();
        if (wanted != candidate) {
            candidate = wanted;
            candidateSince = at;
        }
        ScalingStatus before = current;
        boolean lasted = !at.isBefore(candidateSince.plus(config.sustain()));
        if (wanted != before.state() && lasted) {
            String held = sustain();
            String reason = switch (wanted) {
                case UP -> high + " for " + held;
                case DOWN -> "utilisation " + utilisation + "% at or below " + config.utilisationLow()
                        + "% with nothing queued for " + held;
                case STEADY -> "back within the thresholds for " + held;
            };
            current = new ScalingStatus(name, wanted, at, reason, utilisation, queued, mean);
            LOG.info("Route {}: scaling signal {} ({})", name, wanted, reason);
            tell(current);
        } else {
            current = new ScalingStatus(name, before.state(), before.since(), before.reason(), utilisation, queued,
                    mean);
        }
    }

    /** Returns how long a change must hold, in words: {@code 600 ms}, {@code 30 s}. */
    private String sustain() {
        long millis = config.sustain().toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    /** Returns which high threshold the numbers pass, in words, or null. */
    private @Nullable String high(int utilisation, int queued, double mean) {
        if (config.utilisationHigh() > 0 && utilisation >= config.utilisationHigh()) {
            return "utilisation " + utilisation + "% at or above " + config.utilisationHigh() + "%";
        }
        if (config.queueHigh() > 0 && queued >= config.queueHigh()) {
            return queued + " requests queued, at or above " + config.queueHigh();
        }
        long latencyHigh = config.latencyHigh().toMillis();
        if (latencyHigh > 0 && mean >= latencyHigh) {
            return "mean latency " + Math.round(mean) + " ms at or above " + latencyHigh + " ms";
        }
        return null;
    }

    /**
     * Returns requests in flight over the capacity of the backends that take traffic, in percent: each backend's
     * {@code maxConcurrent}, or {@code capacityPerBackend} without one; 1000 if none can take traffic and some wait
     * or are in flight; -1 if the route watches no utilisation.
     */
    private int utilisation(RouteRuntime now) {
        if (config.utilisationHigh() == 0 && config.utilisationLow() == 0) {
            return -1;
        }
        long capacity = 0;
        long inFlight = 0;
        for (Backend backend : now.pool().all()) {
            inFlight += backend.state().inFlight();
            if (backend.isAvailable() || backend.atCapacity() && backend.wouldServe()) {
                capacity += backend.maxConcurrent() > 0 ? backend.maxConcurrent() : config.capacityPerBackend();
            }
        }
        RouteQueue queue = now.queue();
        int waiting = queue == null ? 0 : queue.depth();
        if (capacity == 0) {
            return inFlight + waiting > 0 ? 1000 : 0;
        }
        return (int) Math.min(1000, inFlight * 100 / capacity);
    }

    private void tell(ScalingStatus signal) {
        for (ScalingListener listener : listeners) {
            try {
                listener.changed(signal);
            } catch (RuntimeException e) {
                LOG.error("Scaling listener {} failed on route {}'s signal {}", listener, name, signal.state(), e);
            }
        }
        HttpClient client = webhook;
        String url = config.webhook();
        if (client != null && url != null) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").header("User-Agent", "Junction-Scaling")
                    .POST(HttpRequest.BodyPublishers.ofString(StatusJson.writeScaling(signal))).build();
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                if (failure != null) {
                    LOG.warn("Route {}: the scaling webhook {} could not be told of {}: {}", name, url,
                            signal.state(), failure.toString());
                } else if (response.statusCode() >= 300) {
                    LOG.warn("Route {}: the scaling webhook {} answered {} to {}", name, url, response.statusCode(),
                            signal.state());
                }
            });
        }
    }
}
