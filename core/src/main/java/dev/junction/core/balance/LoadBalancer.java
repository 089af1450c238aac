package dev.junction.core.balance;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.junction.core.pool.Backend;

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
 * constructor, or one taking the options as {@code Map<String, String>}) or register it under a name with
 * {@link LoadBalancerRegistry#register(String, LoadBalancerFactory)}.
 *
 * <p>Implementations must be thread-safe.
 */
public interface LoadBalancer {

    /**
     * Returns a selector over this group of backends. Called off the request path, once per pool change and tier
     * (primaries, backups); the list is immutable and may be empty.
     */
    Selector selector(List<Backend> backends);

    /**
     * Returns whether a request's key decides its backend, as with hashing: slow start then leaves the strategy's
     * choices alone, since ramping a backend up would move keys away from it and back. Default false.
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
         */
        @Nullable Backend select(SelectionContext context, Eligibility eligibility);
    }

    /** Round-robin: each backend in turn, ignoring weights. */
    static LoadBalancer roundRobin() {
        return new RoundRobinLoadBalancer();
    }

    /** Smooth weighted round-robin, nginx's algorithm: weights 5, 1, 1 give {@code a a b a c a a}. */
    static LoadBalancer weightedRoundRobin() {
        return new WeightedRoundRobinLoadBalancer();
    }

    /**
     * The backend with the fewest requests in flight relative to its weight: every backend compared in groups of up
     * to 10, two drawn by weight in larger ones.
     */
    static LoadBalancer leastConnections() {
        return new LeastConnectionsLoadBalancer(LeastConnectionsLoadBalancer.DEFAULT_CHOICES,
                RandomSource.threadLocal());
    }

    /** A uniformly random backend. */
    static LoadBalancer random(RandomSource random) {
        return new RandomLoadBalancer(random, false);
    }

    /** A random backend with probability proportional to its weight. */
    static LoadBalancer weightedRandom(RandomSource random) {
        return new RandomLoadBalancer(random, true);
    }

    /** Two random backends, the one with fewer requests in flight relative to its weight (Mitzenmacher). */
    static LoadBalancer powerOfTwoChoices(RandomSource random) {
        return new PowerOfTwoChoicesLoadBalancer(random);
    }

    /** The client address hashed over the weighted backends; the same client reaches the same backend. */
    static LoadBalancer ipHash() {
        return new IpHashLoadBalancer();
    }

    /**
     * Consistent hashing of a request key on a ring or a Maglev table: removing one of N backends moves about 1/N
     * of the keys.
     */
    static LoadBalancer consistentHash(HashKey key, HashAlgorithm algorithm) {
        return new ConsistentHashLoadBalancer(key, algorithm);
    }

    /**
     * The backend with the lowest decayed response-time EWMA times (in-flight + 1), relative to its weight: every
     * backend compared in groups of up to 10, two drawn by weight in larger ones.
     */
    static LoadBalancer leastResponseTime() {
        return new LeastResponseTimeLoadBalancer(LeastResponseTimeLoadBalancer.DEFAULT_CHOICES,
                RandomSource.threadLocal());
    }
}
