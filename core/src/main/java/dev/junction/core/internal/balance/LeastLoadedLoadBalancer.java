package dev.junction.core.internal.balance;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import dev.junction.core.spi.Backend;
import dev.junction.core.spi.Eligibility;
import dev.junction.core.spi.LoadBalancer;

/**
 * What the load-aware strategies share: a scan of every eligible backend while the group is within its
 * {@link Choices}, and beyond that a comparison of a few backends drawn in proportion to their weights
 * ({@link WeightedDraw}), which keeps a pick's cost constant at any pool size and, by the power of d choices,
 * balances almost as well as the scan. Should the draws keep hitting ineligible backends (most of the pool down), the
 * pick falls back to the scan.
 */
abstract class LeastLoadedLoadBalancer implements LoadBalancer {

    private final Choices choices;
    private final RandomSource random;

    LeastLoadedLoadBalancer(Choices choices, RandomSource random) {
        this.choices = choices;
        this.random = random;
    }

    @Override
    public final Selector selector(List<Backend> backends) {
        Backend[] group = backends.toArray(new Backend[0]);
        AtomicInteger turns = new AtomicInteger();
        if (!choices.sampled(group.length)) {
            return (context, eligibility) -> scan(group, turns, eligibility);
        }
        WeightedDraw draw = new WeightedDraw(group);
        int draws = choices.draws();
        return (context, eligibility) -> {
            Backend drawn = drawn(draw, draws, eligibility);
            return drawn != null ? drawn : scan(group, turns, eligibility);
        };
    }

    /**
     * Returns the best eligible backend of the group, comparing every one, or null if none is eligible.
     *
     * @param turns a counter of the group's, for breaking ties in turn
     */
    abstract @Nullable Backend scan(Backend[] group, AtomicInteger turns, Eligibility eligibility);

    /** Returns what the strategy minimises, or any number that orders backends as it does. */
    abstract double cost(Backend backend);

    /** The cheapest of {@code draws} eligible backends drawn by weight, or null if the draws found none. */
    private @Nullable Backend drawn(WeightedDraw draw, int draws, Eligibility eligibility) {
        Backend best = null;
        double bestCost = Double.POSITIVE_INFINITY;
        int found = 0;
        for (int attempt = draws * Choices.DRAWS_PER_CHOICE; attempt > 0 && found < draws; attempt--) {
            Backend candidate = draw.next(random);
            if (eligibility.test(candidate)) {
                found++;
                double cost = cost(candidate);
                if (best == null || cost < bestCost) {
                    best = candidate;
                    bestCost = cost;
                }
            }
        }
        return best;
    }
}
