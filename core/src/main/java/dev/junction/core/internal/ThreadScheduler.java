package dev.junction.core.internal;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.junction.core.spi.Scheduler;

/**
 * Junction's own scheduler when none is handed in: one daemon thread, {@code junction-scheduler}, whose tasks only
 * start work and return. Cancelled tasks leave its queue at once, so a cancelled timer holds nothing.
 *
 * <p>Thread-safe.
 */
public final class ThreadScheduler implements Scheduler {

    private final ScheduledThreadPoolExecutor executor;

    /** Creates the scheduler and its thread. */
    public ThreadScheduler() {
        executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "junction-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public Task schedule(Runnable task, long delay, TimeUnit unit) {
        ScheduledFuture<?> future = executor.schedule(task, Math.max(0, delay), unit);
        return () -> future.cancel(false);
    }

    /** Stops the thread; tasks not yet run never run. */
    public void stop() {
        executor.shutdownNow();
    }
}
