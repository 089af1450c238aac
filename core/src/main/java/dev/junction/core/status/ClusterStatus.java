package dev.junction.core.status;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The worker processes Junction supervises ({@code cluster}).
 *
 * @param supervisorPid this process's id, which each worker is told
 * @param workers each worker, by id
 * @param rollingRestart how the rolling restart under way, or the last one, went; null if none was asked for
 */
public record ClusterStatus(long supervisorPid, List<WorkerStatus> workers, @Nullable RollingRestart rollingRestart) {

    /**
     * Creates the status, keeping an unmodifiable copy of the workers.
     *
     * @param supervisorPid this process's id
     * @param workers each worker, by id
     * @param rollingRestart the rolling restart under way or the last one, or null
     */
    public ClusterStatus {
        workers = List.copyOf(workers);
    }

    /** {@return how many workers are up ({@link WorkerStatus.State#UP})} */
    public int up() {
        return (int) workers.stream().filter(worker -> worker.state() == WorkerStatus.State.UP).count();
    }

    /**
     * A rolling restart: each worker's replacement started and healthy before the worker is drained and stopped.
     *
     * @param trigger what asked for it ({@code SIGHUP}, {@code admin}, {@code api})
     * @param startedAt when it began
     * @param endedAt when it ended, or null while it goes on
     * @param replaced how many workers have been replaced so far
     * @param problem why it stopped before the end (the workers not yet replaced keep running), or null
     */
    public record RollingRestart(String trigger, Instant startedAt, @Nullable Instant endedAt, int replaced,
            @Nullable String problem) {

        /**
         * Creates the record.
         *
         * @param trigger what asked for it
         * @param startedAt when it began
         * @param endedAt when it ended, or null while it goes on
         * @param replaced how many workers have been replaced so far
         * @param problem why it stopped before the end, or null
         * @throws NullPointerException if {@code trigger} or {@code startedAt} is null
         */
        public RollingRestart {
            Objects.requireNonNull(trigger, "trigger");
            Objects.requireNonNull(startedAt, "startedAt");
        }

        /** {@return whether it is still going on: it has no end time} */
        public boolean running() {
            return endedAt == null;
        }
    }
}
