package dev.junction.core.internal.metrics;

import java.util.Locale;

/**
 * How an exchange ended, for its metrics and its access-log line: the {@code outcome} tag of {@code junction.requests}.
 * Envoy's response flags name the same cases (shown in brackets).
 */
public enum ExchangeResult {
    /** A backend's response reached the client whole. */
    FORWARDED,
    /** Junction refused the request itself: malformed, too large, or a path it must not forward (a 4xx or 505). */
    REFUSED,
    /** The route's rate limits refused the request: 429 [RL]. */
    RATE_LIMITED,
    /** The gateway was at its cap on exchanges in flight ({@code limits.maxExchanges}), or shed it: 503 [OM]. */
    OVERLOADED,
    /** No backend could take the request: none available (the fallback answered) or all at their limit [UH, UO]. */
    NO_BACKEND,
    /** Backends failed: not reachable, reset, garbled, or a response cut short [UF, UC, URX]. */
    BACKEND_FAILED,
    /** No backend answered in time: 504 [UT]. */
    TIMED_OUT,
    /** The client went away before the exchange ended [DC]. */
    CLIENT_GONE;

    private final String tag = name().toLowerCase(Locale.ROOT);

    /** Returns the tag value: the name in lower case. */
    public String tag() {
        return tag;
    }
}
