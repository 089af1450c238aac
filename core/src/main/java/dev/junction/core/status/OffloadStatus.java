package dev.junction.core.status;

import java.util.Objects;

/**
 * An offload pool's state: how busy it is, how long work waits, and how much it refused.
 *
 * @param name the pool's name
 * @param threads the pool's threads
 * @param maxQueued the most tasks that wait for a thread; one more is refused
 * @param running the tasks running now
 * @param queued the tasks waiting for a thread now (the queue's depth)
 * @param completed the tasks that have run
 * @param refused the tasks refused because the pool and its queue were full
 * @param meanWaitMillis the mean time a task waited for a thread, over every task that started
 * @param maxWaitMillis the longest a task waited for a thread
 */
public record OffloadStatus(String name, int threads, int maxQueued, int running, int queued, long completed,
        long refused, double meanWaitMillis, double maxWaitMillis) {

    /**
     * Creates the record.
     *
     * @param name the pool's name
     * @param threads the pool's threads
     * @param maxQueued the most tasks that wait for a thread
     * @param running the tasks running now
     * @param queued the tasks waiting for a thread now
     * @param completed the tasks that have run
     * @param refused the tasks refused
     * @param meanWaitMillis the mean time a task waited for a thread
     * @param maxWaitMillis the longest a task waited for a thread
     * @throws NullPointerException if {@code name} is null
     */
    public OffloadStatus {
        Objects.requireNonNull(name, "name");
    }
}
