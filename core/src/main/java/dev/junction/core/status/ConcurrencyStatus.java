package dev.junction.core.status;

/**
 * A route's adaptive concurrency limit at one moment.
 *
 * @param algorithm {@code gradient2} or {@code vegas}
 * @param limit the limit the algorithm has found
 * @param inFlight the requests in flight under it
 * @param shed the requests refused at it since start ({@code 503})
 */
public record ConcurrencyStatus(String algorithm, int limit, int inFlight, long shed) {
}
