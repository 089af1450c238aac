package dev.junction.core.internal.route;

import java.util.ArrayDeque;
import java.util.Deque;

import org.jspecify.annotations.Nullable;

/**
 * Path safety for routing: dot-segments are resolved before a route is matched, so {@code /api/../admin} is matched
 * (and forwarded) as {@code /admin}, never under {@code /api}; and a segment that a backend could still resolve as a
 * dot-segment (encoded dots or separators, matrix parameters) is found, so the caller can refuse it with 400.
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
     * Returns the first segment of {@code path} that some backend would read as a dot-segment although it is not a
     * plain {@code .} or {@code ..}: one with encoded dots ({@code %2e%2e}), with matrix parameters ({@code ..;} or
     * {@code ..;jsessionid=x}, which Tomcat and Spring strip before resolving), or cut off by an encoded or
     * backslash separator ({@code ..%2f}, {@code ..\}, {@code ..%5c}); null if there is none. Plain dot-segments
     * are resolved by {@link #removeDotSegments} before this is asked, so what remains would climb out of its route,
     * or out of a backend's base path, on one of the backends behind it, depending on how that backend resolves
     * paths. Refusing every such segment, as Jetty 12 does by default, keeps the rule independent of the backend and of
     * empty segments ({@code //}) around it.
     *
     * @param path a path already passed through {@link #removeDotSegments}
     */
    public static @Nullable String ambiguousDotSegment(String path) {
        int n = path.length();
        int start = 0;
        int dots = 0;
        boolean onlyDots = true;
        boolean inParameters = false;
        for (int i = 0; i <= n; i++) {
            int separator = i == n ? 1 : separatorLength(path, i);
            if (separator > 0) {
                if (onlyDots && (dots == 1 || dots == 2)) {
                    return path.substring(start, i);
                }
                i += separator - 1;
                start = i + 1;
                dots = 0;
                onlyDots = true;
                inParameters = false;
            } else if (!inParameters && onlyDots) {
                char c = path.charAt(i);
                if (c == ';') {
                    inParameters = true;
                } else if (c == '.') {
                    dots++;
                } else if (c == '%' && i + 2 < n && path.charAt(i + 1) == '2' && (path.charAt(i + 2) | 0x20) == 'e') {
                    dots++;
                    i += 2;
                } else {
                    onlyDots = false;
                }
            }
        }
        return null;
    }

    /**
     * Returns whether resolving the path's dot-segments makes a {@code ..} remove an empty segment, as in
     * {@code /admin//../x}: RFC 3986 resolves it to {@code /admin/x}, while a server that merges slashes first (nginx,
     * Tomcat, Spring) resolves it to {@code /x}. The two readings put the request under different paths, so such a path
     * is refused rather than forwarded as either.
     *
     * @param rawPath the path as received, starting with {@code /}
     */
    public static boolean climbsAnEmptySegment(String rawPath) {
        if (!hasDotSegment(rawPath) || rawPath.indexOf("//") < 0) {
            return false;
        }
        Deque<Boolean> emptySegments = new ArrayDeque<>();
        for (String segment : rawPath.substring(1).split("/", -1)) {
            if (segment.equals("..")) {
                if (!emptySegments.isEmpty() && emptySegments.pop()) {
                    return true;
                }
            } else if (!segment.equals(".")) {
                emptySegments.push(segment.isEmpty());
            }
        }
        return false;
    }

    /** Returns 1 for {@code /} or {@code \}, 3 for {@code %2f} or {@code %5c} (any case), else 0. */
    private static int separatorLength(String path, int i) {
        char c = path.charAt(i);
        if (c == '/' || c == '\\') {
            return 1;
        }
        if (c == '%' && i + 2 < path.length()) {
            char high = path.charAt(i + 1);
            char low = (char) (path.charAt(i + 2) | 0x20);
            if (high == '2' && low == 'f' || high == '5' && low == 'c') {
                return 3;
            }
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
