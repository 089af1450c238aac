package dev.junction.core.internal.engine;

import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

import dev.junction.core.http.Fields;

/**
 * The {@code X-Request-Id} of an exchange: the client's own when it sent one Junction can pass on safely (1 to
 * {@value #MAX_LENGTH} characters among letters, digits and {@code - _ . ~ : / + =}), else a new one of 32 hex digits
 * (128 random bits), as nginx's {@code $request_id}. The backend gets it, the client gets it back, and it names the
 * exchange in the access log, in Junction's own error answers and in debug lines.
 */
final class RequestIds {

    /** The header field. */
    static final String HEADER = "X-Request-Id";
    /** The longest client id kept: longer ones are replaced, so a log line stays bounded. */
    static final int MAX_LENGTH = 128;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RequestIds() {
    }

    /** Returns the id of a request with {@code headers}: the client's, if it sent one that is safe, else a new one. */
    static String of(Fields headers) {
        String given = headers.get(HEADER);
        return given != null && valid(given) ? given : generate();
    }

    /** Returns whether {@code id} may be passed on as it is. */
    static boolean valid(@Nullable String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean safe = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                    || c == '.' || c == '~' || c == ':' || c == '/' || c == '+' || c == '=';
            if (!safe) {
                return false;
            }
        }
        return true;
    }

    /** Returns a new id: 32 lower-case hex digits. */
    static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[32];
        hex(random.nextLong(), id, 0);
        hex(random.nextLong(), id, 16);
        return new String(id);
    }

    private static void hex(long bits, char[] into, int at) {
        for (int i = 15; i >= 0; i--) {
            into[at + i] = HEX[(int) (bits & 0xF)];
            bits >>>= 4;
        }
    }
}
