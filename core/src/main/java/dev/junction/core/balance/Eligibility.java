package dev.junction.core.balance;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

import dev.junction.core.pool.Backend;

/**
 * Which backends a selection may return. A {@link LoadBalancer.Selector} is asked first for an
 * {@link #AVAILABLE} backend and, in panic or when the route's {@code whenAllDown} is {@code panic} and none is
 * available, for a {@link #PANIC} one. During slow start the route may ask again with a backend it has just passed
 * over left out ({@link #excluding}).
 *
 * <p>Immutable. A final class rather than an interface, so the test at the heart of every selection stays a single,
 * inlinable call.
 */
public final class Eligibility {

    /** Only backends that take a new request now: {@link Backend#isAvailable()}. */
    public static final Eligibility AVAILABLE = new Eligibility(false, null);

    /**
     * Every backend not disabled by an operator, below its concurrency limit and not behind an open circuit breaker,
     * healthy or not: panic mode ignores health, never an operator's decision, a hard limit or a breaker.
     */
    public static final Eligibility PANIC = new Eligibility(true, null);

    private final boolean panic;
    private final Backend @Nullable [] excluded;

    private Eligibility(boolean panic, Backend @Nullable [] excluded) {
        this.panic = panic;
        this.excluded = excluded;
    }

    /** Returns whether this backend may be selected. */
    public boolean test(Backend backend) {
        if (excluded != null && isExcluded(backend)) {
            return false;
        }
        return panic ? !backend.disabled() && !backend.atCapacity() && !backend.state().breakerOpen()
                : backend.isAvailable();
    }

    /** Returns these rules with {@code backend} left out as well. */
    public Eligibility excluding(Backend backend) {
        Backend[] more = excluded == null ? new Backend[1] : Arrays.copyOf(excluded, excluded.length + 1);
        more[more.length - 1] = backend;
        return new Eligibility(panic, more);
    }

    private boolean isExcluded(Backend backend) {
        for (Backend skipped : excluded) {
            if (skipped == backend) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return (panic ? "PANIC" : "AVAILABLE") + (excluded == null ? "" : " excluding " + Arrays.toString(excluded));
    }
}
