package dev.junction.core.internal.balance;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

import dev.junction.core.internal.Hashing;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.Eligibility;

/**
 * A Maglev lookup table (Eisenbud et al., "Maglev: A Fast and Reliable Software Network Load Balancer", NSDI 2016,
 * §3.4), weighted as in Envoy: every backend walks its own permutation of the {@value #SIZE} slots (offset and skip
 * hashed from its id) and claims the next free slot on its turns; a backend takes turns in proportion to its weight.
 * Lookup is one array read; a change of membership moves a little more than 1/N of the keys.
 *
 * <p>Immutable. When the owner of a key's slot is not eligible, the key is rehashed a few times, so its fallback is
 * stable; past that the caller weighs the eligible backends directly.
 */
final class MaglevTable implements ConsistentHashLoadBalancer.Table {

    /** The table size: a prime, as the permutations require, and Envoy's default. */
    static final int SIZE = 65537;
    private static final int REHASHES = 8;

    private final Backend[] slots;

    private MaglevTable(Backend[] slots) {
        this.slots = slots;
    }

    static MaglevTable build(Backend[] group) {
        int n = group.length;
        long[] offset = new long[n];
        long[] skip = new long[n];
        long[] next = new long[n];
        double[] credit = new double[n];
        int maxWeight = 1;
        for (int i = 0; i < n; i++) {
            offset[i] = Long.remainderUnsigned(Hashing.hash(group[i].id(), 0x6d61676c6576L), SIZE);
            skip[i] = Long.remainderUnsigned(Hashing.hash(group[i].id(), 0x736b6970L), SIZE - 1) + 1;
            maxWeight = Math.max(maxWeight, group[i].weight());
        }
        int[] owner = new int[SIZE];
        Arrays.fill(owner, -1);
        int filled = 0;
        while (filled < SIZE) {
            for (int i = 0; i < n && filled < SIZE; i++) {
                // Weighted turns: a backend claims a slot each time its credit reaches the heaviest weight.
                credit[i] += (double) group[i].weight() / maxWeight;
                if (credit[i] < 1.0) {
                    continue;
                }
                credit[i] -= 1.0;
                int slot;
                do {
                    slot = (int) ((offset[i] + next[i] * skip[i]) % SIZE);
                    next[i]++;
                } while (owner[slot] >= 0);
                owner[slot] = i;
                filled++;
            }
        }
        Backend[] slots = new Backend[SIZE];
        for (int s = 0; s < SIZE; s++) {
            slots[s] = group[owner[s]];
        }
        return new MaglevTable(slots);
    }

    @Override
    public @Nullable Backend select(long hash, Eligibility eligibility) {
        for (int attempt = 0; attempt <= REHASHES; attempt++) {
            long h = attempt == 0 ? hash : Hashing.mix(hash + attempt);
            Backend candidate = slots[(int) Long.remainderUnsigned(h, SIZE)];
            if (eligibility.test(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
