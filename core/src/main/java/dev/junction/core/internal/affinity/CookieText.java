package dev.junction.core.internal.affinity;

import org.jspecify.annotations.Nullable;

import dev.junction.core.config.AffinityConfig;

/**
 * The text of the cookies session affinity reads and writes: the {@code Set-Cookie} value Junction issues, and the
 * value an application's own {@code Set-Cookie} sets.
 *
 * <p>Stateless and thread-safe.
 */
final class CookieText {

    private CookieText() {
    }

    /** Returns the {@code Set-Cookie} value of the affinity cookie holding {@code value}, with its attributes. */
    static String setCookie(AffinityConfig config, String value) {
        StringBuilder cookie = new StringBuilder(config.cookieName()).append('=').append(value)
                .append("; Path=").append(config.cookiePath());
        if (!config.cookieMaxAge().isZero()) {
            cookie.append("; Max-Age=").append(config.cookieMaxAge().toSeconds());
        }
        if (config.cookieHttpOnly()) {
            cookie.append("; HttpOnly");
        }
        if (config.cookieSecure()) {
            cookie.append("; Secure");
        }
        return cookie.append("; SameSite=").append(config.cookieSameSite()).toString();
    }

    /** Returns the value a {@code Set-Cookie} header sets for the cookie {@code name}, or null. */
    static @Nullable String valueSet(String setCookie, String name) {
        int equals = setCookie.indexOf('=');
        if (equals <= 0 || !setCookie.substring(0, equals).trim().equals(name)) {
            return null;
        }
        int end = setCookie.indexOf(';', equals);
        String value = (end < 0 ? setCookie.substring(equals + 1) : setCookie.substring(equals + 1, end)).trim();
        return value.isEmpty() ? null : value;
    }
}
