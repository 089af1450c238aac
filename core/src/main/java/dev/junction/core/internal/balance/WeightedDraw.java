package dev.junction.core.internal.balance;

import dev.junction.core.spi.Backend;

/**
 * Draws backends at random with probability in proportion to their weights, in constant time whatever the group's
 * size: Walker's alias method, built by Vose's algorithm. Each slot keeps its own backend with some probability and
 * otherwise hands the draw to its alias, so a draw is one uniform slot and one biased coin.
 *
 * <p>Built once per pool change; immutable, so shared by every thread.
 */
final class WeightedDraw {

    /** The resolution of the coin: probabilities are multiples of 2^-30. */
    private static final int COIN = 1 << 30;

    private final Backend[] group;
    /** Per slot, how many of the {@link #COIN} outcomes keep the slot's own backend. */
    private final int[] keep;
    /** Per slot, the backend the other outcomes go to. */
    private final int[] alias;

    WeightedDraw(Backend[] group) {
        int n = group.length;
        this.group = group;
        this.keep = new int[n];
        this.alias = new int[n];
        long total = 0;
        for (Backend backend : group) {
            total += backend.weight();
        }
        // Exact integer arithmetic in units of total / n: a slot holds "total" units, backend i brings weight × n.
        long[] units = new long[n];
        int[] small = new int[n];
        int[] large = new int[n];
        int smalls = 0;
        int larges = 0;
        for (int i = 0; i < n; i++) {
            units[i] = (long) group[i].weight() * n;
            if (units[i] < total) {
                small[smalls++] = i;
            } else {
                large[larges++] = i;
            }
        }
        while (smalls > 0 && larges > 0) {
            int lacking = small[--smalls];
            int spare = large[--larges];
            keep[lacking] = (int) Math.round((double) units[lacking] * COIN / total);
            alias[lacking] = spare;
            units[spare] -= total - units[lacking];
            if (units[spare] < total) {
                small[smalls++] = spare;
            } else {
                large[larges++] = spare;
            }
        }
        // What is left holds exactly one slot's worth (or is off by rounding nothing, as the arithmetic is exact).
        while (larges > 0) {
            keep[large[--larges]] = COIN;
        }
        while (smalls > 0) {
            keep[small[--smalls]] = COIN;
        }
    }

    /** Returns a backend drawn in proportion to weight; the group must not be empty. */
    Backend next(RandomSource random) {
        long bits = random.nextLong();
        // The slot from the high 32 bits (scaled by multiplication, no division), the coin from the low 30.
        int slot = (int) (((bits >>> 32) * group.length) >>> 32);
        int index = ((int) bits & (COIN - 1)) < keep[slot] ? slot : alias[slot];
        return group[index];
    }
}
