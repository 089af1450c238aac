package dev.junction.core.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeadlinesTest {

    private final ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler("deadlines-test", true);
    private final Deadlines deadlines = new Deadlines(10);

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
    void start() throws Exception {
        scheduler.start();
        deadlines.start(scheduler);
    }

    @AfterEach
    void stop() throws Exception {
        deadlines.stop();
        scheduler.stop();
    }

    @Test
    void aPassedDeadlineExpiresAndAClearedOneDoesNot() {
        Item late = new Item();
        late.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        Item cleared = new Item();
        cleared.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        deadlines.watch(late);
        deadlines.watch(cleared);
        cleared.deadline = 0;

        await().atMost(Duration.ofSeconds(2)).until(() -> late.expiries.get() == 1);
        assertThat(cleared.expiries).hasValue(0);
    }

    @Test
    void aCancelledItemIsNeverExpiredAndItsTicketIsDropped() {
        Item cancelled = new Item();
        cancelled.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30);
        deadlines.watch(cancelled).cancel();
        Item witness = new Item();
        witness.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(60);
        Deadlines.Ticket witnessTicket = deadlines.watch(witness);

        await().atMost(Duration.ofSeconds(2)).until(() -> witness.expiries.get() == 1);
        assertThat(cancelled.expiries).hasValue(0);
        assertThat(deadlines.size()).isEqualTo(1);

        witnessTicket.cancel();
        await().atMost(Duration.ofSeconds(2)).until(() -> deadlines.size() == 0);
    }

    @Test
    void theTickIsATenthOfTheShortestTimeoutWithinBounds() {
        assertThat(Deadlines.tickFor(5000)).isEqualTo(250);
        assertThat(Deadlines.tickFor(1000)).isEqualTo(100);
        assertThat(Deadlines.tickFor(20)).isEqualTo(10);
    }
}
