package dev.junction.core.forward;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.QuotedCSV;

/**
 * The hop-by-hop headers of RFC 9110 §7.6.1: they describe one connection, so a proxy drops them in both directions,
 * together with every header the {@code Connection} header names.
 *
 * <p>Stateless and thread-safe.
 */
final class HopByHop {

    /** Lower-case names that never cross the proxy. */
    static final Set<String> NAMES = Set.of("connection", "keep-alive", "proxy-connection", "te", "trailer",
            "transfer-encoding", "upgrade", "proxy-authorization", "proxy-authenticate");

    private HopByHop() {
    }

    /**
     * Returns the lower-case names the {@code Connection} headers of {@code fields} list, or an empty set (without
     * allocating) when there is no {@code Connection} header or it lists only {@code keep-alive} / {@code close}.
     */
    static Set<String> connectionTokens(HttpFields fields) {
        Set<String> tokens = null;
        for (int i = 0; i < fields.size(); i++) {
            HttpField field = fields.getField(i);
            if (field.getHeader() != HttpHeader.CONNECTION) {
                continue;
            }
            String listed = field.getValue();
            if (listed == null || listed.equalsIgnoreCase("keep-alive") || listed.equalsIgnoreCase("close")) {
                // The usual values name no header: no parsing, nothing allocated.
                continue;
            }
            for (String value : new QuotedCSV(false, listed).getValues()) {
                String token = value.trim().toLowerCase(Locale.ROOT);
                if (token.isEmpty() || token.equals("close") || token.equals("keep-alive")) {
                    continue;
                }
                if (tokens == null) {
                    tokens = new HashSet<>();
                }
                tokens.add(token);
            }
        }
        return tokens == null ? Set.of() : tokens;
    }

    /** Returns whether a header must not be forwarded, given the tokens its message's Connection header names. */
    static boolean isHopByHop(HttpField field, Set<String> connectionTokens) {
        HttpHeader header = field.getHeader();
        if (header != null) {
            switch (header) {
                case CONNECTION:
                case KEEP_ALIVE:
                case PROXY_CONNECTION:
                case TE:
                case TRAILER:
                case TRANSFER_ENCODING:
                case UPGRADE:
                case PROXY_AUTHORIZATION:
                case PROXY_AUTHENTICATE:
                    return true;
                default:
                    break;
            }
        }
        return !connectionTokens.isEmpty() && connectionTokens.contains(field.getLowerCaseName());
    }
}
