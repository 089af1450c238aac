package dev.junction.core.offload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.junction.core.status.OffloadStatus;

class OffloadTest {

    @Test
    void admitsUpToItsThreadsAndQueueAndRefusesAboveThemUntilOneEnds() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Offload offload = Offload.builder("heavy").threads(2).queue(1).meterRegistry(registry).build()) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch ran = new CountDownLatch(3);
            Runnable blocked = () -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ran.countDown();
            };
            for (int i = 0; i < 3; i++) {
                assertThat(offload.execute(blocked)).as("task " + i).isTrue();
            }
            await("two running, one waiting").atMost(Duration.ofSeconds(5))
                    .until(() -> offload.status().running() == 2);
            assertThat(offload.admit()).as("above two threads and one place in the queue").isNull();
            assertThat(offload.execute(() -> { })).isFalse();
            OffloadStatus full = offload.status();
            assertThat(full.queued()).isEqualTo(1);
            assertThat(full.refused()).isEqualTo(2);

            release.countDown();
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            await("all ended").atMost(Duration.ofSeconds(5)).until(() -> offload.status().completed() == 3);
            Offload.Ticket ticket = offload.admit();
            assertThat(ticket).as("a place again").isNotNull();
            CountDownLatch last = new CountDownLatch(1);
            ticket.execute(() -> last.countDown());
            assertThat(last.await(5, TimeUnit.SECONDS)).isTrue();

            OffloadStatus after = offload.status();
            assertThat(after.maxWaitMillis()).as("the third waited for a thread").isGreaterThan(0);
            assertThat(after.meanWaitMillis()).isGreaterThan(0).isLessThanOrEqualTo(after.maxWaitMillis());
            assertThat(registry.get("junction.offload.refused").tag("pool", "heavy").functionCounter().count())
                    .isEqualTo(2);
            assertThat(registry.get("junction.offload.wait").tag("pool", "heavy").timer().count()).isEqualTo(4);
        }
    }

    @Test
    void runsTasksOnThreadsNamedAfterThePoolAndSurvivesAFailingTask() throws Exception {
        try (Offload offload = Offload.builder("render").threads(1).queue(0).build()) {
            CountDownLatch failed = new CountDownLatch(1);
            assertThat(offload.execute(() -> {
                failed.countDown();
                throw new IllegalStateException("a failing task");
            })).isTrue();
            assertThat(failed.await(5, TimeUnit.SECONDS)).isTrue();
            await("the failure counted as an end").atMost(Duration.ofSeconds(5))
                    .until(() -> offload.status().completed() == 1);
            String[] thread = new String[1];
            CountDownLatch ran = new CountDownLatch(1);
            assertThat(offload.execute(() -> {
                thread[0] = Thread.currentThread().getName();
                ran.countDown();
            })).isTrue();
            assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(thread[0]).startsWith("junction-offload-render-");
        }
    }

    @Test
    void aTicketRunsOneTaskOrIsGivenBackAndClosingTellsTheTasksThatNeverRan() throws Exception {
        Offload offload = Offload.builder("once").threads(1).queue(1).build();
        Offload.Ticket unused = offload.admit();
        assertThat(unused).isNotNull();
        unused.release();
        unused.release();
        assertThat(offload.status().queued()).as("given back once").isZero();

        CountDownLatch release = new CountDownLatch(1);
        Offload.Ticket first = offload.admit();
        first.execute(() -> {
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThatThrownBy(() -> first.execute(() -> { })).hasMessage("an offload ticket runs one task");
        CountDownLatch abandoned = new CountDownLatch(1);
        offload.admit().execute(new Offload.Task() {
            @Override
            public void run() {
                throw new AssertionError("the pool closed before its turn");
            }

            @Override
            public void abandoned() {
                abandoned.countDown();
            }
        });
        Thread closing = new Thread(() -> offload.close(Duration.ofMillis(300)));
        closing.start();
        // The running task holds the only thread past close's grace; it is interrupted then, the waiting one told.
        assertThat(abandoned.await(20, TimeUnit.SECONDS)).isTrue();
        closing.join(20_000);
        assertThat(offload.admit()).as("closed").isNull();
    }

    @Test
    void refusesSettingsOutOfRangeNamingThem() {
        assertThatThrownBy(() -> Offload.builder("a b")).hasMessage("name: 'a b' (expected: letters, digits, '.',"
                + " '_' and '-')");
        assertThatThrownBy(() -> Offload.builder("x").threads(0)).hasMessage("threads: 0 (expected: 1 to 1024)");
        assertThatThrownBy(() -> Offload.builder("x").queue(-1)).hasMessage("queue: -1 (expected: 0 to 1000000)");
        assertThatThrownBy(() -> Offload.builder("x").retryAfter(Duration.ofMillis(500)))
                .hasMessage("retryAfter: PT0.5S (expected: 1 s or more)");
        try (Offload defaults = Offload.builder("x").threads(2).build()) {
            assertThat(defaults.status().maxQueued()).isEqualTo(32);
            assertThat(defaults.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        }
    }
}
