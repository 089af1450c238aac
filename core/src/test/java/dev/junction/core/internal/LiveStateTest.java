package dev.junction.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class LiveStateTest {

    private final FakeTicker ticker = new FakeTicker();
    private final LiveState state = new LiveState(ticker);

    @Test
    void tryAcquireRespectsTheLimitAndCountsRequests() {
        assertThat(state.tryAcquire(2)).isTrue();
        assertThat(state.tryAcquire(2)).isTrue();
        assertThat(state.tryAcquire(2)).isFalse();
        assertThat(state.inFlight()).isEqualTo(2);
        assertThat(state.requests()).isEqualTo(2);
        state.requestEnded(true, 1_000);
        state.requestEnded(false, 1_000);
        assertThat(state.inFlight()).isZero();
        assertThat(state.successes()).isEqualTo(1);
        assertThat(state.failures()).isEqualTo(1);
        assertThat(state.tryAcquire(0)).isTrue();
    }

    @Test
    void firstSampleSetsTheAverageAndLaterOnesWeighByElapsedTime() {
        state.recordResponseTime((long) ms(100));
        assertThat(state.responseTimeNanos()).isEqualTo(ms(100));
        // After one time constant the old average keeps e^-1 of its weight.
        ticker.advance(Duration.ofSeconds(LiveState.DECAY_SECONDS));
        state.recordResponseTime((long) ms(0));
        assertThat(state.responseTimeNanos()).isCloseTo(ms(100) * Math.exp(-1), within(1.0));
    }

    @Test
    void samplesCloseTogetherMoveTheAverageLittle() {
        state.recordResponseTime((long) ms(10));
        ticker.advance(Duration.ofMillis(10));
        state.recordResponseTime((long) ms(1_000));
        assertThat(state.responseTimeNanos()).isLessThan(ms(11));
    }

    @Test
    void failuresDoNotFeedTheAverage() {
        state.tryAcquire(0);
        state.requestEnded(false, 1);
        assertThat(state.responseTimeNanos()).isZero();
    }

    @Test
    void ranksCompareAveragesFadedByTheTimeSinceTheirLastSample() {
        assertThat(state.responseTimeRank()).as("no sample yet").isNaN();
        LiveState other = new LiveState(ticker);
        state.recordResponseTime((long) ms(100));
        ticker.advance(Duration.ofSeconds(20));
        other.recordResponseTime((long) ms(20));
        // Now: 100 ms faded by e^-2 (13.5 ms) against a fresh 20 ms; the ranks differ by the logarithm of the ratio.
        double faded = ms(100) * Math.exp(-2);
        assertThat(other.responseTimeRank() - state.responseTimeRank())
                .isCloseTo(Math.log(ms(20) / faded), within(1e-9));
        assertThat(state.responseTimeNanos()).isEqualTo(ms(100));
        ticker.advance(Duration.ofSeconds(60));
        assertThat(other.responseTimeRank() - state.responseTimeRank())
                .as("the time since both samples fades both alike").isCloseTo(Math.log(ms(20) / faded), within(1e-9));
    }

    @Test
    void anInstantResponseStillCountsAsASample() {
        state.recordResponseTime(0);
        assertThat(state.responseTimeNanos()).isEqualTo(1.0);
        assertThat(state.responseTimeRank()).isFinite();
    }

    private static double ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }

    @Test
    void aRampStartedWhileAnOldOneIsSeenToEndIsNeverLost() {
        long window = Duration.ofSeconds(10).toNanos();
        state.startRamp();
        long oldStart = ticker.nanos();
        ticker.advance(Duration.ofSeconds(20));
        // A selection reads the old ramp's start and finds it over; before it ends that ramp, the backend comes back
        // and a new ramp starts.
        state.startRamp();

        assertThat(state.endRamp(oldStart)).as("the end decided on the old ramp").isFalse();
        assertThat(state.rampShare(ticker.nanos(), window, 0.1)).as("the new ramp goes on").isEqualTo(0.1);
        ticker.advance(Duration.ofSeconds(10));
        assertThat(state.rampShare(ticker.nanos(), window, 0.1)).isEqualTo(1.0);
    }
}
