package dev.junction.core.status;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One worker process of a cluster, as its supervisor sees it.
 *
 * @param id the worker's number, from 0
 * @param state what the worker is doing
 * @param pid the running process's id, or 0 when none runs
 * @param port the port the worker listens on (or is started on)
 * @param backend the id the worker has as a backend of the cluster's routes, or null while it is not one
 * @param startedAt when the running process was started, or null when none runs
 * @param uptime how long the running process has run; zero when none runs
 * @param restarts how many times the worker was started again after an exit, a failed start or failed checks
 * @param lastExitCode the exit code of its last process that ended (128 + the signal for one a signal ended, as a
 *     shell reports it), or null if none has
 * @param problem why the worker was last restarted or is down, or null
 */
public record WorkerStatus(int id, State state, long pid, int port, @Nullable String backend,
        @Nullable Instant startedAt, Duration uptime, int restarts, @Nullable Integer lastExitCode,
        @Nullable String problem) {

    /**
     * Creates the record.
     *
     * @param id the worker's number, from 0
     * @param state what the worker is doing
     * @param pid the running process's id, or 0
     * @param port the port the worker listens on
     * @param backend the id the worker has as a backend, or null
     * @param startedAt when the running process was started, or null
     * @param uptime how long the running process has run
     * @param restarts how many times the worker was started again
     * @param lastExitCode the exit code of its last process that ended, or null
     * @param problem why the worker was last restarted or is down, or null
     * @throws NullPointerException if {@code state} or {@code uptime} is null
     */
    public WorkerStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(uptime, "uptime");
    }

    /** What a worker is doing. */
    public enum State {
        /** Started, and not yet answering its health check. */
        STARTING,
        /** Answering its health checks, a backend of the cluster's routes. */
        UP,
        /** Exited or failed; started again after its restart delay. */
        RESTARTING,
        /** Exited more often than the crash-loop limit allows: left down until a rolling restart. */
        CRASH_LOOP,
        /** Stopped with the cluster. */
        STOPPED;

        /** {@return the state's name in the status JSON: {@code up}, {@code crash-loop}, ...} */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
