package dev.junction.core.spi;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a strategy may know about the request being balanced: the hashing strategies read the client address, a
 * header, a cookie or the path; the others ignore it.
 *
 * <p>Implementations are used by one thread at a time. The forwarding engine implements it over the exchange;
 * {@link #of(String, String, Map, Map)} serves tests and custom callers.
 */
public interface SelectionContext {

    /** A context with no request attached: empty address and path, no headers, no cookies. */
    SelectionContext EMPTY = of("", "", Map.of(), Map.of());

    /** {@return the client's IP address as text ({@code 203.0.113.7}, {@code 2001:db8::1}), or "" if unknown} */
    String clientAddress();

    /** {@return the request path as received, without the query} */
    String path();

    /**
     * {@return the first value of the named request header, or null if there is none}
     *
     * @param name the header's name, matched case-insensitively
     */
    @Nullable String header(String name);

    /**
     * {@return the value of the named request cookie, or null if there is none}
     *
     * @param name the cookie's name
     */
    @Nullable String cookie(String name);

    /**
     * Returns a context over fixed values; header names are matched case-insensitively.
     *
     * @param clientAddress the client's IP address as text, or ""
     * @param path the request path, without the query
     * @param headers header values by name, one value each
     * @param cookies cookie values by name
     * @return the context
     */
    static SelectionContext of(String clientAddress, String path, Map<String, String> headers,
            Map<String, String> cookies) {
        return new FixedSelectionContext(clientAddress, path, headers, cookies);
    }
}
