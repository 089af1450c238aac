package dev.junction.core.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.junction.core.spi.Scheduler;

/**
 * A {@link Scheduler} on a {@link FakeTicker}: tasks run only when a test advances time past them, in the order they
 * fall due, on the test's thread, with the ticker moved to each task's time as it runs.
 */
public final class ManualScheduler implements Scheduler {

    private final FakeTicker ticker;
    private final List<Entry> tasks = new ArrayList<>();
    private long sequence;

    private static final class Entry {
        final long due;
        final long order;
        final Runnable task;
        boolean cancelled;

        Entry(long due, long order, Runnable task) {
            this.due = due;
            this.order = order;
            this.task = task;
        }
    }

    public ManualScheduler(FakeTicker ticker) {
        this.ticker = ticker;
    }

    @Override
    public synchronized Task schedule(Runnable task, long delay, TimeUnit unit) {
        Entry entry = new Entry(ticker.nanos() + unit.toNanos(Math.max(0, delay)), sequence++, task);
        tasks.add(entry);
        return () -> {
            synchronized (this) {
                boolean pending = !entry.cancelled && tasks.remove(entry);
                entry.cancelled = true;
                return pending;
            }
        };
    }

    /** Moves time forward by {@code duration}, running every task that falls due on the way, at its time. */
    public void advance(Duration duration) {
        long target = ticker.nanos() + duration.toNanos();
        while (true) {
            Entry next;
            synchronized (this) {
                next = tasks.stream().filter(entry -> entry.due - target <= 0)
                        .min(Comparator.<Entry>comparingLong(entry -> entry.due)
                                .thenComparingLong(entry -> entry.order))
                        .orElse(null);
                if (next != null) {
                    tasks.remove(next);
                }
            }
            if (next == null) {
                break;
            }
            long wait = next.due - ticker.nanos();
            if (wait > 0) {
                ticker.advance(Duration.ofNanos(wait));
            }
            next.task.run();
        }
        long rest = target - ticker.nanos();
        if (rest > 0) {
            ticker.advance(Duration.ofNanos(rest));
        }
    }

    /** Returns the tasks waiting to fall due. */
    public synchronized int pending() {
        return tasks.size();
    }
}
