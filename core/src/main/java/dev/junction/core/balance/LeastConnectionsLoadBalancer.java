package dev.junction.core.balance;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import dev.junction.core.pool.Backend;

/**
 * The eligible backend with the fewest requests in flight per unit of weight, as nginx's {@code least_conn}. Equally
 * loaded backends (an idle pool, say) take turns in proportion to their weights, as nginx breaks ties by weighted
 * round-robin: a second pass, run only when there is a tie, walks the tied backends' weights to the point a shared
 * counter names, so under light load, where every backend is idle, the weights still hold.
 */
final class LeastConnectionsLoadBalancer implements LoadBalancer {

    @Override
    public Selector selector(List<Backend> backends) {
        Backend[] group = backends.toArray(new Backend[0]);
        AtomicInteger turns = new AtomicInteger();
        return (context, eligibility) -> select(group, turns, eligibility);
    }

    private static @Nullable Backend select(Backend[] group, AtomicInteger turns, Eligibility eligibility) {
        Backend best = null;
        int ties = 0;
        long tiedWeight = 0;
        for (Backend candidate : group) {
            if (!eligibility.test(candidate)) {
                continue;
            }
            if (best == null || Picks.lessLoaded(candidate, best)) {
                best = candidate;
                ties = 1;
                tiedWeight = candidate.weight();
            } else if (!Picks.lessLoaded(best, candidate)) {
                ties++;
                tiedWeight += candidate.weight();
            }
        }
        if (ties <= 1) {
            return best;
        }
        long target = Math.floorMod(turns.getAndIncrement(), tiedWeight);
        for (Backend candidate : group) {
            // In-flight counts move while we scan; whatever ties with the best found serves, and if the target has
            // moved away the best found stands.
            if (eligibility.test(candidate) && !Picks.lessLoaded(best, candidate)) {
                target -= candidate.weight();
                if (target < 0) {
                    return candidate;
                }
            }
        }
        return best;
    }
}
