package dev.junction.core.internal.accesslog;

import org.jspecify.annotations.Nullable;

/**
 * What one exchange came to, captured on the thread that ended it; formatted later, on the access log's own thread.
 *
 * @param endMillis when the exchange ended, in milliseconds since the epoch
 * @param request what the log says of the request
 * @param status the status the client got, 0 if its connection was closed instead
 * @param requestBytes the request body bytes read from the client
 * @param responseBytes the response body bytes of a backend written to the client
 * @param route the route's name
 * @param backend the backend of the last attempt, or null if none was tried
 * @param attempts the attempts made
 * @param upstreamNanos the last attempt's time to its response head, or -1 if none came
 * @param totalNanos the time from the request to the exchange's end
 * @param requestId the exchange's {@code X-Request-Id}
 * @param outcome how it ended (the {@code outcome} of the metrics)
 */
public record AccessEntry(long endMillis, AccessRequest request, int status, long requestBytes, long responseBytes,
        String route, @Nullable String backend, int attempts, long upstreamNanos, long totalNanos, String requestId,
        String outcome) {
}
