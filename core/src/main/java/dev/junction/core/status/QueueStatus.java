package dev.junction.core.status;

/**
 * A route's queue at one moment.
 *
 * @param waiting the requests waiting now for a backend below its limit
 * @param maxWaiting the most that may wait
 * @param queued the requests that have waited since start
 * @param refused the requests that found it full (answered {@code 503})
 * @param timedOut the requests that waited out its timeout (answered {@code 503})
 * @param meanWaitMillis the mean wait of the requests that have left it, served or not
 */
public record QueueStatus(int waiting, int maxWaiting, long queued, long refused, long timedOut,
        double meanWaitMillis) {
}
