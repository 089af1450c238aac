package dev.junction.core.internal.accesslog;

import org.jspecify.annotations.Nullable;

/**
 * What the access log says of a request, read from it as the exchange starts: a server may recycle its request
 * objects once the response is complete, before the exchange's end is logged.
 *
 * @param client the client's address
 * @param method the request method
 * @param target the request target as received: path and query
 * @param protocol the request's protocol, such as {@code HTTP/1.1}
 * @param referer the request's {@code Referer}, or null
 * @param userAgent the request's {@code User-Agent}, or null
 */
public record AccessRequest(String client, String method, String target, String protocol, @Nullable String referer,
        @Nullable String userAgent) {
}
