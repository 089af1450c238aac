package dev.junction.core.status;

import java.time.Duration;

/**
 * The sessions of a route with session affinity.
 *
 * @param active the sessions remembered now
 * @param totalCreated the sessions created since the start
 * @param averageDuration the average time from a session's first request to its last, over those that ended
 */
public record SessionStats(long active, long totalCreated, Duration averageDuration) {
}
