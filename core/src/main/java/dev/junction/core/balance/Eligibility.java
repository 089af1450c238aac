package dev.junction.core.balance;

import dev.junction.core.pool.Backend;

/**
 * Which backends a selection may return. A {@link LoadBalancer.Selector} is asked first for an
 * {@link #AVAILABLE} backend and, only when the route's {@code whenAllDown} is {@code panic} and none is available,
 * for a {@link #PANIC} one.
 */
public enum Eligibility {
    /** Only backends that take a new request now: {@link Backend#isAvailable()}. */
    AVAILABLE {
        @Override
        public boolean test(Backend backend) {
            return backend.isAvailable();
        }
    },
    /**
     * Every backend not disabled by an operator and below its concurrency limit, healthy or not: panic mode ignores
     * health, never an operator's decision or a hard limit.
     */
    PANIC {
        @Override
        public boolean test(Backend backend) {
            return !backend.disabled() && !backend.atCapacity();
        }
    };

    /** Returns whether this backend may be selected. */
    public abstract boolean test(Backend backend);
}
