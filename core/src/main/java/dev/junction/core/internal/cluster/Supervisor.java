package dev.junction.core.internal.cluster;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.junction.core.cluster.Worker;
import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.ClusterConfig;
import dev.junction.core.status.ClusterStatus;
import dev.junction.core.status.WorkerStatus;

/**
 * Runs a cluster's worker processes: starts each on its port, makes it a backend of the cluster's routes once it
 * answers its health check, restarts one that exits or keeps failing its checks after a delay that doubles with each
 * exit in the crash-loop window, leaves one that exits too often down, replaces them one at a time on a rolling
 * restart, and stops them all (drained, {@code SIGTERM}, {@code SIGKILL} after the grace period) when Junction stops.
 *
 * <p>On Linux each worker is started through util-linux's {@code setpriv --pdeathsig KILL} and {@code setsid}: the
 * kernel kills it if this process dies however it dies (even {@code SIGKILL}), and it has a process group of its own,
 * so a terminal's Ctrl-C reaches only the supervisor, which drains before it stops the workers. The kernel ties the
 * death signal to the thread that started the process, so every process is started on the supervisor's one thread,
 * which lives as long as the supervisor.
 *
 * <p>Thread-safe: the workers' state is guarded by this object's monitor; processes are started and timers run on
 * the supervisor's thread; health checks answer on the HTTP client's threads; a rolling restart runs on a thread of
 * its own.
 */
public final class Supervisor {

    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    /** Where a worker's standard output goes, each line prefixed with the worker's id. */
    private static final Logger STDOUT = LoggerFactory.getLogger("dev.junction.worker.stdout");
    /** Where a worker's standard error goes, each line prefixed with the worker's id. */
    private static final Logger STDERR = LoggerFactory.getLogger("dev.junction.worker.stderr");
    /** How often a starting worker's health check is tried until it answers. */
    private static final long START_PROBE_MILLIS = 100;
    /** How often a rolling restart looks at a replacement's availability and a drained worker's requests. */
    private static final long POLL_MILLIS = 50;

    /** How the supervisor changes the pools of the routes the workers serve. */
    public interface Members {

        /** Adds the worker to every route the cluster serves. */
        void add(BackendConfig backend);

        /** Takes no new request to the worker in any route; those it has finish. */
        void drain(String backend);

        /** Returns how many requests the worker has in flight, over every route. */
        int inFlight(String backend);

        /** Returns whether every route the cluster serves takes requests to the worker (its checks passed). */
        boolean available(String backend);

        /** Removes the worker from every route; its connections are closed once its requests have ended. */
        void remove(String backend);
    }

    private final ClusterConfig config;
    private final Members members;
    private final Clock clock;
    /** The prefix that ties each worker's life to this process's and gives it a process group; empty off Linux. */
    private final List<String> wrapper;
    private final ScheduledThreadPoolExecutor thread;
    private final HttpClient probes;
    private final List<Slot> slots = new ArrayList<>();
    /** Every process started and not yet ended: the workers, and a replacement while a rolling restart starts it. */
    private final Set<Running> running = new HashSet<>();
    private ClusterStatus.@Nullable RollingRestart rollingRestart;
    private @Nullable CompletableFuture<ClusterStatus.RollingRestart> rolling;
    private boolean closing;

    public Supervisor(ClusterConfig config, Members members, Clock clock) {
        this.config = config;
        this.members = members;
        this.clock = clock;
        this.wrapper = wrapper();
        this.thread = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread made = new Thread(runnable, "junction-cluster");
            made.setDaemon(true);
            return made;
        });
        // The one thread must never end while a worker runs: its core thread does not time out, and every task is
        // submitted or scheduled, so what a task throws stays in its future.
        thread.setRemoveOnCancelPolicy(true);
        this.probes = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.healthTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
        for (int id = 0; id < config.workers(); id++) {
            slots.add(new Slot(id, config.basePort() + id));
        }
    }

    /**
     * Starts every worker and waits until each has answered its health check or failed to start (then it is
     * restarted in the background), up to the start timeout and a second.
     *
     * @throws IllegalStateException naming the setting, if the working directory does not exist or the program is
     *     not there to run (nothing is started)
     */
    public void start() {
        String directory = config.directory();
        if (directory != null && !Files.isDirectory(Path.of(directory))) {
            throw new IllegalStateException("cluster.directory: " + directory + " is not a directory");
        }
        String program = config.command().get(0);
        if (program(program, directory) == null) {
            throw new IllegalStateException("cluster.command: no program '" + program + "' to run ("
                    + (program.contains("/") ? "no executable file at " + Path.of(directory == null ? "" : directory)
                            .resolve(program).toAbsolutePath().normalize() : "none on the PATH") + ")");
        }
        if (wrapper.isEmpty()) {
            LOG.warn("Workers are started without setpriv and setsid (util-linux, Linux only): a worker outlives this"
                    + " process if it is killed with SIGKILL");
        }
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (Slot slot : slots) {
            Running started = onThread(() -> launch(slot, slot.port));
            ready.add(started.ready.handle((ok, failure) -> null));
        }
        try {
            CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new))
                    .get(config.startTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Each worker's own start reports and restarts it.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int up = status().up();
        if (up == 0) {
            LOG.error("Cluster started with none of its {} worker(s) up ({}); each is restarted as its status says",
                    slots.size(), String.join(" ", config.command()));
        } else {
            LOG.info("Cluster started: {} of {} worker(s) up ({})", up, slots.size(),
                    String.join(" ", config.command()));
        }
    }

    /** Returns the program a command names: a path (from the workers' directory), or a name on the PATH. */
    private static @Nullable Path program(String program, @Nullable String directory) {
        if (program.contains("/")) {
            Path path = Path.of(directory == null ? "" : directory).resolve(program);
            return Files.isExecutable(path) ? path : null;
        }
        return onPath(program);
    }

    /**
     * Returns the backends the routes the cluster serves have: every worker that is up, and a replacement a rolling
     * restart has made a backend before it replaces its worker.
     */
    public synchronized List<BackendConfig> members() {
        List<BackendConfig> backends = new ArrayList<>();
        for (Running process : running) {
            BackendConfig backend = process.backend;
            if (backend != null && !process.stopping && process.process().isAlive()) {
                backends.add(backend);
            }
        }
        return backends;
    }

    /** Returns each worker's state, and the rolling restart's. */
    public synchronized ClusterStatus status() {
        Instant now = clock.instant();
        List<WorkerStatus> workers = new ArrayList<>(slots.size());
        for (Slot slot : slots) {
            Running current = slot.current;
            boolean alive = current != null && current.process().isAlive();
            workers.add(new WorkerStatus(slot.id, slot.state, alive ? current.process().pid() : 0, slot.port,
                    current != null && current.backend != null ? current.backend.id() : null,
                    alive ? current.startedAt : null,
                    alive ? Duration.between(current.startedAt, now) : Duration.ZERO, slot.restarts,
                    slot.lastExitCode, slot.problem));
        }
        return new ClusterStatus(ProcessHandle.current().pid(), workers, rollingRestart);
    }

    /**
     * Replaces every worker, one at a time: its replacement is started on the free port, made a backend once it is
     * healthy, and only then is the worker drained and stopped. A worker left down (crash loop) is started again. One
     * runs at a time: while one goes on, this returns it.
     *
     * @param trigger what asks for it, for the log and the status
     * @return completed when the last worker is replaced, or with the restart's problem when one's replacement fails
     *     (the workers not yet replaced keep running)
     */
    public synchronized CompletableFuture<ClusterStatus.RollingRestart> rollingRestart(String trigger) {
        if (closing) {
            return CompletableFuture.failedFuture(new IllegalStateException("the cluster is stopping"));
        }
        CompletableFuture<ClusterStatus.RollingRestart> current = rolling;
        if (current != null && !current.isDone()) {
            return current;
        }
        CompletableFuture<ClusterStatus.RollingRestart> done = new CompletableFuture<>();
        rolling = done;
        rollingRestart = new ClusterStatus.RollingRestart(trigger, clock.instant(), null, 0, null);
        LOG.info("Rolling restart of {} worker(s) ({})", slots.size(), trigger);
        Thread restart = new Thread(() -> roll(done), "junction-cluster-restart");
        restart.setDaemon(true);
        restart.start();
        return done;
    }

    private void roll(CompletableFuture<ClusterStatus.RollingRestart> done) {
        int replaced = 0;
        String problem = null;
        for (Slot slot : slots) {
            try {
                replace(slot);
                replaced++;
                synchronized (this) {
                    ClusterStatus.RollingRestart now = rollingRestart;
                    if (now != null) {
                        rollingRestart = new ClusterStatus.RollingRestart(now.trigger(), now.startedAt(), null,
                                replaced, null);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problem = "interrupted";
                break;
            } catch (RuntimeException e) {
                // IllegalStateException says why in words; anything else still ends the restart, and says what.
                problem = e instanceof IllegalStateException ? e.getMessage() : e.toString();
                break;
            }
        }
        ClusterStatus.RollingRestart result;
        synchronized (this) {
            ClusterStatus.RollingRestart now = rollingRestart;
            result = new ClusterStatus.RollingRestart(now == null ? "?" : now.trigger(),
                    now == null ? clock.instant() : now.startedAt(), clock.instant(), replaced, problem);
            rollingRestart = result;
        }
        if (problem == null) {
            LOG.info("Rolling restart done: {} worker(s) replaced", replaced);
        } else {
            LOG.error("Rolling restart stopped after {} of {} worker(s): {}", replaced, slots.size(), problem);
        }
        done.complete(result);
    }

    /** Replaces one worker: the replacement up and available first, then the old one drained and stopped. */
    private void replace(Slot slot) throws InterruptedException {
        int port;
        synchronized (this) {
            if (closing) {
                throw new IllegalStateException("the cluster is stopping");
            }
            port = sparePort();
            if (slot.pendingRestart != null) {
                slot.pendingRestart.cancel(false);
                slot.pendingRestart = null;
            }
            if (startsOver(slot)) {
                // Down (restarting, or left down after a crash loop): started afresh, its exits forgotten.
                slot.exits.clear();
                slot.problem = null;
            }
        }
        Running replacement = onThread(() -> launch(slot, port));
        try {
            replacement.ready.get(config.startTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            String problem = "worker " + slot.id + "'s replacement on port " + port + " did not become healthy: "
                    + (e.getCause() != null ? e.getCause().getMessage()
                            : "no answer within " + config.startTimeout().toMillis() + " ms");
            failReplacement(slot, replacement, problem);
            throw new IllegalStateException(problem);
        }
        BackendConfig backend = backend(slot.id, port);
        boolean takesOver;
        synchronized (this) {
            // A worker that was down became this process at its start, and up() makes it a backend.
            takesOver = slot.current == replacement;
            if (!takesOver) {
                replacement.backend = backend;
            }
        }
        if (!takesOver) {
            members.add(backend);
        }
        long deadline = System.nanoTime() + config.startTimeout().toNanos();
        while (!members.available(backend.id())) {
            if (System.nanoTime() > deadline || !replacement.process().isAlive()) {
                String problem = "worker " + slot.id + "'s replacement on port " + port + " was not taken into its"
                        + " routes (their health checks) within " + config.startTimeout().toMillis() + " ms";
                if (!takesOver) {
                    members.remove(backend.id());
                }
                failReplacement(slot, replacement, problem);
                throw new IllegalStateException(problem);
            }
            Thread.sleep(POLL_MILLIS);
        }
        if (takesOver) {
            LOG.info("Worker {} started again: pid {} on port {}", slot.id, replacement.process().pid(), port);
            return;
        }
        Running old;
        String abandoned = null;
        synchronized (this) {
            if (closing || !replacement.process().isAlive()) {
                replacement.stopping = true;
                abandoned = closing ? "the cluster is stopping"
                        : "worker " + slot.id + "'s replacement on port " + port + " ended before it took over";
            }
        }
        if (abandoned != null) {
            members.remove(backend.id());
            terminate(replacement);
            throw new IllegalStateException(abandoned);
        }
        synchronized (this) {
            old = slot.current;
            slot.current = replacement;
            slot.port = port;
            slot.state = WorkerStatus.State.UP;
            slot.problem = null;
            slot.exits.clear();
            if (old != null) {
                old.stopping = true;
                old.cancelProbe();
            }
            watch(slot, replacement);
        }
        LOG.info("Worker {} replaced: pid {} on port {}", slot.id, replacement.process().pid(), port);
        if (old != null) {
            retire(old);
        }
    }

    /** Drains a worker that has been replaced, then stops it. */
    private void retire(Running old) throws InterruptedException {
        BackendConfig backend = old.backend;
        if (backend != null) {
            members.drain(backend.id());
            long deadline = System.nanoTime() + config.gracePeriod().toNanos();
            while (members.inFlight(backend.id()) > 0 && System.nanoTime() < deadline && old.process().isAlive()) {
                Thread.sleep(POLL_MILLIS);
            }
            members.remove(backend.id());
        }
        terminate(old);
        try {
            old.process().onExit().get(config.gracePeriod().toMillis() + 2000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Worker process {} did not end after SIGKILL", old.process().pid());
        }
        synchronized (this) {
            // Its end is seen on the process's own thread too; the next replacement may take its port now.
            running.remove(old);
        }
    }

    /**
     * Stops a replacement that did not become healthy. One that is the worker (it was down, and the restart started
     * it) ends as a failed start does: restarted after its delay, or left down past the crash-loop limit.
     */
    private void failReplacement(Slot slot, Running replacement, String problem) {
        synchronized (this) {
            if (slot.current == replacement) {
                replacement.reason = problem;
            } else {
                replacement.stopping = true;
            }
            replacement.cancelProbe();
        }
        terminate(replacement);
    }

    /** Returns the port of the range no worker holds: there is one more port than workers. */
    private int sparePort() {
        Set<Integer> held = new HashSet<>();
        slots.forEach(slot -> held.add(slot.port));
        running.forEach(process -> {
            if (process.process().isAlive()) {
                held.add(process.port);
            }
        });
        for (int port = config.basePort(); port <= config.basePort() + config.workers(); port++) {
            if (!held.contains(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port in " + config.basePort() + "-"
                + (config.basePort() + config.workers()) + ": a replacement is still starting");
    }

    /**
     * Stops every worker: {@code SIGTERM} to each (and its children), then {@code SIGKILL} to what is left after the
     * grace period. Called once Junction's requests have drained. Idempotent.
     */
    public void stop() {
        List<Running> stopping;
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
            for (Slot slot : slots) {
                if (slot.pendingRestart != null) {
                    slot.pendingRestart.cancel(false);
                }
                slot.state = WorkerStatus.State.STOPPED;
            }
            stopping = new ArrayList<>(running);
            stopping.forEach(process -> {
                process.stopping = true;
                process.cancelProbe();
            });
        }
        for (Running process : stopping) {
            signal(process, false);
        }
        long deadline = System.nanoTime() + config.gracePeriod().toNanos();
        for (Running process : stopping) {
            long left = deadline - System.nanoTime();
            try {
                process.process().onExit().get(Math.max(1, left), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("Worker {} (pid {}) still running {} ms after SIGTERM: killed", process.id,
                        process.process().pid(), config.gracePeriod().toMillis());
                signal(process, true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                signal(process, true);
            }
        }
        thread.shutdownNow();
        LOG.info("Cluster stopped: {} worker process(es)", stopping.size());
    }

    /**
     * Starts a process for the worker on {@code port}; on the supervisor's thread only. It is the worker from now on
     * if the worker has no live process (a start or a restart), else a replacement the caller makes the worker.
     */
    private Running launch(Slot slot, int port) {
        List<String> command = config.commandFor(slot.id, port);
        List<String> line = new ArrayList<>(wrapper);
        line.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(line);
        Map<String, String> environment = builder.environment();
        environment.putAll(config.environment());
        environment.putAll(new Worker(slot.id, port, ProcessHandle.current().pid()).environment());
        String directory = config.directory();
        if (directory != null) {
            builder.directory(new File(directory));
        }
        builder.redirectInput(ProcessBuilder.Redirect.from(new File(nullDevice())));
        Process process = null;
        String failure = null;
        synchronized (this) {
            if (closing) {
                failure = "the cluster is stopping";
            }
        }
        if (failure == null) {
            try {
                process = builder.start();
            } catch (IOException e) {
                failure = "could not start " + String.join(" ", command) + ": " + e.getMessage();
            }
        }
        Running started = new Running(slot.id, port, process, clock.instant());
        if (process == null) {
            started.ready.completeExceptionally(new IllegalStateException(failure));
            synchronized (this) {
                if (!closing && startsOver(slot)) {
                    // Counted as an exit: a program that cannot be started is restarted, then left down, like one
                    // that crashes.
                    LOG.error("Worker {} {}", slot.id, failure);
                    slot.problem = failure;
                    exited(slot, -1);
                }
            }
            return started;
        }
        pump(process.getInputStream(), STDOUT, slot.id, "out");
        pump(process.getErrorStream(), STDERR, slot.id, "err");
        synchronized (this) {
            if (closing) {
                // stop() took its list before this process was there: it goes now, before anything can use it.
                started.stopping = true;
                started.ready.completeExceptionally(new IllegalStateException("the cluster is stopping"));
                signal(started, true);
                return started;
            }
            running.add(started);
            if (startsOver(slot)) {
                slot.current = started;
                slot.port = port;
                slot.state = WorkerStatus.State.STARTING;
                started.ready.thenRun(() -> up(slot, started));
            }
        }
        LOG.info("Worker {} started: pid {}, port {}", slot.id, process.pid(), port);
        process.onExit().thenAccept(ended -> ended(slot, started, ended.exitValue()));
        long deadline = System.nanoTime() + config.startTimeout().toNanos();
        schedule(() -> startProbe(slot, started, deadline), START_PROBE_MILLIS);
        return started;
    }

    /** Returns whether the worker has no live process of its own, so a process started for it is the worker. */
    private static boolean startsOver(Slot slot) {
        Running current = slot.current;
        return current == null || current.stopping || !current.process().isAlive();
    }

    /** Tries a starting worker's health check until it answers, the start timeout passes, or the process ends. */
    private void startProbe(Slot slot, Running started, long deadline) {
        if (started.ready.isDone() || started.stopping || !started.process().isAlive()) {
            return;
        }
        probe(started).whenComplete((passed, failure) -> {
            if (Boolean.TRUE.equals(passed)) {
                started.ready.complete(null);
            } else if (System.nanoTime() > deadline) {
                String problem = "no answer to GET " + config.healthPath() + " within "
                        + config.startTimeout().toMillis() + " ms of its start";
                started.ready.completeExceptionally(new IllegalStateException(problem));
                synchronized (this) {
                    started.reason = problem;
                }
                LOG.warn("Worker {} (pid {}): {}; stopped", slot.id, started.process().pid(), problem);
                terminate(started);
            } else if (!closing) {
                schedule(() -> startProbe(slot, started, deadline), START_PROBE_MILLIS);
            }
        });
    }

    /** Makes a started (or restarted) worker a backend once it has answered, and checks it from then on. */
    private void up(Slot slot, Running started) {
        BackendConfig backend = backend(slot.id, started.port);
        synchronized (this) {
            if (closing || slot.current != started || started.stopping) {
                return;
            }
            started.backend = backend;
            slot.state = WorkerStatus.State.UP;
            watch(slot, started);
        }
        members.add(backend);
        LOG.info("Worker {} up: pid {} on port {}", slot.id, started.process().pid(), started.port);
    }

    /** Checks a running worker every health interval; too many failures in a row restart it. */
    private void watch(Slot slot, Running worker) {
        if (thread.isShutdown()) {
            return; // Stopping: nothing is checked any more.
        }
        worker.probe = thread.scheduleWithFixedDelay(() -> probe(worker).whenComplete((passed, failure) -> {
            boolean restart = false;
            synchronized (this) {
                if (worker.stopping || closing || slot.current != worker) {
                    return;
                }
                if (Boolean.TRUE.equals(passed)) {
                    worker.failures = 0;
                    return;
                }
                worker.failures++;
                if (worker.failures >= config.healthFailures()) {
                    worker.reason = "failed " + worker.failures + " health checks in a row (GET "
                            + config.healthPath() + ")";
                    worker.cancelProbe();
                    restart = true;
                }
            }
            if (restart) {
                LOG.warn("Worker {} (pid {}) {}: restarted", slot.id, worker.process().pid(), worker.reason);
                terminate(worker);
            }
        }), config.healthInterval().toMillis(), config.healthInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks the worker's health path; true for a 2xx or 3xx answer within the timeout. */
    private CompletableFuture<Boolean> probe(Running worker) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + hostInUrl() + ":" + worker.port
                + config.healthPath())).timeout(config.healthTimeout()).GET().build();
        return probes.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((response, failure) -> response != null && response.statusCode() >= 200
                        && response.statusCode() < 400);
    }

    /** A worker's process ended: forgotten, and, unless it was stopped on purpose, restarted or left down. */
    private void ended(Slot slot, Running process, int exitCode) {
        BackendConfig backend;
        synchronized (this) {
            running.remove(process);
            process.cancelProbe();
            process.ready.completeExceptionally(new IllegalStateException("exited with code " + exitCode
                    + " before it answered GET " + config.healthPath()));
            if (process.stopping || closing || slot.current != process) {
                return;
            }
            backend = process.backend;
            process.backend = null;
            slot.problem = process.reason != null ? process.reason + "; exited with code " + exitCode
                    : "exited with code " + exitCode;
            exited(slot, exitCode);
        }
        if (backend != null) {
            members.remove(backend.id());
        }
        LOG.warn("Worker {} (pid {}) ended with code {}: {}", slot.id, process.process().pid(), exitCode,
                slot.state == WorkerStatus.State.CRASH_LOOP ? "left down" : "restarted");
    }

    /** Records an exit and restarts the worker after its delay, or leaves it down past the crash-loop limit. */
    private void exited(Slot slot, int exitCode) {
        slot.lastExitCode = exitCode;
        long now = System.nanoTime();
        slot.exits.addLast(now);
        while (!slot.exits.isEmpty() && now - slot.exits.peekFirst() > config.crashLoopWindow().toNanos()) {
            slot.exits.removeFirst();
        }
        int recent = slot.exits.size();
        if (recent > config.crashLoopRestarts()) {
            slot.state = WorkerStatus.State.CRASH_LOOP;
            slot.problem = "ended " + recent + " times within " + config.crashLoopWindow().toSeconds()
                    + " s (last: " + slot.problem + "); left down until a rolling restart";
            LOG.error("Worker {} {}", slot.id, slot.problem);
            return;
        }
        long delay = Math.min(config.maxRestartDelay().toMillis(),
                config.restartDelay().toMillis() << Math.min(20, recent - 1));
        slot.state = WorkerStatus.State.RESTARTING;
        slot.restarts++;
        int port = slot.port;
        slot.pendingRestart = schedule(() -> {
            synchronized (this) {
                slot.pendingRestart = null;
                if (closing || slot.state != WorkerStatus.State.RESTARTING) {
                    return;
                }
            }
            launch(slot, port);
        }, delay);
    }

    private @Nullable ScheduledFuture<?> schedule(Runnable task, long millis) {
        try {
            return thread.schedule(task, millis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return null; // Stopped.
        }
    }

    /** Sends {@code SIGTERM} to the worker and its children, and {@code SIGKILL} after the grace period. */
    private void terminate(Running process) {
        signal(process, false);
        schedule(() -> {
            if (process.process().isAlive()) {
                LOG.warn("Worker {} (pid {}) still running {} ms after SIGTERM: killed", process.id,
                        process.process().pid(), config.gracePeriod().toMillis());
                signal(process, true);
            }
        }, config.gracePeriod().toMillis());
    }

    private static void signal(Running process, boolean kill) {
        Process handle = process.process;
        if (handle == null) {
            return;
        }
        // Children first: a worker that is a script would otherwise leave the program it started behind.
        handle.descendants().forEach(child -> {
            if (kill) {
                child.destroyForcibly();
            } else {
                child.destroy();
            }
        });
        if (kill) {
            handle.destroyForcibly();
        } else {
            handle.destroy();
        }
    }

    private <T> T onThread(java.util.concurrent.Callable<T> task) {
        try {
            return thread.submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting a worker", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a worker could not be started: " + e.getCause(), e.getCause());
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new IllegalStateException("the cluster is stopping", e);
        }
    }

    private BackendConfig backend(int id, int port) {
        return BackendConfig.builder().id("worker-" + id + "@" + port).url("http://" + hostInUrl() + ":" + port)
                .build();
    }

    private String hostInUrl() {
        String host = config.host();
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** Copies a worker's output to the log, line by line, prefixed with its id, until the process closes it. */
    private static void pump(InputStream stream, Logger log, int id, String name) {
        Thread pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    log.info("[worker-{}] {}", id, line);
                }
            } catch (IOException e) {
                // The process ended and its pipe closed.
            }
        }, "junction-worker-" + id + "-" + name);
        pump.setDaemon(true);
        pump.start();
    }

    private static String nullDevice() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows") ? "NUL" : "/dev/null";
    }

    /** Returns {@code setpriv --pdeathsig KILL -- setsid --} where both are installed (Linux), else nothing. */
    private static List<String> wrapper() {
        Path setpriv = onPath("setpriv");
        Path setsid = onPath("setsid");
        if (setpriv == null || setsid == null) {
            return List.of();
        }
        return List.of(setpriv.toString(), "--pdeathsig", "KILL", "--", setsid.toString(), "--");
    }

    private static @Nullable Path onPath(String program) {
        String path = System.getenv("PATH");
        List<String> directories = new ArrayList<>(List.of("/usr/bin", "/bin"));
        if (path != null) {
            directories.addAll(0, List.of(path.split(File.pathSeparator)));
        }
        for (String directory : directories) {
            Path candidate = Path.of(directory, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** One worker: its current process, and what its restarts have been. */
    private static final class Slot {
        final int id;
        int port;
        @Nullable Running current;
        WorkerStatus.State state = WorkerStatus.State.STARTING;
        int restarts;
        @Nullable Integer lastExitCode;
        @Nullable String problem;
        /** When the worker's recent processes ended ({@link System#nanoTime}), within the crash-loop window. */
        final ArrayDeque<Long> exits = new ArrayDeque<>();
        @Nullable ScheduledFuture<?> pendingRestart;

        Slot(int id, int port) {
            this.id = id;
            this.port = port;
        }
    }

    /** One process started for a worker. */
    private static final class Running {
        final int id;
        final int port;
        final @Nullable Process process;
        final Instant startedAt;
        /** Completed once the process answers its health check; failed if it ends or times out first. */
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        /** Set when it is stopped on purpose (replaced, or the cluster stops): its end restarts nothing. */
        volatile boolean stopping;
        /** Why the supervisor ended it (no answer at its start, failed checks), or null if it ended by itself. */
        @Nullable String reason;
        @Nullable BackendConfig backend;
        int failures;
        @Nullable ScheduledFuture<?> probe;

        Running(int id, int port, @Nullable Process process, Instant startedAt) {
            this.id = id;
            this.port = port;
            this.process = process;
            this.startedAt = startedAt;
        }

        Process process() {
            if (process == null) {
                throw new IllegalStateException("worker " + id + " has no process");
            }
            return process;
        }

        void cancelProbe() {
            if (probe != null) {
                probe.cancel(false);
            }
        }
    }
}
