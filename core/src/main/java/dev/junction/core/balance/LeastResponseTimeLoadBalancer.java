package dev.junction.core.balance;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import dev.junction.core.pool.Backend;
import dev.junction.core.pool.BackendState;

/**
 * The eligible backend with the lowest expected wait: its decayed response-time EWMA
 * ({@link BackendState#decayedResponseTimeNanos(long)}) times its requests in flight plus one, divided by its weight
 * (the cost of Finagle's peak-EWMA balancer, compared over the whole group as nginx Plus's {@code least_time}).
 *
 * <p>A backend with no sample yet costs zero while idle, so new backends are tried at once; because the EWMA fades while a
 * backend gets no traffic, a once-slow backend is tried again after a few decay periods and keeps traffic if it has
 * recovered. The scan starts at a rotating offset, so equal costs share the traffic.
 */
final class LeastResponseTimeLoadBalancer implements LoadBalancer {

    /** The cost of a backend that has requests in flight but no sample yet: about a day, in nanoseconds. */
    private static final double UNMEASURED_PENALTY = 1e14;

    @Override
    public Selector selector(List<Backend> backends) {
        Backend[] group = backends.toArray(new Backend[0]);
        AtomicInteger offset = new AtomicInteger();
        return (context, eligibility) -> select(group, offset, eligibility);
    }

    private static @Nullable Backend select(Backend[] group, AtomicInteger offset, Eligibility eligibility) {
        int n = group.length;
        if (n == 0) {
            return null;
        }
        long now = group[0].state().ticker().nanos();
        int start = Math.floorMod(offset.getAndIncrement(), n);
        Backend best = null;
        double bestCost = Double.MAX_VALUE;
        for (int k = 0; k < n; k++) {
            int i = start + k;
            Backend candidate = group[i < n ? i : i - n];
            if (!eligibility.test(candidate)) {
                continue;
            }
            BackendState state = candidate.state();
            double cost = cost(state.decayedResponseTimeNanos(now), state.inFlight()) / candidate.weight();
            if (best == null || cost < bestCost) {
                best = candidate;
                bestCost = cost;
            }
        }
        return best;
    }

    /**
     * The expected wait. A backend without a sample costs nothing while idle, so it is tried at once, and a penalty
     * once it has requests in flight, so it does not absorb every request until its first answer (Finagle's rule).
     */
    private static double cost(double ewmaNanos, int inFlight) {
        if (ewmaNanos == 0.0) {
            return inFlight == 0 ? 0.0 : UNMEASURED_PENALTY + inFlight;
        }
        return ewmaNanos * (inFlight + 1);
    }
}
