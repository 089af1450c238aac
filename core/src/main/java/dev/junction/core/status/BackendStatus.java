package dev.junction.core.status;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One backend of one route at one moment.
 *
 * @param id the backend's id
 * @param url the backend's URL
 * @param backup whether it is a backup backend
 * @param available whether it takes new requests
 * @param reason why, as a value a program can test
 * @param explanation why, in words, e.g. {@code failed its active health check: status 503 (expected 200-399)}
 * @param inFlight requests in flight now, open tunnels included
 * @param tunnels tunnels open now (WebSockets after their {@code 101})
 * @param requests requests sent since start
 * @param successes responses under 500 since start
 * @param failures failed attempts since start
 * @param responseTimeMillis the response-time average (time to the response head), or 0 before the first
 * @param lastCheck when its last active check ended, or null (no active checks, or none yet)
 * @param lastCheckError why its last failed active check failed, or null
 * @param consecutiveCheckSuccesses passed active checks in a row
 * @param consecutiveCheckFailures failed active checks in a row
 * @param averageCheckMillis the average time an active check took, or 0
 * @param ejectedUntil when its ejection ends, or null if it is not ejected
 * @param breaker where its circuit breaker stands ({@code CLOSED} before its first request), or null if its route has
 *     none
 * @param breakerMode who decides its circuit breaker, or null if it has none
 */
public record BackendStatus(String id, String url, boolean backup, boolean available, Reason reason,
        String explanation, int inFlight, int tunnels, long requests, long successes, long failures, double responseTimeMillis,
        @Nullable Instant lastCheck, @Nullable String lastCheckError, int consecutiveCheckSuccesses,
        int consecutiveCheckFailures, double averageCheckMillis, @Nullable Instant ejectedUntil,
        @Nullable BreakerState breaker, @Nullable BreakerMode breakerMode) {
}
