package dev.junction.core.balance;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import dev.junction.core.pool.Backend;

/**
 * The eligible backend with the fewest requests in flight per unit of weight, as nginx's {@code least_conn}. The
 * scan starts at a rotating offset and keeps the first of equals, so ties (an idle pool) are served in turn rather
 * than always by the first backend.
 */
final class LeastConnectionsLoadBalancer implements LoadBalancer {

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
        int start = Math.floorMod(offset.getAndIncrement(), n);
        Backend best = null;
        for (int k = 0; k < n; k++) {
            int i = start + k;
            Backend candidate = group[i < n ? i : i - n];
            if (eligibility.test(candidate) && (best == null || Picks.lessLoaded(candidate, best))) {
                best = candidate;
            }
        }
        return best;
    }
}
