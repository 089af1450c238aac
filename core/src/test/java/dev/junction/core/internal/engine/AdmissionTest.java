package dev.junction.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.junction.core.config.LimitsConfig;

class AdmissionTest {

    @Test
    void withoutCapsEverythingIsAdmitted() {
        Admission admission = new Admission(LimitsConfig.DEFAULT, 2);

        for (int i = 0; i < 1000; i++) {
            assertThat(admission.enter(0)).isNull();
            assertThat(admission.takeQueuePlace()).isTrue();
        }
        assertThat(admission.refused()).isZero();
    }

    @Test
    void aHotRouteBorrowsHalfOfWhatTheOthersLeaveUnusedAndNoMore() {
        // Two routes, 8 places: a share of 4 each.
        Admission admission = new Admission(LimitsConfig.DEFAULT.withMaxExchanges(8), 2);

        int hot = 0;
        while (admission.enter(0) == null) {
            hot++;
        }
        assertThat(hot).as("its share of 4, and 2 of the 4 the quiet route leaves unused").isEqualTo(6);
        assertThat(admission.refused()).isEqualTo(1);

        // The quiet route finds its places free.
        assertThat(admission.enter(1)).isNull();
        assertThat(admission.enter(1)).isNull();
        assertThat(admission.enter(1)).as("the gateway is at its cap")
                .isEqualTo("the gateway is at its limit of 8 exchanges in flight (limits.maxExchanges)");

        // A place the hot route gives back goes to the quiet route, below its share; the hot one cannot retake it.
        admission.exit(0);
        assertThat(admission.enter(0)).startsWith("the route has its share of the gateway's 8 exchanges");
        assertThat(admission.enter(1)).isNull();
    }

    @Test
    void queuedRequestsAreCappedAcrossRoutes() {
        Admission admission = new Admission(LimitsConfig.DEFAULT.withMaxQueued(2), 3);

        assertThat(admission.takeQueuePlace()).isTrue();
        assertThat(admission.takeQueuePlace()).isTrue();
        assertThat(admission.takeQueuePlace()).isFalse();
        admission.giveQueuePlace();
        assertThat(admission.takeQueuePlace()).isTrue();
    }
}
