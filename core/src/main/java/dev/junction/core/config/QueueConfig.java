package dev.junction.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * A route's queue: when every backend that could serve a request is at its {@code maxConcurrent} limit, the request
 * waits, up to {@code timeout}, for one of them to finish a request, instead of failing at once. Waiting costs no
 * thread and no buffer beyond the request head; a full queue, or a wait that runs out, gets {@code 503} with
 * {@code Retry-After}, and a client that leaves is taken out of the queue at once (HAProxy's server {@code maxconn}
 * queue with {@code timeout queue}, nginx Plus's upstream {@code queue}).
 *
 * @param maxWaiting the most requests waiting at once; 0 for no queue (a request finding every backend full gets
 *     {@code 503} at once); default 0
 * @param timeout the longest a request waits; default 10 s
 */
public record QueueConfig(int maxWaiting, Duration timeout) {

    /** No queue. */
    public static final QueueConfig NONE = new QueueConfig(0, Duration.ofSeconds(10));

    /** The largest queue a route may have: each waiting request holds its head and its connection. */
    public static final int MAX_WAITING = 100_000;

    public QueueConfig {
        Objects.requireNonNull(timeout, "timeout");
    }

    /** Returns a queue of {@code maxWaiting} requests that wait up to {@code timeout}. */
    public static QueueConfig of(int maxWaiting, Duration timeout) {
        return new QueueConfig(maxWaiting, timeout);
    }

    /** Returns whether requests queue at all. */
    public boolean enabled() {
        return maxWaiting > 0;
    }
}
