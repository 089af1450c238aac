package dev.junction.core.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a route edits the headers going one way (to its backends, or to its clients): first the {@code remove} names
 * are removed, then every {@code set} header replaces any of its name, then every {@code add} header is added after
 * those of its name. Names are matched without case.
 *
 * <p>Values may use variables: {@code ${client}} (the client's address, behind the route's {@code trustedProxies}),
 * {@code ${requestId}} (the exchange's {@code X-Request-Id}), {@code ${route}} (the route's name) and
 * {@code ${backend}} (the id of the backend the request goes to, or that answered); {@code $$} is a {@code $}.
 *
 * <p>The headers that frame a message or describe one connection, and the forwarding headers Junction writes itself,
 * stay Junction's: a rule cannot name them (see {@link #PROTECTED_REQUEST} and {@link #PROTECTED_RESPONSE}).
 * Response rules apply to backends' responses, not to the answers Junction makes itself ({@code 502}, {@code 503},
 * {@code 429}, the fallback): nginx's {@code add_header} without {@code always}.
 *
 * @param set headers that replace any of their name
 * @param add headers added after any of their name
 * @param remove names of headers removed
 */
public record HeaderRulesConfig(Map<String, String> set, Map<String, String> add, List<String> remove) {

    /** No edits. */
    public static final HeaderRulesConfig NONE = new HeaderRulesConfig(Map.of(), Map.of(), List.of());

    /** The variables a value may use. */
    public static final List<String> VARIABLES = List.of("client", "requestId", "route", "backend");

    /**
     * The request headers no rule may name: those of one connection or of the message's framing, {@code Host} (see
     * {@code preserveHost}), {@code Expect}, and the forwarding headers Junction writes ({@code X-Forwarded-For},
     * {@code -Proto}, {@code -Host}, {@code -Port}, {@code Forwarded}, {@code Via}, {@code X-Request-Id}).
     */
    public static final List<String> PROTECTED_REQUEST = List.of("Connection", "Keep-Alive", "Proxy-Connection", "TE",
            "Transfer-Encoding", "Upgrade", "Trailer", "Content-Length", "Host", "Expect", "X-Forwarded-For",
            "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Port", "Forwarded", "Via", "X-Request-Id");

    /**
     * The response headers no rule may name: those of one connection or of the message's framing, {@code Via} (see
     * {@code via}) and {@code X-Request-Id}.
     */
    public static final List<String> PROTECTED_RESPONSE = List.of("Connection", "Keep-Alive", "Proxy-Connection",
            "Transfer-Encoding", "Upgrade", "Trailer", "Content-Length", "Via", "X-Request-Id");

    /**
     * Copies the maps, keeping their order, and the list; all are then unmodifiable.
     *
     * @param set headers that replace any of their name
     * @param add headers added after any of their name
     * @param remove names of headers removed
     */
    public HeaderRulesConfig {
        set = Collections.unmodifiableMap(new LinkedHashMap<>(set));
        add = Collections.unmodifiableMap(new LinkedHashMap<>(add));
        remove = List.copyOf(remove);
    }

    /** {@return whether it edits nothing} */
    public boolean isEmpty() {
        return set.isEmpty() && add.isEmpty() && remove.isEmpty();
    }

    /**
     * One piece of a value: literal text, or a variable's name.
     *
     * @param text the literal text, with {@code $$} already made {@code $}, or the variable's name
     *     ({@code client} for {@code ${client}})
     * @param variable whether {@code text} is a variable's name
     */
    public record Piece(String text, boolean variable) {

        /**
         * Checks that {@code text} is not null.
         *
         * @param text the literal text, with {@code $$} already made {@code $}, or the variable's name
         *     ({@code client} for {@code ${client}})
         * @param variable whether {@code text} is a variable's name
         */
        public Piece {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * {@return the pieces of a value, in order} {@code ${name}} is a variable (whether known or not), {@code $$} a
     * {@code $}; a {@code $} before anything else, or a <code>${</code> never closed, stays as it is. Adjacent literal
     * text is one piece; an empty value is one empty literal piece.
     *
     * @param value a header value as a rule writes it
     */
    public static List<Piece> pieces(String value) {
        List<Piece> pieces = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '$') {
                literal.append('$');
                i++;
                continue;
            }
            int close = c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '{' ? value.indexOf('}', i) : -1;
            if (close < 0) {
                literal.append(c);
                continue;
            }
            if (!literal.isEmpty()) {
                pieces.add(new Piece(literal.toString(), false));
                literal.setLength(0);
            }
            pieces.add(new Piece(value.substring(i + 2, close), true));
            i = close;
        }
        if (!literal.isEmpty() || pieces.isEmpty()) {
            pieces.add(new Piece(literal.toString(), false));
        }
        return pieces;
    }
}
