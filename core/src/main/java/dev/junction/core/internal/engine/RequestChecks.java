package dev.junction.core.internal.engine;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

import dev.junction.core.config.LimitsConfig;
import dev.junction.core.http.Fields;
import dev.junction.core.internal.route.RequestPaths;
import dev.junction.core.spi.ServerExchange;

/**
 * The checks a request passes before anything is sent to a backend: nothing that two HTTP parsers could read
 * differently (request smuggling, RFC 9112 §6.3) and nothing that would split a header line reaches a backend.
 * Servers usually reject these already; the engine does not rely on it, so every adapter behaves the same.
 *
 * <p>Stateless and thread-safe.
 */
final class RequestChecks {

    /** Bytes a field costs on the wire besides its name and value: {@code ": "} and CRLF. */
    private static final int FIELD_OVERHEAD = 4;

    /** The methods of RFC 9110 and PATCH (RFC 5789). */
    private static final String[] STANDARD_METHODS = {
        "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};

    private RequestChecks() {
    }

    /**
     * Returns why the request must be refused, or null if it may be forwarded.
     *
     * @param path the request path after dot-segment removal: the raw path itself when it had no dot-segment
     * @param limits the limits on what a client may send
     */
    static @Nullable Refusal check(ServerExchange exchange, String path, LimitsConfig limits) {
        String protocol = exchange.protocol();
        if (!protocol.equals("HTTP/1.1") && !protocol.equals("HTTP/1.0") && !protocol.equals("HTTP/2.0")) {
            return new Refusal(505, "HTTP version '" + safeName(protocol) + "' is not supported");
        }
        String query = exchange.rawQuery();
        long target = exchange.rawPath().length() + (query == null ? 0 : query.length() + 1L);
        if (target > limits.maxRequestTargetBytes()) {
            return new Refusal(414, "request target longer than " + limits.maxRequestTargetBytes() + " bytes");
        }
        int maxHeaderBytes = limits.maxRequestHeaderBytes();
        String methodProblem = lowerCaseMethod(exchange.method());
        if (methodProblem != null) {
            return new Refusal(400, methodProblem);
        }
        Fields headers = exchange.requestHeaders();
        long size = 0;
        String contentLength = null;
        boolean chunked = false;
        String lastCoding = "";
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            String value = headers.value(i);
            size += name.length() + value.length() + FIELD_OVERHEAD;
            if (hasLineBreak(value) || hasLineBreak(name)) {
                return new Refusal(400, "header '" + safeName(name) + "' contains a line break");
            }
            if (name.equalsIgnoreCase("Transfer-Encoding")) {
                chunked = true;
                lastCoding = value;
            } else if (name.equalsIgnoreCase("Content-Length")) {
                for (String length : value.split(",", -1)) {
                    String trimmed = length.trim();
                    if (!isDigits(trimmed)) {
                        return new Refusal(400, "Content-Length is not a number");
                    }
                    if (contentLength != null && !contentLength.equals(trimmed)) {
                        return new Refusal(400, "two different Content-Length values");
                    }
                    contentLength = trimmed;
                }
            }
        }
        if (size > maxHeaderBytes) {
            return new Refusal(431, "request header section larger than " + maxHeaderBytes + " bytes");
        }
        if (chunked && contentLength != null) {
            return new Refusal(400, "both Content-Length and Transfer-Encoding");
        }
        if (chunked && !endsInChunked(lastCoding)) {
            // RFC 9112 §6.3: the body's length cannot be told, so no byte of it may be read as anything.
            return new Refusal(400, "a Transfer-Encoding that does not end in chunked");
        }
        // removeDotSegments hands back the raw path itself when it has no dot-segment: then nothing can climb.
        String raw = exchange.rawPath();
        if (path != raw && RequestPaths.climbsAnEmptySegment(raw)) {
            return new Refusal(400, "ambiguous path: a '..' segment climbs an empty segment ('//..')");
        }
        String ambiguous = RequestPaths.ambiguousDotSegment(path);
        if (ambiguous != null) {
            return new Refusal(400, "ambiguous path segment '" + safeName(ambiguous)
                    + "': a dot-segment encoded, with parameters or behind an encoded separator");
        }
        return null;
    }

    /**
     * Returns whether a request that passed {@link #check} carries a body: a Transfer-Encoding, or a Content-Length
     * above zero.
     */
    static boolean hasBody(Fields headers) {
        if (headers.contains("Transfer-Encoding")) {
            return true;
        }
        String length = headers.get("Content-Length");
        if (length == null) {
            return false;
        }
        for (int i = 0; i < length.length() && length.charAt(i) != ','; i++) {
            char c = length.charAt(i);
            if (c > '0' && c <= '9') {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns why a method is refused, or null: one with a lower-case letter. Servers differ on whether {@code head}
     * is HEAD (and a response to HEAD has no body, so such a request could be framed one way by the backend and
     * another by the proxy), and HTTP clients upper-case a method they send; nginx refuses such methods too.
     */
    private static @Nullable String lowerCaseMethod(String method) {
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (c >= 'a' && c <= 'z') {
                String upper = method.toUpperCase(Locale.ROOT);
                for (String standard : STANDARD_METHODS) {
                    if (standard.equals(upper)) {
                        return "method '" + safeName(method) + "' is " + standard
                                + " in another case; methods are case-sensitive";
                    }
                }
                return "method '" + safeName(method) + "' has lower-case letters; only upper-case methods are"
                        + " forwarded";
            }
        }
        return null;
    }

    /** Returns whether the last coding a Transfer-Encoding value lists is {@code chunked}. */
    private static boolean endsInChunked(String value) {
        int comma = value.lastIndexOf(',');
        return value.substring(comma + 1).strip().equalsIgnoreCase("chunked");
    }

    private static boolean hasLineBreak(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                return true;
            }
        }
        return false;
    }

    private static boolean isDigits(String text) {
        if (text.isEmpty() || text.length() > 18) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Returns the header name fit to echo: printable ASCII only, at most 40 characters. */
    private static String safeName(String name) {
        StringBuilder out = new StringBuilder(Math.min(name.length(), 40));
        for (int i = 0; i < name.length() && out.length() < 40; i++) {
            char c = name.charAt(i);
            out.append(c > ' ' && c < 127 ? c : '?');
        }
        return out.toString();
    }
}
