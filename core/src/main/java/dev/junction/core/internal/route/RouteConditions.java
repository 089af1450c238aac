package dev.junction.core.internal.route;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.junction.core.config.AddressRange;
import dev.junction.core.config.FieldMatch;
import dev.junction.core.config.MatchConfig;
import dev.junction.core.config.Validator;
import dev.junction.core.http.Fields;
import dev.junction.core.spi.RequestHead;

/**
 * What one route takes, compiled once from its prefix and {@link MatchConfig}: regular expressions compiled, address
 * ranges parsed, hosts normalised. {@link Router} finds the candidates by host and prefix; {@link #test} asks the rest.
 *
 * <p>Immutable and thread-safe.
 */
public final class RouteConditions {

    private final String prefix;
    private final List<String> hosts;
    private final int count;
    private final String @Nullable [] methods;
    private final Condition[] headers;
    private final Condition[] query;
    private final AddressRange @Nullable [] clients;
    private final TrustedProxies proxies;

    private RouteConditions(String prefix, MatchConfig match, TrustedProxies proxies) {
        this.prefix = Validator.normalisePrefix(prefix);
        List<String> normalised = new ArrayList<>();
        match.hosts().forEach(host -> normalised.add(Validator.normaliseHost(host)));
        this.hosts = List.copyOf(normalised);
        this.count = match.conditions();
        this.methods = match.methods().isEmpty() ? null : match.methods().toArray(String[]::new);
        this.headers = compile(match.headers());
        this.query = compile(match.query());
        this.clients = match.clients().isEmpty() ? null
                : match.clients().stream().map(AddressRange::parse).toArray(AddressRange[]::new);
        this.proxies = proxies;
    }

    /**
     * Returns the conditions of a route; {@code match} has passed the validator.
     *
     * @param proxies the route's trusted proxies, behind which its client address is read
     */
    public static RouteConditions of(String prefix, MatchConfig match, TrustedProxies proxies) {
        return new RouteConditions(prefix, match, proxies);
    }

    /** Returns the conditions of a route that takes every request under {@code prefix}. */
    public static RouteConditions prefixOnly(String prefix) {
        return new RouteConditions(prefix, MatchConfig.NONE, TrustedProxies.NONE);
    }

    private static Condition[] compile(List<FieldMatch> fields) {
        Condition[] compiled = new Condition[fields.size()];
        for (int i = 0; i < compiled.length; i++) {
            FieldMatch field = fields.get(i);
            String value = field.value();
            compiled[i] = new Condition(field.name(), field.kind(), value,
                    field.kind() == FieldMatch.Kind.REGEX && value != null ? Pattern.compile(value) : null);
        }
        return compiled;
    }

    /** Returns the normalised prefix. */
    public String prefix() {
        return prefix;
    }

    /** Returns the normalised hosts ({@code *.example.com} for a wildcard); empty for any. */
    List<String> hosts() {
        return hosts;
    }

    /** Returns how many conditions besides host and prefix there are, as the order of routes counts them. */
    int count() {
        return count;
    }

    /** Returns whether there is nothing to ask besides host and prefix. */
    boolean none() {
        return count == 0;
    }

    /** Returns whether the request meets every condition besides host and prefix. */
    boolean test(RequestHead head) {
        String[] allowed = methods;
        if (allowed != null && !contains(allowed, head.method())) {
            return false;
        }
        if (headers.length > 0) {
            Fields fields = head.requestHeaders();
            for (Condition header : headers) {
                if (!header.testHeader(fields)) {
                    return false;
                }
            }
        }
        for (Condition parameter : query) {
            if (!parameter.testQuery(head.rawQuery())) {
                return false;
            }
        }
        AddressRange[] ranges = clients;
        if (ranges != null) {
            String client = proxies.clientAddress(head.requestHeaders(), head.clientAddress());
            boolean inside = false;
            for (AddressRange range : ranges) {
                inside |= range.contains(client);
            }
            return inside;
        }
        return true;
    }

    private static boolean contains(String[] values, String value) {
        for (String each : values) {
            if (each.equals(value)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return (hosts.isEmpty() ? "" : hosts + " ") + prefix + (count == 0 ? "" : " +" + count);
    }

    /** One compiled {@link FieldMatch}. */
    private record Condition(String name, FieldMatch.Kind kind, @Nullable String value, @Nullable Pattern regex) {

        boolean testHeader(Fields fields) {
            boolean found = false;
            for (int i = 0; i < fields.size(); i++) {
                if (fields.is(i, name)) {
                    found = true;
                    if (matches(fields.value(i))) {
                        return true;
                    }
                }
            }
            return kind == FieldMatch.Kind.ABSENT ? !found : false;
        }

        boolean testQuery(@Nullable String rawQuery) {
            boolean found = false;
            if (rawQuery != null) {
                int start = 0;
                while (start <= rawQuery.length()) {
                    int end = rawQuery.indexOf('&', start);
                    end = end < 0 ? rawQuery.length() : end;
                    int equals = rawQuery.indexOf('=', start);
                    int nameEnd = equals < 0 || equals > end ? end : equals;
                    if (nameEnd > start && decodedEquals(rawQuery, start, nameEnd, name)) {
                        found = true;
                        int valueStart = Math.min(nameEnd + 1, end);
                        if (kind == FieldMatch.Kind.EXACT ? decodedEquals(rawQuery, valueStart, end, value)
                                : matches(decode(rawQuery, valueStart, end))) {
                            return true;
                        }
                    }
                    start = end + 1;
                }
            }
            return kind == FieldMatch.Kind.ABSENT ? !found : false;
        }

        /** Returns whether a present value meets the condition; never for {@link FieldMatch.Kind#ABSENT}. */
        private boolean matches(String text) {
            return switch (kind) {
                case PRESENT -> true;
                case ABSENT -> false;
                case EXACT -> text.equals(value);
                case REGEX -> regex != null && regex.matcher(text).matches();
            };
        }
    }

    /**
     * Returns {@code text[start, end)} percent-decoded as UTF-8, {@code +} as a space; a malformed escape is kept as
     * it is. Allocates only a substring when nothing needs decoding.
     */
    static String decode(String text, int start, int end) {
        if (plain(text, start, end)) {
            return text.substring(start, end);
        }
        StringBuilder out = new StringBuilder(end - start);
        byte[] escaped = new byte[end - start];
        int pending = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            int high = c == '%' && i + 2 < end ? Character.digit(text.charAt(i + 1), 16) : -1;
            int low = high >= 0 ? Character.digit(text.charAt(i + 2), 16) : -1;
            if (high >= 0 && low >= 0) {
                escaped[pending++] = (byte) (high << 4 | low);
                i += 2;
                continue;
            }
            if (pending > 0) {
                out.append(new String(escaped, 0, pending, StandardCharsets.UTF_8));
                pending = 0;
            }
            out.append(c == '+' ? ' ' : c);
        }
        if (pending > 0) {
            out.append(new String(escaped, 0, pending, StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    /** Returns whether {@code text[start, end)}, percent-decoded, is {@code name}; allocates nothing if plain. */
    static boolean decodedEquals(String text, int start, int end, @Nullable String name) {
        if (name == null) {
            return false;
        }
        if (plain(text, start, end)) {
            return end - start == name.length() && text.regionMatches(start, name, 0, name.length());
        }
        return decode(text, start, end).equals(name);
    }

    private static boolean plain(String text, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c == '%' || c == '+') {
                return false;
            }
        }
        return true;
    }
}
