package dev.junction.core.internal.balance;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.junction.core.spi.Backend;
import dev.junction.core.spi.Eligibility;
import dev.junction.core.spi.LoadBalancer;

/**
 * Power of two choices (Mitzenmacher, 2001), Envoy's {@code LEAST_REQUEST}: draw two distinct backends at random
 * and take the one with fewer requests in flight per unit of weight. Almost as good as a full least-connections scan
 * at any pool size, for two random numbers and two reads. If a drawn backend is not eligible, the draw is repeated
 * over the eligible backends only.
 */
final class PowerOfTwoChoicesLoadBalancer implements LoadBalancer {

    private final RandomSource random;

    PowerOfTwoChoicesLoadBalancer(RandomSource random) {
        this.random = random;
    }

    @Override
    public Selector selector(List<Backend> backends) {
        Backend[] group = backends.toArray(new Backend[0]);
        return (context, eligibility) -> select(group, eligibility);
    }

    private @Nullable Backend select(Backend[] group, Eligibility eligibility) {
        int n = group.length;
        if (n == 0) {
            return null;
        }
        if (n == 1) {
            return eligibility.test(group[0]) ? group[0] : null;
        }
        int first = random.nextInt(n);
        // A second index drawn from the other n - 1, so the two are always distinct.
        int second = first + 1 + random.nextInt(n - 1);
        Backend a = group[first];
        Backend b = group[second < n ? second : second - n];
        boolean aEligible = eligibility.test(a);
        boolean bEligible = eligibility.test(b);
        if (aEligible && bEligible) {
            return Picks.lessLoaded(b, a) ? b : a;
        }
        return slowPath(group, eligibility);
    }

    private @Nullable Backend slowPath(Backend[] group, Eligibility eligibility) {
        Backend a = Picks.nth(group, eligibility, random.nextInt(Integer.MAX_VALUE));
        Backend b = Picks.nth(group, eligibility, random.nextInt(Integer.MAX_VALUE));
        if (a == null || b == null) {
            return a != null ? a : b;
        }
        return Picks.lessLoaded(b, a) ? b : a;
    }
}
