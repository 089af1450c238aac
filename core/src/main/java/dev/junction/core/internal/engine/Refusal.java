package dev.junction.core.internal.engine;

/**
 * Why the engine answers a request itself instead of forwarding it: the status and a short reason for the client.
 * Reasons never carry stack traces, backend addresses or the offending bytes.
 *
 * @param status the HTTP status the client gets
 * @param reason one line, e.g. {@code no backend is available}
 * @param deadline whether the client's own deadline (a gRPC call's {@code grpc-timeout}) ran out, rather than one of
 *     the route's timeouts
 */
record Refusal(int status, String reason, boolean deadline) {

    Refusal(int status, String reason) {
        this(status, reason, false);
    }
}
