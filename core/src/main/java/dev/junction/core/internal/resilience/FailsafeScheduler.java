package dev.junction.core.internal.resilience;

import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.failsafe.spi.DefaultScheduledFuture;
import dev.failsafe.spi.Scheduler;

/**
 * Failsafe's view of Junction's scheduler: a task due now runs at once on the calling thread (the first
 * attempt of a request goes out without a thread hop, and the engine never blocks), a later one on the scheduler's
 * thread, which only starts the next attempt.
 */
final class FailsafeScheduler implements Scheduler {

    private final dev.junction.core.spi.Scheduler scheduler;

    FailsafeScheduler(dev.junction.core.spi.Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public ScheduledFuture<?> schedule(Callable<?> callable, long delay, TimeUnit unit) {
        if (delay <= 0) {
            run(callable);
            return new DefaultScheduledFuture<Object>() {
                @Override
                public boolean isDone() {
                    return true;
                }
            };
        }
        dev.junction.core.spi.Scheduler.Task task = scheduler.schedule(() -> run(callable), delay, unit);
        return new DefaultScheduledFuture<Object>() {
            private volatile boolean cancelled;

            @Override
            public boolean cancel(boolean mayInterrupt) {
                cancelled = task.cancel();
                return cancelled;
            }

            @Override
            public boolean isCancelled() {
                return cancelled;
            }
        };
    }

    private static void run(Callable<?> callable) {
        try {
            callable.call();
        } catch (Exception e) {
            // Failsafe's own tasks complete their executions' futures with their failures; nothing reaches here.
            throw new IllegalStateException(e);
        }
    }
}
