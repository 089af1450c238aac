package dev.junction.core.internal.tracing;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.RequestReplyReceiverContext;
import io.micrometer.observation.transport.RequestReplySenderContext;

import dev.junction.core.http.Fields;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.ServerExchange;

/**
 * Observes exchanges and their attempts in an {@link ObservationRegistry}: with Micrometer Tracing's handlers
 * registered, that is a server span per exchange and a client span per attempt, the attempt's trace context written
 * into the backend request's headers ({@code traceparent}, or whatever the tracer propagates).
 *
 * <ul>
 *   <li>{@value #EXCHANGE} (a {@code RequestReplyReceiverContext} over the client's headers, so its span continues
 *       the client's trace): one per exchange, unless an observation is current on the thread that hands the request
 *       to Junction (a Spring application's {@code http.server.requests}), which is then the attempts' parent
 *       instead.</li>
 *   <li>{@value #ATTEMPT} (a {@code RequestReplySenderContext} over the backend request's headers): one per attempt,
 *       a child of the exchange's.</li>
 * </ul>
 *
 * <p>Low-cardinality key values: {@code junction.route}, {@code junction.backend}, {@code http.method}, and at the
 * end {@code http.status_code} and {@code junction.outcome}. {@link #NONE}, for a registry that observes nothing,
 * creates nothing. Thread-safe.
 */
public final class Observations {

    /** The name of an exchange's observation. */
    public static final String EXCHANGE = "junction.exchange";
    /** The name of an attempt's observation. */
    public static final String ATTEMPT = "junction.attempt";

    /** Observes nothing. */
    public static final Observations NONE = new Observations(ObservationRegistry.NOOP);

    private final ObservationRegistry registry;

    /** Observes into {@code registry}. */
    public static Observations of(ObservationRegistry registry) {
        return registry.isNoop() ? NONE : new Observations(registry);
    }

    private Observations(ObservationRegistry registry) {
        this.registry = registry;
    }

    /** Returns whether anything is observed. */
    public boolean on() {
        return !registry.isNoop();
    }

    /**
     * Starts the observation of an exchange of {@code route}: the one current on this thread if there is one (which
     * Junction neither starts nor stops: {@link Exchange#owned()} is false), else one of Junction's own. Call on the
     * thread that handed the request over.
     */
    public Exchange exchange(String route, ServerExchange exchange) {
        Observation current = registry.getCurrentObservation();
        if (current != null) {
            return new Exchange(current, false);
        }
        Fields headers = exchange.requestHeaders();
        Observation observation = Observation.createNotStarted(EXCHANGE,
                () -> {
                    RequestReplyReceiverContext<Fields, Integer> context =
                            new RequestReplyReceiverContext<>(Observations::header);
                    context.setCarrier(headers);
                    return context;
                }, registry)
                .contextualName(exchange.method() + " " + route)
                .lowCardinalityKeyValue("junction.route", route)
                .lowCardinalityKeyValue("http.method", exchange.method())
                .highCardinalityKeyValue("http.url", exchange.rawPath())
                .start();
        return new Exchange(observation, true);
    }

    /**
     * Starts the observation of an attempt on {@code backend}, a child of {@code exchange}'s; its trace context is
     * written into {@code headers}, the backend request's, as it starts.
     */
    public Observation attempt(Exchange exchange, String route, Backend backend, String method, String target,
            Fields headers) {
        return Observation.createNotStarted(ATTEMPT,
                () -> {
                    RequestReplySenderContext<Fields, Integer> context =
                            new RequestReplySenderContext<>(Observations::setHeader);
                    context.setCarrier(headers);
                    context.setRemoteServiceAddress(backend.uri().toString());
                    return context;
                }, registry)
                .parentObservation(exchange.observation())
                .contextualName(method + " " + backend.id())
                .lowCardinalityKeyValue("junction.route", route)
                .lowCardinalityKeyValue("junction.backend", backend.id())
                .lowCardinalityKeyValue("http.method", method)
                .highCardinalityKeyValue("http.url", target)
                .start();
    }

    /** Ends an observation with the status the client or the backend gave (0 for none) and how it went. */
    public static void stop(Observation observation, int status, String outcome, @Nullable Throwable failure) {
        if (observation.getContext() instanceof RequestReplySenderContext<?, ?> sender) {
            @SuppressWarnings("unchecked")
            RequestReplySenderContext<Fields, Integer> context = (RequestReplySenderContext<Fields, Integer>) sender;
            context.setResponse(status);
        } else if (observation.getContext() instanceof RequestReplyReceiverContext<?, ?> receiver) {
            @SuppressWarnings("unchecked")
            RequestReplyReceiverContext<Fields, Integer> context =
                    (RequestReplyReceiverContext<Fields, Integer>) receiver;
            context.setResponse(status);
        }
        observation.lowCardinalityKeyValue("http.status_code", status == 0 ? "NONE" : Integer.toString(status))
                .lowCardinalityKeyValue("junction.outcome", outcome.toLowerCase(Locale.ROOT));
        if (failure != null) {
            observation.error(failure);
        }
        observation.stop();
    }

    private static @Nullable String header(Fields headers, String name) {
        return headers.get(name);
    }

    private static void setHeader(@Nullable Fields headers, String name, String value) {
        if (headers != null) {
            headers.set(name, value);
        }
    }

    /**
     * An exchange's observation, and whether Junction started it (and so stops it) or found it current.
     *
     * @param observation the observation the attempts are children of
     * @param owned whether Junction started it
     */
    public record Exchange(Observation observation, boolean owned) {
    }
}
