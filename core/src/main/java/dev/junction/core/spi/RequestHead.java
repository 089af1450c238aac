package dev.junction.core.spi;

import org.jspecify.annotations.Nullable;

import dev.junction.core.http.Fields;

/**
 * What Junction reads of a request to find its route: the request line, the header fields and the client's address,
 * before anything of the exchange has started. An adapter hands it to {@code Junction.match}; every
 * {@link ServerExchange} is one.
 *
 * <p>Read from the thread that asks; nothing may block.
 */
public interface RequestHead {

    /** {@return the request method as received, e.g. {@code GET}} */
    String method();

    /** {@return the request path as received: still percent-encoded, without the query; starts with {@code /}} */
    String rawPath();

    /**
     * Returns the query as received, without the {@code ?}: empty for a target that ends in a bare {@code ?}, which is
     * forwarded so; null if the target had none.
     *
     * @return the raw query, or null
     */
    @Nullable String rawQuery();

    /**
     * Returns the request headers as received, repeated ones as separate fields, in order. Junction only reads them.
     * An HTTP/2 request's {@code :authority} is its {@code Host} field.
     *
     * @return the request's header fields
     */
    Fields requestHeaders();

    /** {@return the client's IP address as a literal ({@code 192.0.2.7}, {@code 2001:db8::1})} */
    String clientAddress();
}
