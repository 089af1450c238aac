package dev.junction.core.internal.balance;

import dev.junction.core.spi.LoadBalancer;

/** The built-in strategies, by algorithm; configuration names them through {@link Strategies}. */
final class BuiltIns {

    private BuiltIns() {
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
