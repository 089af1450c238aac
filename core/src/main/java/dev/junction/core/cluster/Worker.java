package dev.junction.core.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * This process as one worker of several behind a supervisor: its id, the port it is to listen on, and the supervisor's
 * process id, as the supervisor's environment variables say ({@value #ID_VARIABLE}, {@value #PORT_VARIABLE},
 * {@value #SUPERVISOR_VARIABLE}). An application binds its port from it and labels its logs and metrics with the id.
 *
 * <pre>{@code
 * Worker worker = Worker.current().orElse(null);
 * int port = worker != null ? worker.port() : 8080;
 * MDC.put("worker", worker != null ? String.valueOf(worker.id()) : "-");
 * }</pre>
 *
 * <p>Any process manager can set the variables; a systemd template unit, for one:
 * {@code Environment=JUNCTION_WORKER_ID=%i}, and the port to match.
 *
 * @param id the worker's number among its supervisor's, from 0
 * @param port the port the worker is to listen on
 * @param supervisorPid the supervisor's process id
 */
public record Worker(int id, int port, long supervisorPid) {

    /** The worker's number among its supervisor's, from 0. */
    public static final String ID_VARIABLE = "JUNCTION_WORKER_ID";
    /** The port the worker is to listen on. */
    public static final String PORT_VARIABLE = "JUNCTION_WORKER_PORT";
    /** The supervisor's process id. */
    public static final String SUPERVISOR_VARIABLE = "JUNCTION_SUPERVISOR_PID";

    /**
     * Creates the record, checking the ranges.
     *
     * @param id the worker's number, 0 or more
     * @param port the port to listen on, 1 to 65535
     * @param supervisorPid the supervisor's process id, 1 or more
     * @throws IllegalArgumentException if a value is out of its range
     */
    public Worker {
        if (id < 0) {
            throw new IllegalArgumentException("id: " + id + " (expected: 0 or more)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
        }
        if (supervisorPid < 1) {
            throw new IllegalArgumentException("supervisorPid: " + supervisorPid + " (expected: a process id)");
        }
    }

    /**
     * Returns this process as a supervised worker, or empty if it is not one ({@value #ID_VARIABLE} is not set).
     *
     * @return the worker this process's environment describes, or empty
     * @throws IllegalStateException if the variables are set but not all, or not as numbers, naming each
     */
    public static Optional<Worker> current() {
        return of(System.getenv());
    }

    /**
     * Returns the worker {@code environment} describes, or empty if {@value #ID_VARIABLE} is not in it.
     *
     * @param environment environment variables by name, such as {@link System#getenv()}
     * @return the worker, or empty
     * @throws NullPointerException if {@code environment} is null
     * @throws IllegalStateException if the variables are there but not all, or not as numbers, naming each
     */
    public static Optional<Worker> of(Map<String, String> environment) {
        Objects.requireNonNull(environment, "environment");
        if (environment.get(ID_VARIABLE) == null) {
            return Optional.empty();
        }
        List<String> problems = new ArrayList<>();
        long id = number(environment, ID_VARIABLE, 0, Integer.MAX_VALUE, problems);
        long port = number(environment, PORT_VARIABLE, 1, 65535, problems);
        long supervisor = number(environment, SUPERVISOR_VARIABLE, 1, Long.MAX_VALUE, problems);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("This process is started as a worker (" + ID_VARIABLE + " is set), but: "
                    + String.join("; ", problems));
        }
        return Optional.of(new Worker((int) id, (int) port, supervisor));
    }

    private static long number(Map<String, String> environment, String name, long min, long max,
            List<String> problems) {
        @Nullable String text = environment.get(name);
        if (text == null) {
            problems.add(name + " is not set");
            return min;
        }
        try {
            long value = Long.parseLong(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        problems.add(name + ": '" + text + "' (expected: an integer from " + min + " to " + max + ")");
        return min;
    }

    /**
     * Returns the variables that describe this worker to a process started with them, which {@link #of} reads back.
     *
     * @return an unmodifiable map of {@value #ID_VARIABLE}, {@value #PORT_VARIABLE} and {@value #SUPERVISOR_VARIABLE}
     */
    public Map<String, String> environment() {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put(ID_VARIABLE, Integer.toString(id));
        variables.put(PORT_VARIABLE, Integer.toString(port));
        variables.put(SUPERVISOR_VARIABLE, Long.toString(supervisorPid));
        return Map.copyOf(variables);
    }

    /** {@return whether the supervisor's process is alive: a worker whose supervisor is gone may stop itself} */
    public boolean supervisorAlive() {
        return ProcessHandle.of(supervisorPid).map(ProcessHandle::isAlive).orElse(false);
    }
}
