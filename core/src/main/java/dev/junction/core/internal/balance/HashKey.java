package dev.junction.core.internal.balance;

import java.util.Locale;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.junction.core.spi.SelectionContext;

/**
 * The part of a request that {@code consistent-hash} hashes: the client address ({@code ip}), the path
 * ({@code path}), a header ({@code header:X-User-Id}) or a cookie ({@code cookie:session}).
 *
 * <p>Immutable.
 */
public final class HashKey {

    /** Where the key comes from. */
    public enum Source { IP, PATH, HEADER, COOKIE }

    /** The client address; the default key. */
    public static final HashKey IP = new HashKey(Source.IP, "");
    /** The request path, without the query. */
    public static final HashKey PATH = new HashKey(Source.PATH, "");

    private final Source source;
    private final String name;

    private HashKey(Source source, String name) {
        this.source = source;
        this.name = name;
    }

    /** Returns the key read from the first value of this request header. */
    public static HashKey header(String name) {
        return new HashKey(Source.HEADER, requireName(name));
    }

    /** Returns the key read from this request cookie. */
    public static HashKey cookie(String name) {
        return new HashKey(Source.COOKIE, requireName(name));
    }

    /**
     * Parses the configuration form: {@code ip}, {@code path}, {@code header:NAME} or {@code cookie:NAME}.
     *
     * @throws IllegalArgumentException naming the value and the accepted forms
     */
    public static HashKey parse(String text) {
        String trimmed = text.trim();
        int colon = trimmed.indexOf(':');
        String kind = (colon < 0 ? trimmed : trimmed.substring(0, colon)).toLowerCase(Locale.ROOT);
        String name = colon < 0 ? "" : trimmed.substring(colon + 1).trim();
        switch (kind) {
            case "ip":
            case "path":
                if (colon < 0) {
                    return kind.equals("ip") ? IP : PATH;
                }
                break;
            case "header":
            case "cookie":
                if (!name.isEmpty() && isToken(name)) {
                    return kind.equals("header") ? header(name) : cookie(name);
                }
                break;
            default:
                break;
        }
        throw new IllegalArgumentException("'" + text + "' (expected: ip, path, header:NAME or cookie:NAME)");
    }

    public Source source() {
        return source;
    }

    /** Returns the header or cookie name, or "" for {@code ip} and {@code path}. */
    public String name() {
        return name;
    }

    /** Returns the key of this request, or null if the request has none (no such header, cookie or address). */
    public @Nullable String extract(SelectionContext context) {
        String value;
        switch (source) {
            case IP:
                value = context.clientAddress();
                break;
            case PATH:
                value = context.path();
                break;
            case HEADER:
                value = context.header(name);
                break;
            default:
                value = context.cookie(name);
                break;
        }
        return value == null || value.isEmpty() ? null : value;
    }

    private static String requireName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || !isToken(name)) {
            throw new IllegalArgumentException("name: '" + name + "' (expected: a header or cookie name)");
        }
        return name;
    }

    private static boolean isToken(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7f || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HashKey && ((HashKey) other).source == source && ((HashKey) other).name.equals(name);
    }

    @Override
    public int hashCode() {
        return source.hashCode() * 31 + name.hashCode();
    }

    @Override
    public String toString() {
        return name.isEmpty() ? source.name().toLowerCase(Locale.ROOT)
                : source.name().toLowerCase(Locale.ROOT) + ":" + name;
    }
}
