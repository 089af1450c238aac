package dev.junction.core.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A set of HTTP statuses written as codes and ranges, {@code 200-399} or {@code 200, 204, 300-302}: what a health
 * check accepts.
 *
 * <p>Immutable and thread-safe.
 */
public final class StatusRanges {

    private final int[] from;
    private final int[] to;
    private final String text;

    private StatusRanges(int[] from, int[] to, String text) {
        this.from = from;
        this.to = to;
        this.text = text;
    }

    /**
     * Reads {@code text}.
     *
     * @param text codes and ranges of 100 to 599, separated by commas: {@code 200-399} or {@code 200, 204, 300-302}
     * @return the set of statuses
     * @throws IllegalArgumentException saying which part is wrong, if it is not codes and ranges of 100 to 599
     */
    public static StatusRanges parse(String text) {
        List<int[]> ranges = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String item = part.trim();
            int dash = item.indexOf('-');
            int low;
            int high;
            try {
                low = Integer.parseInt((dash < 0 ? item : item.substring(0, dash)).trim());
                high = dash < 0 ? low : Integer.parseInt(item.substring(dash + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + item + "' is not a status or a range such as 200-399");
            }
            if (low < 100 || high > 599 || low > high) {
                throw new IllegalArgumentException("'" + item + "' is not within 100-599, low to high");
            }
            ranges.add(new int[] {low, high});
        }
        int[] from = new int[ranges.size()];
        int[] to = new int[ranges.size()];
        for (int i = 0; i < ranges.size(); i++) {
            from[i] = ranges.get(i)[0];
            to[i] = ranges.get(i)[1];
        }
        return new StatusRanges(from, to, text.trim());
    }

    /**
     * {@return whether {@code status} is one of these}
     *
     * @param status an HTTP status
     */
    public boolean contains(int status) {
        for (int i = 0; i < from.length; i++) {
            if (status >= from[i] && status <= to[i]) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }
}
