package dev.junction.core.spi;

import org.jspecify.annotations.Nullable;

/**
 * Names the bucket of a request for a rate limit whose key is {@code resolver:<name>}, as Spring Cloud Gateway's
 * {@code KeyResolver} does: a tenant from a token, an account from a path segment. Registered on the Junction with
 * {@code Junction.Builder.keyResolver(name, resolver)}.
 *
 * <p>Called on the server's I/O thread for every request of the route: it must be quick and must not block. Must be
 * thread-safe.
 */
@FunctionalInterface
public interface KeyResolver {

    /**
     * Returns the key of the request's bucket, or null when it has none: requests without a key share one bucket.
     * {@link SelectionContext#clientAddress()} is the address of the connection's peer.
     *
     * @param request what may be known of the request: its client address, path, headers and cookies
     * @return the bucket's key, or null
     */
    @Nullable String key(SelectionContext request);
}
