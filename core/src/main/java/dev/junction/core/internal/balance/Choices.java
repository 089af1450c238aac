package dev.junction.core.internal.balance;

import java.util.Map;
import java.util.TreeSet;

import dev.junction.core.spi.InvalidOptionException;

/**
 * How many backends a load-aware strategy compares for each pick: every eligible one, while the group is small
 * enough for a scan to stay cheap, and otherwise a few drawn at random in proportion to their weights, as Envoy's
 * {@code LEAST_REQUEST} ({@code choice_count}) and Finagle's balancers do.
 *
 * <p>The {@value #OPTION} option sets it: {@code all} compares every backend at any size (a linear scan, as nginx's
 * {@code least_conn}), a number N from {@value #MIN} to {@value #MAX} compares every backend of groups up to N and N
 * drawn ones beyond.
 *
 * @param scanUpTo the largest group compared whole
 * @param draws how many backends are drawn in a larger group
 */
record Choices(int scanUpTo, int draws) {

    /** The option's name. */
    static final String OPTION = "choices";
    static final int MIN = 2;
    static final int MAX = 64;
    /** Draws beyond which a pick gives up on a group whose drawn backends keep being ineligible, and scans. */
    static final int DRAWS_PER_CHOICE = 4;

    /** Returns whether a group of this size is sampled rather than scanned. */
    boolean sampled(int groupSize) {
        return groupSize > scanUpTo;
    }

    /** Reads the {@value #OPTION} option of a strategy that takes no other; {@code defaults} when it is absent. */
    static Choices fromOptions(String strategy, Map<String, String> options, Choices defaults) {
        for (String option : new TreeSet<>(options.keySet())) {
            if (!option.equals(OPTION)) {
                throw new InvalidOptionException(option, "unknown option (" + strategy + " takes: " + OPTION + ")");
            }
        }
        String text = options.get(OPTION);
        if (text == null) {
            return defaults;
        }
        String value = text.trim();
        if (value.equals("all")) {
            return new Choices(Integer.MAX_VALUE, 0);
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= MIN && n <= MAX) {
                return new Choices(n, n);
            }
        } catch (NumberFormatException e) {
            // Reported below, with what is expected.
        }
        throw new InvalidOptionException(OPTION, "'" + text + "' (expected: all, or a number from " + MIN + " to "
                + MAX + ")");
    }
}
