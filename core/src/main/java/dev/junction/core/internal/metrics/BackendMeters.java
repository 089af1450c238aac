package dev.junction.core.internal.metrics;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;

import dev.junction.core.spi.ExchangeListener.Outcome;

/**
 * The meters of one backend of one route (or of the exchanges no backend took): a {@code junction.requests} timer
 * per status class and outcome, and a {@code junction.backend.requests} timer per attempt outcome, each registered on
 * its first use and then read from an array; the byte counters.
 */
final class BackendMeters {

    /** The status classes: {@code 1xx} to {@code 5xx}, and {@code none} for a connection closed without one. */
    private static final String[] STATUS_CLASSES = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};
    private static final ExchangeResult[] RESULTS = ExchangeResult.values();
    private static final Outcome[] OUTCOMES = Outcome.values();

    private final JunctionMeters owner;
    private final String route;
    private final String backend;
    private final AtomicReferenceArray<Timer> requests =
            new AtomicReferenceArray<>(STATUS_CLASSES.length * RESULTS.length);
    private final AtomicReferenceArray<Timer> attempts = new AtomicReferenceArray<>(OUTCOMES.length);
    private final Counter requestBytes;
    private final Counter responseBytes;

    BackendMeters(JunctionMeters owner, String route, String backend) {
        this.owner = owner;
        this.route = route;
        this.backend = backend;
        this.requestBytes = owner.register(Counter.builder("junction.request.bytes").baseUnit("bytes")
                .description("Request body bytes read from clients").tags("route", route, "backend", backend));
        this.responseBytes = owner.register(Counter.builder("junction.response.bytes").baseUnit("bytes")
                .description("Response body bytes of backends written to clients")
                .tags("route", route, "backend", backend));
    }

    void exchangeEnded(int status, ExchangeResult result, long nanos, long requestBytesRead,
            long responseBytesWritten) {
        int statusClass = status >= 100 && status < 600 ? status / 100 : 0;
        int slot = statusClass * RESULTS.length + result.ordinal();
        Timer timer = requests.get(slot);
        if (timer == null) {
            timer = owner.register(Timer.builder("junction.requests")
                    .description("Exchanges: from the request to the end of the answer")
                    .tags("route", route, "backend", backend, "status", STATUS_CLASSES[statusClass],
                            "outcome", result.tag())
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(60)));
            requests.set(slot, timer);
        }
        timer.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        if (requestBytesRead > 0) {
            requestBytes.increment(requestBytesRead);
        }
        if (responseBytesWritten > 0) {
            responseBytes.increment(responseBytesWritten);
        }
    }

    void attemptEnded(Outcome outcome, long nanos) {
        Timer timer = attempts.get(outcome.ordinal());
        if (timer == null) {
            timer = owner.register(Timer.builder("junction.backend.requests")
                    .description("Attempts on a backend: from sending the request to the attempt's end")
                    .tags("route", route, "backend", backend, "outcome", JunctionMeters.tag(outcome)));
            attempts.set(outcome.ordinal(), timer);
        }
        timer.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
