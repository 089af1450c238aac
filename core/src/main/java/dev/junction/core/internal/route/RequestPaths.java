package dev.junction.core.internal.route;

import org.jspecify.annotations.Nullable;

/**
 * Path safety for routing: dot-segments are resolved before a route is matched, so {@code /api/../admin} is matched
 * (and forwarded) as {@code /admin}, never under {@code /api}; and a path whose percent-encoded dots or slashes
 * ({@code %2e%2e}, {@code %2f}) would climb out of the route's prefix once a backend decodes them is detected, so the
 * caller can refuse it with 400.
 *
 * <p>Stateless and thread-safe. The path is kept as received otherwise: escapes are not decoded or re-encoded.
 */
public final class RequestPaths {

    private RequestPaths() {
    }

    /**
     * Removes {@code .} and {@code ..} segments as RFC 3986 §5.2.4 does, leaving every other byte as it was.
     * A {@code ..} at the root stays at the root, as browsers and servers resolve it.
     *
     * @param rawPath the path as received, starting with {@code /}, without the query
     * @return the path without dot-segments; the same instance if it had none
     */
    public static String removeDotSegments(String rawPath) {
        if (!hasDotSegment(rawPath)) {
            return rawPath;
        }
        StringBuilder out = new StringBuilder(rawPath.length());
        int i = 0;
        int n = rawPath.length();
        while (i < n) {
            int end = rawPath.indexOf('/', i + 1);
            if (end < 0) {
                end = n;
            }
            // The segment including its leading slash: rawPath[i, end).
            int length = end - i;
            boolean last = end == n;
            if (length == 2 && rawPath.charAt(i + 1) == '.') {
                if (last) {
                    out.append('/');
                }
            } else if (length == 3 && rawPath.charAt(i + 1) == '.' && rawPath.charAt(i + 2) == '.') {
                int slash = out.lastIndexOf("/");
                out.setLength(Math.max(slash, 0));
                if (last) {
                    out.append('/');
                }
            } else {
                out.append(rawPath, i, end);
            }
            i = end;
        }
        return out.length() == 0 ? "/" : out.toString();
    }

    /**
     * Returns whether the path, once a backend decodes percent-encoded dots, slashes and backslashes ({@code %2e},
     * {@code %2f}, {@code %5c}) and resolves dot-segments, is no longer under {@code prefix}: a traversal hidden from
     * the router by encoding.
     *
     * @param path a path already passed through {@link #removeDotSegments}
     * @param prefix the prefix of the route the path matched
     */
    public static boolean escapesPrefix(String path, String prefix) {
        String decoded = decodeSeparators(path);
        if (decoded == null) {
            return false;
        }
        return !PrefixMatcher.matches(prefix, removeDotSegments(decoded));
    }

    /** Returns the path with {@code %2e}, {@code %2f} and {@code %5c} decoded (backslash as slash), or null if none. */
    private static @Nullable String decodeSeparators(String path) {
        if (path.indexOf('%') < 0 && path.indexOf('\\') < 0) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            char decoded = 0;
            if (c == '%' && i + 2 < path.length()) {
                decoded = separator(path.charAt(i + 1), path.charAt(i + 2));
            }
            if (decoded != 0) {
                if (out == null) {
                    out = new StringBuilder(path.length()).append(path, 0, i);
                }
                out.append(decoded);
                i += 2;
            } else if (out != null) {
                out.append(c == '\\' ? '/' : c);
            } else if (c == '\\') {
                out = new StringBuilder(path.length()).append(path, 0, i).append('/');
            }
        }
        return out == null ? null : out.toString();
    }

    private static char separator(char high, char low) {
        if (high == '2' && (low == 'e' || low == 'E')) {
            return '.';
        }
        if (high == '2' && (low == 'f' || low == 'F')) {
            return '/';
        }
        if (high == '5' && (low == 'c' || low == 'C')) {
            return '/';
        }
        return 0;
    }

    private static boolean hasDotSegment(String path) {
        int n = path.length();
        for (int i = 0; i < n; i++) {
            if (path.charAt(i) == '.' && i > 0 && path.charAt(i - 1) == '/') {
                int next = i + 1;
                if (next == n || path.charAt(next) == '/') {
                    return true;
                }
                if (path.charAt(next) == '.' && (next + 1 == n || path.charAt(next + 1) == '/')) {
                    return true;
                }
            }
        }
        return false;
    }
}
