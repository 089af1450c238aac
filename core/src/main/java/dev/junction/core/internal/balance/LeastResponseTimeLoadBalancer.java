package dev.junction.core.internal.balance;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import dev.junction.core.internal.LiveState;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.BackendState;
import dev.junction.core.spi.Eligibility;
import dev.junction.core.spi.LoadBalancer;

/**
 * The eligible backend with the lowest expected wait: its response-time EWMA faded by the time since its last sample
 * ({@link BackendState}), times its requests in flight plus one, divided by its weight (the cost of Finagle's
 * peak-EWMA balancer, compared over the whole group as nginx Plus's {@code least_time}).
 *
 * <p>Costs are compared as logarithms, through {@link BackendState#responseTimeRank()}: {@code rank + ln(in flight +
 * 1) − ln(weight)} orders backends exactly as the costs do, since the fading is the same factor for every backend at
 * any instant; so a pick reads no clock and computes no exponential.
 *
 * <p>A backend with no sample yet costs zero while idle, so new backends are tried at once, and a penalty of a day
 * per request once it has requests in flight, so it does not absorb every request until its first answer (Finagle's
 * rule); that penalty never fades. Because the EWMA fades while a backend
 * gets no traffic, a once-slow backend is tried again after a few decay periods and keeps traffic if it has
 * recovered. The scan starts at a rotating offset, so equal costs share the traffic.
 *
 * <p>A group larger than its {@link Choices} allow is not scanned but sampled ({@link LeastLoadedLoadBalancer}), as
 * Finagle compares two backends.
 */
final class LeastResponseTimeLoadBalancer extends LeastLoadedLoadBalancer {

    /** Every backend of groups up to 10 (a scan of under 50 ns); two drawn ones in larger groups. */
    static final Choices DEFAULT_CHOICES = new Choices(10, 2);

    /** The logarithm of the cost of a request to a backend without a sample: about a day, in nanoseconds. */
    private static final double UNMEASURED_PENALTY = Math.log(1e14);
    private static final double DECAY_NANOS = LiveState.DECAY_SECONDS * 1e9;
    /** Natural logarithms of 0 to 1024: weights, and requests in flight plus one, as a pick meets them. */
    private static final double[] LN = new double[1025];

    static {
        for (int i = 0; i < LN.length; i++) {
            LN[i] = Math.log(i);
        }
    }

    LeastResponseTimeLoadBalancer(Choices choices, RandomSource random) {
        super(choices, random);
    }

    /** Creates the strategy from configuration options ({@value Choices#OPTION}). */
    static LoadBalancer fromOptions(Map<String, String> options) {
        return new LeastResponseTimeLoadBalancer(
                Choices.fromOptions("least-response-time", options, DEFAULT_CHOICES), RandomSource.threadLocal());
    }

    @Override
    @Nullable Backend scan(Backend[] group, AtomicInteger turns, Eligibility eligibility) {
        int n = group.length;
        if (n == 0) {
            return null;
        }
        int start = Math.floorMod(turns.getAndIncrement(), n);
        Backend best = null;
        double bestCost = Double.POSITIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            int i = start + k;
            Backend candidate = group[i < n ? i : i - n];
            if (!eligibility.test(candidate)) {
                continue;
            }
            double cost = cost(candidate);
            if (best == null || cost < bestCost) {
                best = candidate;
                bestCost = cost;
            }
        }
        return best;
    }

    /** The logarithm of the backend's cost, less the term all backends share now; −∞ for an idle unmeasured one. */
    @Override
    double cost(Backend backend) {
        BackendState state = backend.state();
        double rank = state.responseTimeRank();
        int inFlight = state.inFlight();
        if (Double.isNaN(rank)) {
            if (inFlight == 0) {
                return Double.NEGATIVE_INFINITY;
            }
            // The penalty as of now (one clock read, only here): it must not fade, or a backend that never
            // answers would in time look cheaper than every measured one.
            rank = UNMEASURED_PENALTY + LiveState.of(backend).ticker().nanos() / DECAY_NANOS;
        }
        return rank + ln(inFlight + 1) - ln(backend.weight());
    }

    private static double ln(int n) {
        return n >= 0 && n < LN.length ? LN[n] : Math.log(n);
    }
}
