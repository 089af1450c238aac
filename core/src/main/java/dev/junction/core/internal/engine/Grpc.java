package dev.junction.core.internal.engine;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import dev.junction.core.http.ContentTypes;
import dev.junction.core.http.Fields;

/**
 * What Junction does differently for a gRPC call ({@code Content-Type: application/grpc...}): its own errors are
 * answered as gRPC statuses (HTTP 200, {@code grpc-status} and {@code grpc-message} in the trailers), so a client
 * library sees {@code UNAVAILABLE} rather than a protocol error, and the call's {@code grpc-timeout} bounds the
 * attempts as a route's timeouts do. The status mapping is gRPC's own for HTTP statuses (its "HTTP to gRPC Status
 * Code Mapping"), as Envoy applies it to its local replies.
 *
 * <p>Stateless and thread-safe.
 */
final class Grpc {

    static final int DEADLINE_EXCEEDED = 4;
    static final int UNAVAILABLE = 14;
    /** The longest deadline honoured: a year, far beyond any route's timeouts. */
    private static final long MAX_TIMEOUT_NANOS = TimeUnit.DAYS.toNanos(365);

    private Grpc() {
    }

    /** Returns whether the request is a gRPC call. */
    static boolean is(Fields requestHeaders) {
        return ContentTypes.isGrpc(requestHeaders.get("Content-Type"));
    }

    /**
     * Returns the call's deadline from its {@code grpc-timeout} ({@code 1..8} digits and a unit: {@code H}, {@code M},
     * {@code S}, {@code m}, {@code u}, {@code n}) in nanoseconds, or 0 if it has none or an unreadable one (which a
     * gRPC server ignores too).
     */
    static long timeoutNanos(Fields requestHeaders) {
        String value = requestHeaders.get("grpc-timeout");
        if (value == null || value.length() < 2 || value.length() > 9) {
            return 0;
        }
        long amount = 0;
        for (int i = 0; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            amount = amount * 10 + (c - '0');
        }
        TimeUnit unit = switch (value.charAt(value.length() - 1)) {
            case 'H' -> TimeUnit.HOURS;
            case 'M' -> TimeUnit.MINUTES;
            case 'S' -> TimeUnit.SECONDS;
            case 'm' -> TimeUnit.MILLISECONDS;
            case 'u' -> TimeUnit.MICROSECONDS;
            case 'n' -> TimeUnit.NANOSECONDS;
            default -> null;
        };
        // Bounded, so that the deadline (now plus this) cannot overflow: 99999999H is a valid value.
        return unit == null ? 0 : Math.min(MAX_TIMEOUT_NANOS, Math.max(1, unit.toNanos(amount)));
    }

    /**
     * Returns the gRPC status of one of Junction's own answers: {@code UNAVAILABLE} for a backend that could not
     * serve (502, 503, 504, 429), {@code DEADLINE_EXCEEDED} for a 504 once the call's own deadline has passed.
     */
    static int status(int httpStatus, boolean deadlinePassed) {
        return switch (httpStatus) {
            case 400 -> 13;
            case 401 -> 16;
            case 403 -> 7;
            case 404 -> 12;
            case 504 -> deadlinePassed ? DEADLINE_EXCEEDED : UNAVAILABLE;
            case 429, 502, 503 -> UNAVAILABLE;
            default -> 2;
        };
    }

    /** Returns {@code text} percent-encoded as {@code grpc-message} is: UTF-8, each byte not printable ASCII, and %. */
    static String message(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder encoded = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= ' ' && c <= '~' && c != '%') {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return encoded.toString();
    }
}
