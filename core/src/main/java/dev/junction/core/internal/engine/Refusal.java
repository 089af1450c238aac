package dev.junction.core.internal.engine;

import org.jspecify.annotations.Nullable;

import dev.junction.core.http.Fields;

/**
 * Why the engine answers a request itself instead of forwarding it: the status and a short reason for the client.
 * Reasons never carry stack traces, backend addresses or the offending bytes.
 *
 * @param status the HTTP status the client gets
 * @param reason one line, e.g. {@code no backend is available}
 * @param deadline whether the client's own deadline (a gRPC call's {@code grpc-timeout}) ran out, rather than one of
 *     the route's timeouts
 * @param headers fields the answer carries besides Junction's own (a rate limit's {@code Retry-After} and
 *     {@code RateLimit-*}), or null for none
 */
record Refusal(int status, String reason, boolean deadline, @Nullable Fields headers) {

    Refusal(int status, String reason) {
        this(status, reason, false, null);
    }

    Refusal(int status, String reason, boolean deadline) {
        this(status, reason, deadline, null);
    }
}
