package dev.junction.core.internal;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.LongAdder;

import dev.junction.core.spi.Availability;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.BackendState;
import dev.junction.core.spi.Ticker;

/**
 * The live numbers of one backend: requests in flight, totals, an exponentially-weighted moving average (EWMA) of
 * response time, and availability. Kept apart from the definition ({@link Backend#config()}), so updating a
 * backend's weight keeps its numbers.
 *
 * <p>Thread-safe and lock-free. What strategies read on every selection (in-flight, EWMA, availability) is a single
 * volatile read of a field of this object, with no further object to reach; write-mostly totals are
 * {@link LongAdder}s.
 *
 * <p>The EWMA is time-based, as Finagle's peak-EWMA: a sample's influence fades with the time since the previous
 * sample ({@value #DECAY_SECONDS} s time constant), not with the number of samples, so a burst does not erase history
 * and a quiet backend's figure stays meaningful. Compared through {@link #responseTimeRank()}, the average also fades
 * toward zero while no sample arrives, so a backend that was once slow and then got no traffic is tried again after
 * a while rather than shunned for ever.
 */
public final class LiveState extends BackendState {

    /** The EWMA time constant, in seconds. */
    public static final int DECAY_SECONDS = 10;
    private static final double DECAY_NANOS = DECAY_SECONDS * 1e9;

    private static final AtomicIntegerFieldUpdater<LiveState> IN_FLIGHT =
            AtomicIntegerFieldUpdater.newUpdater(LiveState.class, "inFlight");

    private final AtomicInteger tunnels = new AtomicInteger();
    private final Ticker ticker;
    private volatile int inFlight;
    private final LongAdder requests = new LongAdder();
    private final LongAdder successes = new LongAdder();
    private final LongAdder failures = new LongAdder();
    /** The EWMA in nanoseconds, as the bits of a double; 0 until the first sample. */
    private volatile long ewmaBits = Double.doubleToRawLongBits(0.0);
    private volatile long lastSampleNanos;
    /** See {@link #responseTimeRank()}. */
    private volatile double rank = Double.NaN;
    private volatile Availability availability = Availability.HEALTHY;
    /** Why real traffic keeps the backend out now, as bits: {@link #EJECTED}, {@link #BREAKER_OPEN}. */
    private volatile int blocked;
    /**
     * When the current slow-start ramp began, or {@link #NOT_RAMPING}: one field, so that ending a ramp (a
     * compare-and-set from the start it saw) can never undo a ramp started meanwhile.
     */
    private volatile long rampSinceNanos = NOT_RAMPING;
    private static final long NOT_RAMPING = Long.MIN_VALUE;
    private static final AtomicLongFieldUpdater<LiveState> RAMP_SINCE =
            AtomicLongFieldUpdater.newUpdater(LiveState.class, "rampSinceNanos");

    /**
     * Returns the live state of a backend Junction created: the mutable side of its read-only
     * {@link Backend#state()}.
     */
    public static LiveState of(Backend backend) {
        return (LiveState) backend.state();
    }

    /** Creates the state of a new backend: healthy, nothing in flight, no samples. */
    public LiveState(Ticker ticker) {
        this.ticker = ticker;
        this.lastSampleNanos = ticker.nanos();
    }

    /**
     * Holds a tunnel for an upgrade request if fewer than {@code limit} are held (any number when {@code limit} is
     * 0): the upgrade then either {@link #tunnelOpened() opens} it or {@link #tunnelReleased() gives it back}.
     *
     * @return false if the backend is at its tunnel limit and nothing was held
     */
    public boolean tryHoldTunnel(int limit) {
        if (limit <= 0) {
            tunnels.incrementAndGet();
            return true;
        }
        for (int current = tunnels.get(); current < limit; current = tunnels.get()) {
            if (tunnels.compareAndSet(current, current + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Gives back a tunnel {@link #tryHoldTunnel held} for an upgrade the backend did not accept. */
    public void tunnelReleased() {
        tunnels.decrementAndGet();
    }

    /**
     * A tunnel {@link #tryHoldTunnel held} for an upgrade opened (a WebSocket after its {@code 101}): it counts as a
     * request in flight while it lasts, so balancing sees the load it carries and draining waits for it.
     */
    public void tunnelOpened() {
        IN_FLIGHT.incrementAndGet(this);
    }

    /** A tunnel {@link #tunnelOpened() opened} to the backend closed. */
    public void tunnelClosed() {
        IN_FLIGHT.decrementAndGet(this);
        tunnels.decrementAndGet();
    }

    /** Returns the tunnels open to the backend now, with those held for upgrades under way. */
    public int tunnels() {
        return tunnels.get();
    }

    /** Returns the number of requests currently in flight to the backend. */
    @Override
    public int inFlight() {
        return inFlight;
    }

    /**
     * Counts a request as started if fewer than {@code limit} are in flight (any number when {@code limit} is 0).
     * Every successful call must be followed by exactly one {@link #requestEnded(boolean, long)}.
     *
     * @return false if the backend is at its limit and nothing was counted
     */
    public boolean tryAcquire(int limit) {
        if (limit <= 0) {
            IN_FLIGHT.incrementAndGet(this);
            requests.increment();
            return true;
        }
        // Fast path first: a plain read rules out a full backend without a failed CAS.
        for (int current = inFlight; current < limit; current = inFlight) {
            if (IN_FLIGHT.compareAndSet(this, current, current + 1)) {
                requests.increment();
                return true;
            }
        }
        return false;
    }

    /** Takes back a {@link #tryAcquire} whose request was never sent (its breaker refused it). */
    public void cancelAcquire() {
        IN_FLIGHT.decrementAndGet(this);
        requests.decrement();
    }

    /**
     * Counts a request as finished and, if it succeeded, feeds its response time into the EWMA. Failures do not feed
     * the average: a refused connection answers fast and would make a broken backend look quick.
     */
    public void requestEnded(boolean success, long responseNanos) {
        IN_FLIGHT.decrementAndGet(this);
        if (success) {
            successes.increment();
            recordResponseTime(responseNanos);
        } else {
            failures.increment();
        }
    }

    /**
     * Counts a request as finished by its client's doing (the client left, or failed to send its body): neither a
     * success nor a failure of the backend.
     */
    public void requestAbandoned() {
        IN_FLIGHT.decrementAndGet(this);
    }

    /**
     * Feeds one response time into the EWMA. Concurrent samples may occasionally overwrite one another; for a
     * balancing heuristic that is cheaper than a lock and changes nothing measurable.
     */
    public void recordResponseTime(long responseNanos) {
        long now = ticker.nanos();
        // A response is never instant; at least a nanosecond keeps 0 meaning "no sample" and the rank finite.
        long nanos = Math.max(1, responseNanos);
        double previous = Double.longBitsToDouble(ewmaBits);
        double next;
        if (previous == 0.0) {
            next = nanos;
        } else {
            double w = Math.exp(-Math.max(0, now - lastSampleNanos) / DECAY_NANOS);
            next = previous * w + nanos * (1.0 - w);
        }
        ewmaBits = Double.doubleToRawLongBits(next);
        lastSampleNanos = now;
        rank = Math.log(next) + now / DECAY_NANOS;
    }

    /** Returns the EWMA of response time in nanoseconds as of the last sample, or 0 before the first. */
    @Override
    public double responseTimeNanos() {
        return Double.longBitsToDouble(ewmaBits);
    }

    /**
     * Returns the EWMA's rank: {@code ln(ewma) + t/τ}, where {@code t} is the time of the last sample. That is the
     * logarithm of the average faded by the time since that sample ({@code ewma × e^(−(now − t)/τ)}) plus
     * {@code now/τ}, a term the same for every backend at any instant; so comparing ranks compares faded averages
     * without reading the clock or computing an exponential. NaN before the first sample.
     */
    @Override
    public double responseTimeRank() {
        return rank;
    }

    /** Returns the ticker this state reads time from. */
    public Ticker ticker() {
        return ticker;
    }

    @Override
    public long requests() {
        return requests.sum();
    }

    @Override
    public long successes() {
        return successes.sum();
    }

    @Override
    public long failures() {
        return failures.sum();
    }

    private static final int EJECTED = 1;
    private static final int BREAKER_OPEN = 2;
    private static final AtomicIntegerFieldUpdater<LiveState> BLOCKED =
            AtomicIntegerFieldUpdater.newUpdater(LiveState.class, "blocked");

    /** Returns whether real traffic has ejected the backend for now (outlier detection). */
    @Override
    public boolean ejected() {
        return (blocked & EJECTED) != 0;
    }

    /** Ejects the backend, or lets it back in. */
    public void ejected(boolean ejected) {
        block(EJECTED, ejected);
    }

    /** Returns whether the backend's circuit breaker is open: no request may go to it. */
    @Override
    public boolean breakerOpen() {
        return (blocked & BREAKER_OPEN) != 0;
    }

    /** Marks the backend's circuit breaker open, or no longer open. */
    public void breakerOpen(boolean open) {
        block(BREAKER_OPEN, open);
    }

    /** Returns whether real traffic keeps the backend out (ejected, or its breaker open): one volatile read. */
    @Override
    public boolean blocked() {
        return blocked != 0;
    }

    private void block(int bit, boolean on) {
        int current;
        do {
            current = blocked;
        } while (!BLOCKED.compareAndSet(this, current, on ? current | bit : current & ~bit));
    }

    /** Marks the start of a slow-start ramp, now. */
    public void startRamp() {
        long now = ticker.nanos();
        rampSinceNanos = now == NOT_RAMPING ? now + 1 : now;
    }

    /**
     * Returns the share of its full traffic the backend takes during a slow-start ramp of {@code windowNanos} that
     * begins at {@code minShare}: from {@code minShare} growing linearly to 1 at the end of the window; 1 when it is
     * not ramping.
     */
    public double rampShare(long nowNanos, long windowNanos, double minShare) {
        long since = rampSinceNanos;
        if (since == NOT_RAMPING) {
            return 1.0;
        }
        double elapsed = (double) (nowNanos - since) / windowNanos;
        if (elapsed >= 1.0) {
            endRamp(since);
            return 1.0;
        }
        return Math.max(minShare, elapsed);
    }

    /**
     * Ends the ramp that began at {@code since}, seen to be over; a ramp started since then (the backend came back
     * again as a selection looked at the old one) goes on. Returns whether it ended the ramp.
     */
    boolean endRamp(long since) {
        return RAMP_SINCE.compareAndSet(this, since, NOT_RAMPING);
    }

    @Override
    public Availability availability() {
        return availability;
    }

    /** Sets the availability as an operator (or the pool's owner) decides; it holds until the next health verdict. */
    public void availability(Availability availability) {
        Objects.requireNonNull(availability, "availability");
        synchronized (this) {
            this.availability = availability;
        }
    }

    /**
     * Applies an active check's verdict ({@link Availability#HEALTHY} or {@link Availability#UNHEALTHY}), unless an
     * operator is draining the backend: a drained backend stays drained whatever its checks say, until an operator
     * sets it otherwise (HAProxy's {@code drain} state holds the same way).
     */
    public void healthVerdict(Availability verdict) {
        Objects.requireNonNull(verdict, "verdict");
        synchronized (this) {
            if (availability != Availability.DRAINING) {
                availability = verdict;
            }
        }
    }

    @Override
    public String toString() {
        return "BackendState{" + availability + ", inFlight=" + inFlight() + ", requests=" + requests()
                + ", failures=" + failures() + ", ewmaMs=" + String.format("%.3f", responseTimeNanos() / 1e6) + '}';
    }
}
