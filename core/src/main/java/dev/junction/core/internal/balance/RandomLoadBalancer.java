package dev.junction.core.internal.balance;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.junction.core.spi.Backend;
import dev.junction.core.spi.Eligibility;
import dev.junction.core.spi.LoadBalancer;

/**
 * A random backend, uniformly or in proportion to weight. The fast path is one random number and, for weighted
 * picks, a {@link WeightedDraw} built in {@link #selector}; when the pick is not eligible, a second random number is
 * drawn over the eligible backends only, so the draw stays unbiased.
 */
final class RandomLoadBalancer implements LoadBalancer {

    private final RandomSource random;
    private final boolean weighted;

    RandomLoadBalancer(RandomSource random, boolean weighted) {
        this.random = random;
        this.weighted = weighted;
    }

    @Override
    public Selector selector(List<Backend> backends) {
        Backend[] group = backends.toArray(new Backend[0]);
        if (group.length == 0) {
            return (context, eligibility) -> null;
        }
        if (!weighted) {
            return (context, eligibility) -> uniform(group, eligibility);
        }
        WeightedDraw draw = new WeightedDraw(group);
        return (context, eligibility) -> weighted(group, draw, eligibility);
    }

    private @Nullable Backend uniform(Backend[] group, Eligibility eligibility) {
        Backend candidate = group[random.nextInt(group.length)];
        if (eligibility.test(candidate)) {
            return candidate;
        }
        // Bias of drawing modulo the eligible count from [0, 2^31) is below 2^-20 for any real pool.
        return Picks.nth(group, eligibility, random.nextInt(Integer.MAX_VALUE));
    }

    private @Nullable Backend weighted(Backend[] group, WeightedDraw draw, Eligibility eligibility) {
        Backend candidate = draw.next(random);
        if (eligibility.test(candidate)) {
            return candidate;
        }
        return Picks.weighted(group, eligibility, random.nextInt(Integer.MAX_VALUE));
    }
}
