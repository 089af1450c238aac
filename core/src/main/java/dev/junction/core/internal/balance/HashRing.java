package dev.junction.core.internal.balance;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

import dev.junction.core.internal.Hashing;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.Eligibility;

/**
 * A consistent-hash ring (Karger et al., 1997; Ketama): each backend owns points in proportion to its weight, and a
 * key belongs to the first point at or after its hash, clockwise. Removing a backend hands only its own arcs to the
 * following points; adding one takes arcs only from others. Points are hashed from backend ids, so every gateway
 * builds the same ring.
 *
 * <p>Immutable. Lookup is a binary search over a {@code long[]}.
 */
final class HashRing implements ConsistentHashLoadBalancer.Table {

    /**
     * Points per unit of weight, after weights are divided by their greatest common divisor; Ketama's 160 keeps
     * each backend's share within a few percent of its weight.
     */
    static final int POINTS_PER_BACKEND = 160;
    /** At most this many points (3 MiB), however large the weights. */
    private static final int MAX_POINTS = 1 << 18;
    /**
     * Points walked past an ineligible owner before giving up to the caller's direct pick. Keys of a failed backend
     * find the next owner within a few points; the bound keeps a pool that is almost all down from costing a walk
     * of the whole ring on every request.
     */
    private static final int MAX_PROBES = 64;

    private final long[] hashes;
    private final Backend[] owners;

    private HashRing(long[] hashes, Backend[] owners) {
        this.hashes = hashes;
        this.owners = owners;
    }

    static HashRing build(Backend[] group) {
        // Points depend only on a backend's own (reduced) weight, never on how many backends there are: a ring
        // sized by the group would move every point when one backend leaves, and with it keys of the others.
        int gcd = 0;
        long reducedTotal = 0;
        for (Backend backend : group) {
            gcd = Picks.gcd(gcd, backend.weight());
        }
        for (Backend backend : group) {
            reducedTotal += backend.weight() / gcd;
        }
        long perWeight = POINTS_PER_BACKEND;
        if (reducedTotal * perWeight > MAX_POINTS) {
            // Only very large weight sums get here; they keep their proportions and give up some consistency.
            perWeight = Math.max(1, MAX_POINTS / reducedTotal);
        }
        int[] counts = new int[group.length];
        int total = 0;
        for (int i = 0; i < group.length; i++) {
            counts[i] = (int) (perWeight * (group[i].weight() / gcd));
            total += counts[i];
        }
        long[] points = new long[total];
        int[] ownerOf = new int[total];
        int next = 0;
        for (int i = 0; i < group.length; i++) {
            String id = group[i].id();
            for (int p = 0; p < counts[i]; p++) {
                points[next] = Hashing.hash(id, p);
                ownerOf[next] = i;
                next++;
            }
        }
        // Sort points with their owners; equal hashes (astronomically rare) order by id so every gateway agrees.
        Integer[] order = new Integer[total];
        for (int i = 0; i < total; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int byHash = Long.compareUnsigned(points[a], points[b]);
            return byHash != 0 ? byHash : group[ownerOf[a]].id().compareTo(group[ownerOf[b]].id());
        });
        long[] hashes = new long[total];
        Backend[] owners = new Backend[total];
        for (int i = 0; i < total; i++) {
            hashes[i] = points[order[i]];
            owners[i] = group[ownerOf[order[i]]];
        }
        return new HashRing(hashes, owners);
    }

    @Override
    public @Nullable Backend select(long hash, Eligibility eligibility) {
        int start = ceiling(hash);
        int n = owners.length;
        for (int k = 0, probes = Math.min(n, MAX_PROBES); k < probes; k++) {
            int i = start + k;
            Backend candidate = owners[i < n ? i : i - n];
            if (eligibility.test(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Returns the index of the first point at or after {@code hash}, wrapping to 0 past the last. */
    private int ceiling(long hash) {
        int low = 0;
        int high = hashes.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (Long.compareUnsigned(hashes[mid], hash) < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low == hashes.length ? 0 : low;
    }

    /** Returns the number of points on the ring. */
    int size() {
        return hashes.length;
    }
}
