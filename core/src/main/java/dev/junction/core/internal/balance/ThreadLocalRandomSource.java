package dev.junction.core.internal.balance;

import java.util.concurrent.ThreadLocalRandom;

/** The source of {@link RandomSource#threadLocal()}: {@link ThreadLocalRandom}, with its one-call {@code nextLong}. */
enum ThreadLocalRandomSource implements RandomSource {
    INSTANCE;

    @Override
    public int nextInt(int bound) {
        return ThreadLocalRandom.current().nextInt(bound);
    }

    @Override
    public long nextLong() {
        return ThreadLocalRandom.current().nextLong();
    }
}
