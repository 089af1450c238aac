package dev.junction.core.internal.engine;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.junction.core.config.HeaderRulesConfig;
import dev.junction.core.http.Fields;
import dev.junction.core.spi.Backend;

/**
 * A route's {@link HeaderRulesConfig} for one direction, compiled once: names in arrays, values cut into literal text
 * and variables. A value without variables is one string, used as it is.
 *
 * <p>Immutable and thread-safe.
 */
final class HeaderEdits {

    static final HeaderEdits NONE = new HeaderEdits(HeaderRulesConfig.NONE);

    private final String[] remove;
    private final String[] setNames;
    private final Value[] setValues;
    private final String[] addNames;
    private final Value[] addValues;
    private final boolean empty;

    private HeaderEdits(HeaderRulesConfig rules) {
        this.remove = rules.remove().toArray(String[]::new);
        this.setNames = rules.set().keySet().toArray(String[]::new);
        this.setValues = values(rules.set());
        this.addNames = rules.add().keySet().toArray(String[]::new);
        this.addValues = values(rules.add());
        this.empty = rules.isEmpty();
    }

    static HeaderEdits of(HeaderRulesConfig rules) {
        return rules.isEmpty() ? NONE : new HeaderEdits(rules);
    }

    private static Value[] values(Map<String, String> headers) {
        return headers.values().stream().map(Value::of).toArray(Value[]::new);
    }

    boolean isEmpty() {
        return empty;
    }

    /** Edits {@code fields} in place: removes, then sets, then adds. */
    void apply(Fields fields, ProxyExchange exchange, Backend backend) {
        if (empty) {
            return;
        }
        for (String name : remove) {
            fields.remove(name);
        }
        for (int i = 0; i < setNames.length; i++) {
            fields.set(setNames[i], setValues[i].render(exchange, backend));
        }
        for (int i = 0; i < addNames.length; i++) {
            fields.add(addNames[i], addValues[i].render(exchange, backend));
        }
    }

    /** A value: one literal text, or pieces of text and variables. */
    private record Value(String constant, HeaderRulesConfig.Piece @Nullable [] pieces) {

        static Value of(String text) {
            List<HeaderRulesConfig.Piece> pieces = HeaderRulesConfig.pieces(text);
            boolean literal = pieces.size() == 1 && !pieces.get(0).variable();
            return new Value(literal ? pieces.get(0).text() : "", literal ? null
                    : pieces.toArray(HeaderRulesConfig.Piece[]::new));
        }

        String render(ProxyExchange exchange, Backend backend) {
            if (pieces == null) {
                return constant;
            }
            StringBuilder value = new StringBuilder(64);
            for (HeaderRulesConfig.Piece piece : pieces) {
                if (!piece.variable()) {
                    value.append(piece.text());
                    continue;
                }
                value.append(switch (piece.text()) {
                    case "client" -> exchange.client();
                    case "requestId" -> exchange.requestId();
                    case "route" -> exchange.route().name();
                    case "backend" -> backend.id();
                    // The validator lets no other name through.
                    default -> throw new IllegalStateException("unknown variable " + piece.text());
                });
            }
            return value.toString();
        }
    }
}
