package dev.junction.core.offload;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.junction.core.status.OffloadStatus;

/**
 * A fixed pool of threads with a bounded queue, for handler work too heavy for a server's I/O threads or too slow to
 * hold its container's threads (rendering, compression, cryptography, a blocking call): admitted work runs on the pool
 * in arrival order; work above {@code threads + queue} is refused at once, so an overloaded service answers
 * {@code 503} with {@code Retry-After} instead of queueing without end. A bulkhead, in Resilience4j's word; HAProxy's
 * {@code maxconn} with {@code maxqueue} on a server.
 *
 * <pre>{@code
 * Offload offload = Offload.builder("render").threads(4).queue(64).build();
 * Offload.Ticket ticket = offload.admit();
 * if (ticket == null) {
 *     // full: answer 503 with Retry-After: offload.retryAfter()
 * } else {
 *     ticket.execute(() -> render(request));
 * }
 * }</pre>
 *
 * <p>Junction's adapters use it as a handler and a filter: {@code dev.junction.undertow.OffloadHandler} and
 * {@code dev.junction.servlet.OffloadFilter}. Thread-safe.
 */
public final class Offload implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Offload.class);

    private final String name;
    private final int threads;
    private final int maxQueued;
    private final Duration retryAfter;
    private final ThreadPoolExecutor pool;
    /** Admitted and not ended: running or waiting. Admission is decided on this count, never by the queue. */
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final LongAdder completed = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder waitedNanos = new LongAdder();
    private final LongAdder started = new LongAdder();
    private final AtomicLong maxWaitNanos = new AtomicLong();
    private final @Nullable Timer waits;

    private Offload(Builder builder) {
        this.name = builder.name;
        this.threads = builder.threads;
        this.maxQueued = builder.queue;
        this.retryAfter = builder.retryAfter;
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "junction-offload-" + name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        // Unbounded underneath: what is admitted (at most threads + queue) always finds a place.
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                factory);
        MeterRegistry registry = builder.registry;
        if (registry != null) {
            Gauge.builder("junction.offload.queued", this, offload -> offload.queued()).tag("pool", name)
                    .description("Tasks waiting for a thread of the offload pool").register(registry);
            Gauge.builder("junction.offload.running", running, AtomicInteger::get).tag("pool", name)
                    .description("Tasks running on the offload pool").register(registry);
            FunctionCounter.builder("junction.offload.refused", refused, LongAdder::sum).tag("pool", name)
                    .description("Tasks refused because the offload pool and its queue were full").register(registry);
            this.waits = Timer.builder("junction.offload.wait").tag("pool", name)
                    .description("How long a task waited for a thread of the offload pool").register(registry);
        } else {
            this.waits = null;
        }
    }

    /**
     * Returns a builder of a pool named {@code name} (its threads' and metrics' name).
     *
     * @param name the pool's name: letters, digits, {@code .}, {@code _} and {@code -}
     * @return a builder with the defaults
     * @throws IllegalArgumentException if {@code name} is null or holds another character
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Admits one task, or refuses it when the pool's threads are all busy and its queue is full.
     *
     * @return the place of one task, to be given it ({@link Ticket#execute}) or given back unused
     *     ({@link Ticket#release}); null when refused: the caller answers {@code 503} with {@code Retry-After}
     *     {@link #retryAfter()}
     */
    public @Nullable Ticket admit() {
        int now = admitted.incrementAndGet();
        if (now > threads + maxQueued || pool.isShutdown()) {
            admitted.decrementAndGet();
            refused.increment();
            return null;
        }
        return new Ticket(System.nanoTime());
    }

    /**
     * A task that hears when the pool closes before it ran ({@link #close()} drops what still waits after its grace),
     * so whoever waits for it does not wait for ever.
     */
    public interface Task extends Runnable {

        /** Told instead of {@link #run()} when the pool closed before the task's turn. */
        void abandoned();
    }

    /** One admitted task's place: runs exactly one task, or is given back. */
    public final class Ticket implements Executor {

        private final long admittedAt;
        private final AtomicBoolean used = new AtomicBoolean();

        private Ticket(long admittedAt) {
            this.admittedAt = admittedAt;
        }

        /**
         * Runs {@code task} on the pool once a thread is free.
         *
         * @throws IllegalStateException if the ticket was used or given back already
         * @throws java.util.concurrent.RejectedExecutionException if the pool closed meanwhile (the place is given
         *     back)
         */
        @Override
        public void execute(Runnable task) {
            Objects.requireNonNull(task, "task");
            if (!used.compareAndSet(false, true)) {
                throw new IllegalStateException("an offload ticket runs one task");
            }
            try {
                pool.execute(new Queued(task, admittedAt));
            } catch (RejectedExecutionException e) {
                admitted.decrementAndGet();
                throw e;
            }
        }

        /** Gives the place back without running anything (the request failed before its task was handed over). */
        public void release() {
            if (used.compareAndSet(false, true)) {
                admitted.decrementAndGet();
            }
        }
    }

    /** A task in the pool's queue, with when it was admitted. */
    private final class Queued implements Runnable {
        final Runnable task;
        final long admittedAt;

        Queued(Runnable task, long admittedAt) {
            this.task = task;
            this.admittedAt = admittedAt;
        }

        @Override
        public void run() {
            Offload.this.run(task, admittedAt);
        }

        void abandon() {
            admitted.decrementAndGet();
            if (task instanceof Task told) {
                told.abandoned();
            }
        }
    }

    private void run(Runnable task, long admittedAt) {
        long waited = System.nanoTime() - admittedAt;
        waitedNanos.add(waited);
        started.increment();
        maxWaitNanos.accumulateAndGet(waited, Math::max);
        if (waits != null) {
            waits.record(waited, TimeUnit.NANOSECONDS);
        }
        running.incrementAndGet();
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.error("Offload pool {}: a task failed", name, e);
        } finally {
            running.decrementAndGet();
            admitted.decrementAndGet();
            completed.increment();
        }
    }

    /**
     * Runs {@code task} on the pool, or returns false when the pool refuses it: {@link #admit()} and
     * {@link Ticket#execute} in one call.
     *
     * @param task the task to run; one that throws is logged
     * @return true if the task was admitted, false if the pool was full or closed
     * @throws NullPointerException if {@code task} is null
     */
    public boolean execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        Ticket ticket = admit();
        if (ticket == null) {
            return false;
        }
        ticket.execute(task);
        return true;
    }

    private int queued() {
        return Math.max(0, admitted.get() - running.get());
    }

    /** {@return the pool's name} */
    public String name() {
        return name;
    }

    /** {@return what a refused request's {@code Retry-After} says} */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** {@return how busy the pool is, how long work waits, and how much it refused} */
    public OffloadStatus status() {
        long starts = started.sum();
        return new OffloadStatus(name, threads, maxQueued, running.get(), queued(), completed.sum(), refused.sum(),
                starts == 0 ? 0 : waitedNanos.sum() / 1e6 / starts, maxWaitNanos.get() / 1e6);
    }

    /**
     * Takes no more work, lets what was admitted run (up to 10 s), then interrupts what still runs and drops what still
     * waits ({@link Task#abandoned()} tells a task that asks). Idempotent.
     */
    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    /**
     * Closes as {@link #close()} does, giving admitted work {@code grace} instead of 10 s.
     *
     * @param grace how long admitted work may still run before the pool interrupts and drops it
     */
    public void close(Duration grace) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Offload pool {}: {} task(s) running and {} waiting after {} ms; stopped", name,
                        running.get(), queued(), grace.toMillis());
                abandon();
            }
        } catch (InterruptedException e) {
            abandon();
            Thread.currentThread().interrupt();
        }
    }

    private void abandon() {
        for (Runnable dropped : pool.shutdownNow()) {
            ((Queued) dropped).abandon();
        }
    }

    /** Builds an {@link Offload}. */
    public static final class Builder {
        private final String name;
        private int threads = Runtime.getRuntime().availableProcessors();
        private int queue = -1;
        private Duration retryAfter = Duration.ofSeconds(1);
        private @Nullable MeterRegistry registry;

        private Builder(String name) {
            if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("name: " + (name == null ? "null" : "'" + name + "'")
                        + " (expected: letters, digits, '.', '_' and '-')");
            }
            this.name = name;
        }

        /**
         * Sets the pool's threads, 1 to 1024; default the number of processors.
         *
         * @param threads the number of threads
         * @return this builder
         * @throws IllegalArgumentException if {@code threads} is out of range
         */
        public Builder threads(int threads) {
            if (threads < 1 || threads > 1024) {
                throw new IllegalArgumentException("threads: " + threads + " (expected: 1 to 1024)");
            }
            this.threads = threads;
            return this;
        }

        /**
         * Sets the most tasks that wait for a thread, 0 to 1000000; default 16 per thread.
         *
         * @param queue the queue's length
         * @return this builder
         * @throws IllegalArgumentException if {@code queue} is out of range
         */
        public Builder queue(int queue) {
            if (queue < 0 || queue > 1_000_000) {
                throw new IllegalArgumentException("queue: " + queue + " (expected: 0 to 1000000)");
            }
            this.queue = queue;
            return this;
        }

        /**
         * Sets what a refused request's {@code Retry-After} says, whole seconds from 1; default 1 s.
         *
         * @param retryAfter the delay to advise
         * @return this builder
         * @throws IllegalArgumentException if {@code retryAfter} is under 1 s
         */
        public Builder retryAfter(Duration retryAfter) {
            if (retryAfter.toSeconds() < 1) {
                throw new IllegalArgumentException("retryAfter: " + retryAfter + " (expected: 1 s or more)");
            }
            this.retryAfter = retryAfter;
            return this;
        }

        /**
         * Sets where the pool's queue depth, running tasks, refusals and waits are recorded; default nowhere.
         *
         * @param registry the registry of the pool's meters ({@code junction.offload.*}, tagged {@code pool})
         * @return this builder
         * @throws NullPointerException if {@code registry} is null
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Builds the pool; its threads start as tasks arrive, up to the number set.
         *
         * @return the new pool
         */
        public Offload build() {
            if (queue < 0) {
                queue = 16 * threads;
            }
            return new Offload(this);
        }
    }
}
