package dev.junction.core.internal.balance;

import org.jspecify.annotations.Nullable;

import dev.junction.core.spi.Backend;
import dev.junction.core.spi.Eligibility;

/**
 * The slow paths the strategies share once their fast pick has hit an ineligible backend: linear scans that stay
 * fair over what is left and allocate nothing.
 */
final class Picks {

    private Picks() {
    }

    /** Returns the {@code floorMod(turn, m)}-th of the {@code m} eligible backends, or null if there are none. */
    static @Nullable Backend nth(Backend[] group, Eligibility eligibility, int turn) {
        int eligible = 0;
        for (Backend backend : group) {
            if (eligibility.test(backend)) {
                eligible++;
            }
        }
        if (eligible == 0) {
            return null;
        }
        int target = Math.floorMod(turn, eligible);
        for (Backend backend : group) {
            // Re-tested: a backend may turn ineligible between the two scans, and then the next one serves.
            if (eligibility.test(backend) && target-- <= 0) {
                return backend;
            }
        }
        return null;
    }

    /**
     * Returns an eligible backend with probability proportional to its weight, picking position
     * {@code floorMod(point, total eligible weight)} along the eligible weights; null if none is eligible.
     */
    static @Nullable Backend weighted(Backend[] group, Eligibility eligibility, long point) {
        long total = 0;
        for (Backend backend : group) {
            if (eligibility.test(backend)) {
                total += backend.weight();
            }
        }
        if (total == 0) {
            return null;
        }
        long target = Math.floorMod(point, total);
        Backend last = null;
        for (Backend backend : group) {
            if (eligibility.test(backend)) {
                last = backend;
                target -= backend.weight();
                if (target < 0) {
                    return backend;
                }
            }
        }
        return last;
    }

    /**
     * Returns whether {@code a} is less loaded than {@code b}: fewer requests in flight per unit of weight, compared
     * by cross-multiplication so no division or rounding is involved.
     */
    static boolean lessLoaded(Backend a, Backend b) {
        return (long) a.state().inFlight() * b.weight() < (long) b.state().inFlight() * a.weight();
    }

    /** Returns the first index whose cumulative weight exceeds {@code point}, which is in {@code [0, last)}. */
    static int indexOfCumulative(int[] cumulative, int point) {
        int low = 0;
        int high = cumulative.length - 1;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (cumulative[mid] > point) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low;
    }

    /** Returns the greatest common divisor of two non-negative ints; {@code gcd(0, b)} is {@code b}. */
    static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
