package dev.junction.core.internal.engine;

import org.jspecify.annotations.Nullable;

/**
 * Reads one cookie out of a {@code Cookie} header value ({@code a=1; b=2}, RFC 6265 §4.2) without building a map:
 * the consistent-hash strategy needs one named cookie per request.
 *
 * <p>Stateless and thread-safe.
 */
final class Cookies {

    private Cookies() {
    }

    /** Returns the value of the first cookie named {@code name} in the header value, unquoted, or null. */
    static @Nullable String find(@Nullable String header, String name) {
        if (header == null) {
            return null;
        }
        int i = 0;
        int n = header.length();
        while (i < n) {
            int end = header.indexOf(';', i);
            if (end < 0) {
                end = n;
            }
            int equals = header.indexOf('=', i);
            if (equals > i && equals < end && header.substring(i, equals).trim().equals(name)) {
                String value = header.substring(equals + 1, end).trim();
                if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
                    value = value.substring(1, value.length() - 1);
                }
                return value;
            }
            i = end + 1;
        }
        return null;
    }
}
