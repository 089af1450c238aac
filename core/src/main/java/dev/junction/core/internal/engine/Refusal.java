package dev.junction.core.internal.engine;

/**
 * Why the engine answers a request itself instead of forwarding it: the status and a short reason for the client.
 * Reasons never carry stack traces, backend addresses or the offending bytes.
 *
 * @param status the HTTP status the client gets
 * @param reason one line, e.g. {@code no backend is available}
 */
record Refusal(int status, String reason) {
}
