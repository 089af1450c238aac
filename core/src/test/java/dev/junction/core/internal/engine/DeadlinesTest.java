package dev.junction.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.junction.core.internal.FakeTicker;
import dev.junction.core.internal.ManualScheduler;

/** The deadline sweep, on a hand-driven clock: each sweep falls due when the test moves time past it. */
class DeadlinesTest {

    private final FakeTicker ticker = new FakeTicker();
    private final ManualScheduler scheduler = new ManualScheduler(ticker);
    private final Deadlines deadlines = new Deadlines(10, ticker);

    /** A watched item whose deadline a test moves, counting expiries. */
    private static final class Item implements Deadlines.Watched {
        volatile long deadline;
        final AtomicInteger expiries = new AtomicInteger();

        @Override
        public long deadlineNanos() {
            return deadline;
        }

        @Override
        public void expired(long passed) {
            deadline = 0;
            expiries.incrementAndGet();
        }
    }

    @BeforeEach
    void start() {
        deadlines.start(scheduler);
    }

    @AfterEach
    void stop() {
        deadlines.stop();
    }

    private long in(long millis) {
        return ticker.nanos() + Duration.ofMillis(millis).toNanos();
    }

    @Test
    void aPassedDeadlineExpiresAtTheNextSweepAndAClearedOneDoesNot() {
        Item late = new Item();
        late.deadline = in(20);
        Item cleared = new Item();
        cleared.deadline = in(20);
        deadlines.watch(late);
        deadlines.watch(cleared);
        cleared.deadline = 0;

        scheduler.advance(Duration.ofMillis(19));
        assertThat(late.expiries).as("not yet due").hasValue(0);
        scheduler.advance(Duration.ofMillis(10));
        assertThat(late.expiries).as("late by at most one tick").hasValue(1);
        assertThat(cleared.expiries).hasValue(0);
        scheduler.advance(Duration.ofMillis(100));
        assertThat(late.expiries).as("expired once").hasValue(1);
    }

    @Test
    void aCancelledItemIsNeverExpiredAndItsTicketIsDropped() {
        Item cancelled = new Item();
        cancelled.deadline = in(30);
        deadlines.watch(cancelled).cancel();
        Item witness = new Item();
        witness.deadline = in(60);
        Deadlines.Ticket witnessTicket = deadlines.watch(witness);

        scheduler.advance(Duration.ofMillis(70));
        assertThat(witness.expiries).hasValue(1);
        assertThat(cancelled.expiries).hasValue(0);
        assertThat(deadlines.size()).isEqualTo(1);

        witnessTicket.cancel();
        scheduler.advance(Duration.ofMillis(10));
        assertThat(deadlines.size()).isEqualTo(0);
    }

    @Test
    void theTickIsATenthOfTheShortestTimeoutWithinBounds() {
        assertThat(Deadlines.tickFor(5000)).isEqualTo(250);
        assertThat(Deadlines.tickFor(1000)).isEqualTo(100);
        assertThat(Deadlines.tickFor(20)).isEqualTo(10);
    }
}
