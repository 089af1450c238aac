package dev.junction.core.internal.balance;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import dev.junction.core.spi.Backend;
import dev.junction.core.spi.Eligibility;
import dev.junction.core.spi.LoadBalancer;

/**
 * Each backend in turn, ignoring weights. One shared counter; when the backend at the counter is not eligible, the
 * turn goes to the eligible backends in rotation by a second counter, so a backend next to a failed one does not get
 * its share twice and, over time, every eligible backend gets the same share.
 */
final class RoundRobinLoadBalancer implements LoadBalancer {

    @Override
    public Selector selector(List<Backend> backends) {
        Backend[] group = backends.toArray(new Backend[0]);
        AtomicInteger counter = new AtomicInteger();
        AtomicInteger fallback = new AtomicInteger();
        return (context, eligibility) -> select(group, counter, fallback, eligibility);
    }

    private static @Nullable Backend select(Backend[] group, AtomicInteger counter, AtomicInteger fallback,
            Eligibility eligibility) {
        int n = group.length;
        if (n == 0) {
            return null;
        }
        int turn = counter.getAndIncrement();
        Backend candidate = group[Math.floorMod(turn, n)];
        if (eligibility.test(candidate)) {
            return candidate;
        }
        return Picks.nth(group, eligibility, fallback.getAndIncrement());
    }
}
