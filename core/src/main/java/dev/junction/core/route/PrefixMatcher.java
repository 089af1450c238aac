package dev.junction.core.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import dev.junction.core.config.Validator;

/**
 * Finds the value whose path prefix is the longest to match a path, segment by segment: {@code /api} matches
 * {@code /api}, {@code /api/} and {@code /api/x}, never {@code /apix}; {@code /} matches every path. This is
 * nginx's prefix {@code location} rule, minus nginx's quirk that {@code location /api} also matches {@code /apix}.
 *
 * <p>Immutable and thread-safe. Matching allocates nothing: prefixes are kept longest first and compared in place.
 *
 * @param <T> what a prefix leads to, such as a route
 */
public final class PrefixMatcher<T> {

    private final String[] prefixes;
    private final Object[] values;

    private PrefixMatcher(List<String> prefixes, List<T> values) {
        this.prefixes = prefixes.toArray(new String[0]);
        this.values = values.toArray();
    }

    /**
     * Returns a matcher over these values, keyed by the prefix each one names. Prefixes are normalised as routes
     * are ({@link Validator#normalisePrefix}: {@code /api/} is {@code /api}).
     *
     * @throws IllegalArgumentException if two values have the same prefix
     */
    public static <T> PrefixMatcher<T> of(List<T> values, Function<T, String> prefixOf) {
        List<T> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.comparingInt((T value) -> Validator.normalisePrefix(prefixOf.apply(value)).length())
                .reversed());
        List<String> prefixes = new ArrayList<>(sorted.size());
        for (T value : sorted) {
            String prefix = Validator.normalisePrefix(Objects.requireNonNull(prefixOf.apply(value), "prefix"));
            if (prefixes.contains(prefix)) {
                throw new IllegalArgumentException("prefix: '" + prefix + "' (expected: each prefix once)");
            }
            prefixes.add(prefix);
        }
        return new PrefixMatcher<>(prefixes, sorted);
    }

    /** Returns the value with the longest prefix matching {@code path}, or null if none matches. */
    @SuppressWarnings("unchecked")
    public @Nullable T match(String path) {
        for (int i = 0; i < prefixes.length; i++) {
            if (matches(prefixes[i], path)) {
                return (T) values[i];
            }
        }
        return null;
    }

    /** Returns whether {@code path} is {@code prefix} or lies under it, segment-aware. */
    public static boolean matches(String prefix, String path) {
        if (prefix.equals("/")) {
            return path.startsWith("/");
        }
        return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }
}
