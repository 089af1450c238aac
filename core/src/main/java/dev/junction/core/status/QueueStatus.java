package dev.junction.core.status;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A route's queue at one moment.
 *
 * @param waiting the requests waiting now for a backend below its limit
 * @param waitingByClass how many of them wait in each priority class, highest class first
 * @param maxWaiting the most that may wait
 * @param queued the requests that have waited since start
 * @param refused the requests that found it full (answered {@code 503})
 * @param shed the waiting requests refused ({@code 503}) to make room for a request of a higher class
 * @param timedOut the requests that waited out its timeout (answered {@code 503})
 * @param meanWaitMillis the mean wait of the requests that have left it, served or not
 */
public record QueueStatus(int waiting, Map<String, Integer> waitingByClass, int maxWaiting, long queued,
        long refused, long shed, long timedOut, double meanWaitMillis) {

    /**
     * Creates the record, keeping an unmodifiable copy of {@code waitingByClass} in its iteration order.
     *
     * @param waiting the requests waiting now
     * @param waitingByClass how many of them wait in each priority class, highest class first
     * @param maxWaiting the most that may wait
     * @param queued the requests that have waited since start
     * @param refused the requests that found it full
     * @param shed the waiting requests refused to make room for a request of a higher class
     * @param timedOut the requests that waited out its timeout
     * @param meanWaitMillis the mean wait of the requests that have left it
     */
    public QueueStatus {
        // Kept in class order, highest first (Map.copyOf would not keep it).
        waitingByClass = Collections.unmodifiableMap(new LinkedHashMap<>(waitingByClass));
    }
}
