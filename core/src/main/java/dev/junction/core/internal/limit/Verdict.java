package dev.junction.core.internal.limit;

import dev.junction.core.http.Fields;

/**
 * What a route's rate limits say of one request: let it through or refuse it, and what the client is told of the limit
 * nearest to running out (the {@code RateLimit-*} fields of draft-ietf-httpapi-ratelimit-headers).
 *
 * @param allowed whether the request goes on
 * @param status the refusal's status: 429 over a limit, 503 when a shared limit's store cannot be reached and the
 *     gateway fails closed; 0 when allowed
 * @param reason the refusal's reason, for the client's body; "" when allowed
 * @param limit the capacity of the limit nearest to running out, or -1 when no limit reported one
 * @param remaining the tokens left in its bucket
 * @param resetSeconds the seconds until its bucket is full again
 * @param retryAfterSeconds when refused, the seconds until a token is back (at least 1)
 * @param policy the {@code RateLimit-Policy} field of the route: every limit's quota and window
 */
public record Verdict(boolean allowed, int status, String reason, long limit, long remaining, long resetSeconds,
        long retryAfterSeconds, String policy) {

    /** Returns a verdict that lets the request through, telling the client of a limit's tokens left. */
    static Verdict allowed(long limit, long remaining, long resetSeconds, String policy) {
        return new Verdict(true, 0, "", limit, remaining, resetSeconds, 0, policy);
    }

    /** Returns a verdict that lets the request through with nothing to tell of a limit (no figures known). */
    static Verdict unreported(String policy) {
        return new Verdict(true, 0, "", -1, 0, 0, 0, policy);
    }

    /** Returns whether the verdict has figures to tell the client. */
    public boolean reports() {
        return limit >= 0;
    }

    /**
     * Sets what the client is told of the route's limits: {@code RateLimit-Limit}, {@code RateLimit-Remaining},
     * {@code RateLimit-Reset} and {@code RateLimit-Policy}, and on a refusal {@code Retry-After}. They replace a
     * backend's fields of the same names: each is one value, and the client's limit at this gateway is Junction's.
     */
    public void addTo(Fields headers) {
        if (reports()) {
            headers.set("RateLimit-Limit", Long.toString(limit))
                    .set("RateLimit-Remaining", Long.toString(remaining))
                    .set("RateLimit-Reset", Long.toString(resetSeconds))
                    .set("RateLimit-Policy", policy);
        }
        if (!allowed) {
            headers.set("Retry-After", Long.toString(retryAfterSeconds));
        }
    }

    /** Returns whichever of two allowed verdicts has fewer tokens left. */
    static Verdict tighter(Verdict a, Verdict b) {
        if (!a.reports()) {
            return b;
        }
        if (!b.reports()) {
            return a;
        }
        return b.remaining < a.remaining ? b : a;
    }
}
