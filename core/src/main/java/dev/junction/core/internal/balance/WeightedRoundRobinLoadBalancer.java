package dev.junction.core.internal.balance;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import dev.junction.core.spi.Backend;
import dev.junction.core.spi.Eligibility;
import dev.junction.core.spi.LoadBalancer;

/**
 * Smooth weighted round-robin, the algorithm of nginx's {@code ngx_http_upstream_get_peer}: every turn each backend's
 * current weight grows by its weight, the largest is picked and loses the total. Weights 5, 1, 1 give
 * {@code a a b a c a a}: the heavy backend's turns are spread out, not bunched.
 *
 * <p>nginx runs the algorithm under a lock on every request. Here the schedule depends only on the weights, so
 * {@link #selector} runs it once for a whole period (the sum of the weights divided by their greatest common
 * divisor, at most {@code 1000 × backends}) and a selection is one atomic increment and an array read, with no
 * lock. When the scheduled backend is not eligible the pick falls to the eligible backends in proportion to their
 * weights.
 */
final class WeightedRoundRobinLoadBalancer implements LoadBalancer {

    @Override
    public Selector selector(List<Backend> backends) {
        Backend[] group = backends.toArray(new Backend[0]);
        if (group.length == 0) {
            return (context, eligibility) -> null;
        }
        Backend[] schedule = schedule(group);
        AtomicInteger counter = new AtomicInteger();
        AtomicInteger fallback = new AtomicInteger();
        return (context, eligibility) -> select(group, schedule, counter, fallback, eligibility);
    }

    private static @Nullable Backend select(Backend[] group, Backend[] schedule, AtomicInteger counter,
            AtomicInteger fallback, Eligibility eligibility) {
        int turn = counter.getAndIncrement();
        Backend candidate = schedule[Math.floorMod(turn, schedule.length)];
        if (eligibility.test(candidate)) {
            return candidate;
        }
        // A counter of its own: the schedule's turns that land on a failed backend fall on a fixed residue class,
        // which would give the fallback only some of the eligible backends.
        return Picks.weighted(group, eligibility, fallback.getAndIncrement());
    }

    /** Runs nginx's smooth weighted round-robin for one period. */
    static Backend[] schedule(Backend[] group) {
        int gcd = 0;
        for (Backend backend : group) {
            gcd = Picks.gcd(gcd, backend.weight());
        }
        int n = group.length;
        int[] weights = new int[n];
        int total = 0;
        for (int i = 0; i < n; i++) {
            weights[i] = group[i].weight() / gcd;
            total += weights[i];
        }
        Backend[] schedule = new Backend[total];
        int[] current = new int[n];
        for (int turn = 0; turn < total; turn++) {
            int best = 0;
            for (int i = 0; i < n; i++) {
                current[i] += weights[i];
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            schedule[turn] = group[best];
        }
        return schedule;
    }

}
