package dev.junction.core.spi;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

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

    private static final int AVAILABLE_KIND = 0;
    private static final int PANIC_KIND = 1;
    private static final int STICKY_KIND = 2;

    /** Only backends that take a new request now: {@link Backend#isAvailable()}. */
    public static final Eligibility AVAILABLE = new Eligibility(AVAILABLE_KIND, null, Integer.MAX_VALUE);

    /**
     * Every backend not disabled or drained by an operator, below its concurrency limit and not behind an open circuit
     * breaker, healthy or not: panic mode ignores health, never an operator's decision, a hard limit or a breaker.
     */
    public static final Eligibility PANIC = new Eligibility(PANIC_KIND, null, Integer.MAX_VALUE);

    /**
     * What a session pinned to a backend may still use: an available backend, or one that is only draining (its
     * sessions stay until they expire).
     */
    public static final Eligibility STICKY = new Eligibility(STICKY_KIND, null, Integer.MAX_VALUE);

    private final int kind;
    private final Backend @Nullable [] excluded;
    private final int loadLimit;
    private final boolean extras;

    private Eligibility(int kind, Backend @Nullable [] excluded, int loadLimit) {
        this.kind = kind;
        this.excluded = excluded;
        this.loadLimit = loadLimit;
        this.extras = excluded != null || loadLimit != Integer.MAX_VALUE;
    }

    /**
     * {@return whether this backend may be selected under these rules}
     *
     * @param backend the backend to test
     */
    public boolean test(Backend backend) {
        if (extras && !extrasAllow(backend)) {
            return false;
        }
        return switch (kind) {
            case AVAILABLE_KIND -> backend.isAvailable();
            case PANIC_KIND -> !backend.disabled() && !backend.atCapacity() && !backend.state().breakerOpen()
                    && backend.state().availability() != Availability.DRAINING;
            default -> !backend.disabled() && !backend.state().blocked() && !backend.atCapacity()
                    && backend.state().availability() != Availability.UNHEALTHY;
        };
    }

    private boolean extrasAllow(Backend backend) {
        return (excluded == null || !isExcluded(backend)) && backend.state().inFlight() < loadLimit;
    }

    /**
     * Returns these rules with {@code backend} left out as well (compared by identity).
     *
     * @param backend the backend to leave out
     * @return new rules; these are unchanged
     */
    public Eligibility excluding(Backend backend) {
        Backend[] more = excluded == null ? new Backend[1] : Arrays.copyOf(excluded, excluded.length + 1);
        more[more.length - 1] = backend;
        return new Eligibility(kind, more, loadLimit);
    }

    /**
     * Returns these rules for backends with fewer than {@code limit} requests in flight (bounded-load hashing).
     *
     * @param limit the number of requests in flight a backend must stay below
     * @return new rules, in place of any earlier limit; these are unchanged
     */
    public Eligibility withLoadBelow(int limit) {
        return new Eligibility(kind, excluded, limit);
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
        return (kind == AVAILABLE_KIND ? "AVAILABLE" : kind == PANIC_KIND ? "PANIC" : "STICKY")
                + (excluded == null ? "" : " excluding " + Arrays.toString(excluded))
                + (loadLimit == Integer.MAX_VALUE ? "" : " below " + loadLimit + " in flight");
    }
}
