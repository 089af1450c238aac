package dev.junction.core.internal.route;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import dev.junction.core.config.Validator;

/**
 * Finds the value whose path prefix is the longest to match a path, segment by segment: {@code /api} matches
 * {@code /api}, {@code /api/} and {@code /api/x}, never {@code /apix}; {@code /} matches every path. This is
 * nginx's prefix {@code location} rule, minus nginx's quirk that {@code location /api} also matches {@code /apix}.
 *
 * <p>Only a path's own segment boundaries can end a matching prefix, so a match walks the path once, computing
 * {@link String#hashCode()} of each prefix of it as it goes, and looks each boundary's prefix up in an open-addressing
 * table of the prefixes, up to the longest prefix's length: the cost grows with that length, not with the number of
 * prefixes, and nothing is allocated.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <T> what a prefix leads to, such as a route
 */
public final class PrefixMatcher<T> {

    /** The table's slots: prefixes (other than {@code /}), their hashes and values; null where empty. */
    private final String[] keys;
    private final int[] hashes;
    private final Object[] values;
    private final int mask;
    private final @Nullable Object root;
    /** The longest prefix's length: a path's walk ends there. */
    private final int longest;
    /** Bit n set if some prefix is n characters long (n below 64); longer lengths are always looked up. */
    private final long lengths;

    private PrefixMatcher(List<String> prefixes, List<T> valuesByPrefix) {
        int size = Integer.highestOneBit(Math.max(4, prefixes.size() * 2) - 1) << 1;
        this.keys = new String[size];
        this.hashes = new int[size];
        this.values = new Object[size];
        this.mask = size - 1;
        Object rootValue = null;
        int longestLength = 0;
        long lengthBits = 0;
        for (int i = 0; i < prefixes.size(); i++) {
            String prefix = prefixes.get(i);
            if (prefix.equals("/")) {
                rootValue = valuesByPrefix.get(i);
                continue;
            }
            longestLength = Math.max(longestLength, prefix.length());
            lengthBits |= prefix.length() < 64 ? 1L << prefix.length() : 0;
            int hash = prefix.hashCode();
            int slot = spread(hash) & mask;
            while (keys[slot] != null) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = prefix;
            hashes[slot] = hash;
            values[slot] = valuesByPrefix.get(i);
        }
        this.root = rootValue;
        this.longest = longestLength;
        this.lengths = lengthBits;
    }

    /**
     * Returns a matcher over these values, keyed by the prefix each one names. Prefixes are normalised as routes
     * are ({@link Validator#normalisePrefix}: {@code /api/} is {@code /api}).
     *
     * @throws IllegalArgumentException if two values have the same prefix, or a prefix does not start with '/'
     */
    public static <T> PrefixMatcher<T> of(List<T> values, Function<T, String> prefixOf) {
        List<String> prefixes = new ArrayList<>(values.size());
        Set<String> seen = new HashSet<>();
        for (T value : values) {
            String prefix = Validator.normalisePrefix(Objects.requireNonNull(prefixOf.apply(value), "prefix"));
            if (!prefix.startsWith("/")) {
                throw new IllegalArgumentException("prefix: '" + prefix + "' (expected: a path starting with '/')");
            }
            if (!seen.add(prefix)) {
                throw new IllegalArgumentException("prefix: '" + prefix + "' (expected: each prefix once)");
            }
            prefixes.add(prefix);
        }
        return new PrefixMatcher<>(prefixes, values);
    }

    /** Returns the value with the longest prefix matching {@code path}, or null if none matches. */
    @SuppressWarnings("unchecked")
    public @Nullable T match(String path) {
        if (!path.startsWith("/")) {
            return null;
        }
        Object best = root;
        int length = path.length();
        int end = Math.min(length, longest);
        int hash = '/';
        for (int i = 1; i <= end; i++) {
            char c = i < length ? path.charAt(i) : '/';
            if (c == '/' && (i >= 64 || (lengths & 1L << i) != 0)) {
                // path[0, i) ends at a segment boundary: the one kind of prefix that can match here.
                Object found = lookup(path, i, hash);
                if (found != null) {
                    best = found;
                }
            }
            hash = 31 * hash + c;
        }
        return (T) best;
    }

    /** Returns the value of the prefix equal to {@code path[0, length)}, whose hash is given, or null. */
    private @Nullable Object lookup(String path, int length, int hash) {
        for (int slot = spread(hash) & mask; keys[slot] != null; slot = (slot + 1) & mask) {
            String key = keys[slot];
            if (hashes[slot] == hash && key.length() == length && path.startsWith(key)) {
                return values[slot];
            }
        }
        return null;
    }

    /** Mixes the high bits of a hash into the low ones, which pick the slot. */
    private static int spread(int hash) {
        return (hash ^ (hash >>> 16)) * 0x9E3779B1;
    }

    /** Returns whether {@code path} is {@code prefix} or lies under it, segment-aware. */
    public static boolean matches(String prefix, String path) {
        if (prefix.equals("/")) {
            return path.startsWith("/");
        }
        return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }
}
