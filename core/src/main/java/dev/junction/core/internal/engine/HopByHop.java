package dev.junction.core.internal.engine;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import dev.junction.core.http.Fields;

/**
 * The hop-by-hop headers of RFC 9110 §7.6.1: they describe one connection, so a proxy drops them in both directions,
 * together with every header the {@code Connection} header names.
 *
 * <p>Stateless and thread-safe.
 */
final class HopByHop {

    private HopByHop() {
    }

    /**
     * Returns the lower-case names the {@code Connection} headers of {@code fields} list, or an empty set (without
     * allocating) when there is no {@code Connection} header or it lists only {@code keep-alive} / {@code close}.
     */
    static Set<String> connectionTokens(Fields fields) {
        Set<String> tokens = null;
        for (int i = 0; i < fields.size(); i++) {
            if (!fields.is(i, "Connection")) {
                continue;
            }
            String listed = fields.value(i);
            if (listed.equalsIgnoreCase("keep-alive") || listed.equalsIgnoreCase("close")) {
                // The usual values name no header: no parsing, nothing allocated.
                continue;
            }
            for (String value : listed.split(",")) {
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

    /**
     * Returns whether the field named {@code name} must not be forwarded, given the tokens its message's Connection
     * header names. Compares by length first, so most names are ruled out without looking at a character.
     */
    static boolean isHopByHop(String name, Set<String> connectionTokens) {
        switch (name.length()) {
            case 2:
                if (name.equalsIgnoreCase("te")) {
                    return true;
                }
                break;
            case 7:
                if (name.equalsIgnoreCase("trailer") || name.equalsIgnoreCase("upgrade")) {
                    return true;
                }
                break;
            case 10:
                if (name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("keep-alive")) {
                    return true;
                }
                break;
            case 16:
                if (name.equalsIgnoreCase("proxy-connection")) {
                    return true;
                }
                break;
            case 17:
                if (name.equalsIgnoreCase("transfer-encoding")) {
                    return true;
                }
                break;
            case 18:
                if (name.equalsIgnoreCase("proxy-authenticate")) {
                    return true;
                }
                break;
            case 19:
                if (name.equalsIgnoreCase("proxy-authorization")) {
                    return true;
                }
                break;
            default:
                break;
        }
        return !connectionTokens.isEmpty() && connectionTokens.contains(name.toLowerCase(Locale.ROOT));
    }
}
