package dev.junction.core.spi;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A balancing strategy: given a group of backends, builds a {@link Selector} that picks one per request.
 *
 * <p>This is the one interface a custom strategy implements. Work that depends only on the membership (a hash ring,
 * a weighted schedule) belongs in {@link #selector(List)}, which runs when the pool changes; {@link Selector#select}
 * runs for every request and must be cheap, thread-safe, and must skip every backend the {@link Eligibility} rejects.
 * The route applies the rules common to all strategies around it: backups only when no primary is eligible, panic
 * mode only when the route asks for it.
 *
 * <pre>{@code
 * public final class FirstAvailableLoadBalancer implements LoadBalancer {
 *     public Selector selector(List<Backend> backends) {
 *         return (context, eligibility) -> {
 *             for (int i = 0; i < backends.size(); i++) {
 *                 if (eligibility.test(backends.get(i))) {
 *                     return backends.get(i);
 *                 }
 *             }
 *             return null;
 *         };
 *     }
 * }
 * }</pre>
 * Name its class in configuration ({@code strategy: com.example.FirstAvailableLoadBalancer}; a public no-argument
 * constructor, or one taking the options as {@code Map<String, String>}), register it under a name on one Junction
 * ({@code Junction.builder().strategy("first-available", options -> new FirstAvailableLoadBalancer())}), or
 * for every Junction of the class path through a {@link LoadBalancerProvider}. The built-in strategies are named in
 * configuration alone ({@code round-robin}, {@code least-connections}, ...).
 *
 * <p>Implementations must be thread-safe.
 */
public interface LoadBalancer {

    /**
     * Returns a selector over this group of backends. Called off the request path, once per pool change and tier
     * (primaries, backups); the list is immutable and may be empty.
     *
     * @param backends the group's backends
     * @return the selector used for the group's requests until the next change
     */
    Selector selector(List<Backend> backends);

    /**
     * Returns whether a request's key decides its backend, as with hashing: slow start then leaves the strategy's
     * choices alone, since ramping a backend up would move keys away from it and back. Default false.
     *
     * @return whether the strategy picks by a request's key
     */
    default boolean keyed() {
        return false;
    }

    /** Picks a backend for one request. Thread-safe; called on the request path. */
    @FunctionalInterface
    interface Selector {

        /**
         * Returns an eligible backend of the group, or null if none is eligible.
         *
         * @param context what the strategy may know of the request
         * @param eligibility which backends may be returned
         * @return an eligible backend, or null
         */
        @Nullable Backend select(SelectionContext context, Eligibility eligibility);
    }
}
