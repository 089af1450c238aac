package dev.junction.core.internal.admin;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.junction.core.http.Fields;

/**
 * What keeps a browser from being used against an admin endpoint that has no token. A page on another site can make
 * a browser send requests to a loopback or internal address, and a DNS-rebinding page can even read the answers; it
 * cannot, though, choose the {@code Host} the browser names (its own), nor hide where a {@code POST} came from
 * ({@code Sec-Fetch-Site}, {@code Origin}). So a request must be addressed to {@code localhost}, a loopback address
 * or an allowed host, and a {@code POST} must come from the same origin or from no page at all (a tool such as
 * {@code curl} sends neither field).
 *
 * <p>Immutable and thread-safe.
 */
final class BrowserGuard {

    private static final Set<String> LOOPBACK = Set.of("localhost", "::1");
    private static final Pattern LOOPBACK_V4 = Pattern.compile("127(\\.\\d{1,3}){3}");

    private final Set<String> allowedHosts = new HashSet<>();

    BrowserGuard(List<String> allowedHosts) {
        for (String host : allowedHosts) {
            this.allowedHosts.add(bare(host));
        }
    }

    /** Returns why the request is refused, or null if it may be answered. */
    @Nullable String refusal(String method, Fields headers) {
        String host = headers.get("Host");
        if (host != null && !allowed(hostOf(host))) {
            return "the admin endpoint has no token, so it answers only requests addressed to localhost, a loopback"
                    + " address or one of admin.allowedHosts, not '" + host + "'";
        }
        if (method.equals("GET") || method.equals("HEAD")) {
            return null;
        }
        String site = headers.get("Sec-Fetch-Site");
        if (site != null) {
            return site.equalsIgnoreCase("same-origin") || site.equalsIgnoreCase("none") ? null
                    : "the admin endpoint has no token, so it takes no " + method + " sent by another site"
                    + " (Sec-Fetch-Site: " + site + ")";
        }
        String origin = headers.get("Origin");
        if (origin != null && (host == null || !sameAuthority(origin, host))) {
            return "the admin endpoint has no token, so it takes no " + method + " sent by another site (Origin: "
                    + origin + ")";
        }
        return null;
    }

    private boolean allowed(String host) {
        return LOOPBACK.contains(host) || LOOPBACK_V4.matcher(host).matches() || allowedHosts.contains(host);
    }

    /** Returns the host of a {@code Host} field: lower case, without its port and an IPv6 literal's brackets. */
    private static String hostOf(String hostField) {
        String host = hostField.trim();
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return bare(end > 0 ? host.substring(0, end + 1) : host);
        }
        int colon = host.indexOf(':');
        return bare(colon >= 0 ? host.substring(0, colon) : host);
    }

    private static String bare(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.startsWith("[") && lower.endsWith("]") ? lower.substring(1, lower.length() - 1) : lower;
    }

    /** Whether an {@code Origin} names the authority the request was sent to (default ports left out alike). */
    private static boolean sameAuthority(String origin, String hostField) {
        URI uri;
        try {
            uri = URI.create(origin.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (uri.getHost() == null || uri.getScheme() == null) {
            // "null" (an opaque origin: a sandboxed page, a file) is another site.
            return false;
        }
        int defaultPort = uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
        String authority = uri.getHost().toLowerCase(Locale.ROOT)
                + (uri.getPort() < 0 || uri.getPort() == defaultPort ? "" : ":" + uri.getPort());
        String host = hostField.trim().toLowerCase(Locale.ROOT);
        if (host.endsWith(":" + defaultPort)) {
            host = host.substring(0, host.length() - (":" + defaultPort).length());
        }
        return authority.equals(host);
    }
}
