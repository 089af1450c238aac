package dev.junction.core.internal.balance;

import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where the random strategies get their randomness: {@link ThreadLocalRandom} by default, a seeded generator in
 * tests so statistical checks are repeatable.
 *
 * <p>Implementations must be thread-safe, or confined by the caller.
 */
@FunctionalInterface
public interface RandomSource {

    /** Returns a uniformly distributed int in {@code [0, bound)}; {@code bound} is positive. */
    int nextInt(int bound);

    /**
     * Returns a uniformly distributed long, all 64 bits random. By default made of three {@link #nextInt} calls;
     * sources with a cheaper way override it.
     */
    default long nextLong() {
        return (long) nextInt(1 << 16) << 48 | (long) nextInt(1 << 24) << 24 | nextInt(1 << 24);
    }

    /** Returns the default source, backed by {@link ThreadLocalRandom}; allocation-free. */
    static RandomSource threadLocal() {
        return ThreadLocalRandomSource.INSTANCE;
    }

    /**
     * Returns a deterministic source for tests. It synchronises, so it stays correct when shared by threads, but its
     * sequence is then no longer repeatable.
     */
    static RandomSource seeded(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return new RandomSource() {
            @Override
            public int nextInt(int bound) {
                synchronized (random) {
                    return random.nextInt(bound);
                }
            }

            @Override
            public long nextLong() {
                synchronized (random) {
                    return random.nextLong();
                }
            }
        };
    }
}
