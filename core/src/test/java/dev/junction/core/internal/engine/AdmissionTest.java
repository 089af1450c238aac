package dev.junction.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.junction.core.config.LimitsConfig;

class AdmissionTest {

    @Test
    void withoutCapsEverythingIsAdmitted() {
        Admission.Slot route = new Admission.Slot();
        Admission admission = new Admission(LimitsConfig.DEFAULT, List.of(route, new Admission.Slot()));

        for (int i = 0; i < 1000; i++) {
            assertThat(admission.enter(route)).isNull();
            assertThat(admission.takeQueuePlace()).isTrue();
        }
        assertThat(admission.refused()).isZero();
    }

    @Test
    void aHotRouteBorrowsHalfOfWhatTheOthersLeaveUnusedAndNoMore() {
        // Two routes, 8 places: a share of 4 each.
        Admission.Slot hotRoute = new Admission.Slot();
        Admission.Slot quietRoute = new Admission.Slot();
        Admission admission = new Admission(LimitsConfig.DEFAULT.withMaxExchanges(8), List.of(hotRoute, quietRoute));

        int hot = 0;
        while (admission.enter(hotRoute) == null) {
            hot++;
        }
        assertThat(hot).as("its share of 4, and 2 of the 4 the quiet route leaves unused").isEqualTo(6);
        assertThat(admission.refused()).isEqualTo(1);

        // The quiet route finds its places free.
        assertThat(admission.enter(quietRoute)).isNull();
        assertThat(admission.enter(quietRoute)).isNull();
        assertThat(admission.enter(quietRoute)).as("the gateway is at its cap")
                .isEqualTo("the gateway is at its limit of 8 exchanges in flight (limits.maxExchanges)");

        // A place the hot route gives back goes to the quiet route, below its share; the hot one cannot retake it.
        admission.exit(hotRoute);
        assertThat(admission.enter(hotRoute)).startsWith("the route has its share of the gateway's 8 exchanges");
        assertThat(admission.enter(quietRoute)).isNull();
    }

    @Test
    void queuedRequestsAreCappedAcrossRoutes() {
        Admission admission = new Admission(LimitsConfig.DEFAULT.withMaxQueued(2),
                List.of(new Admission.Slot(), new Admission.Slot(), new Admission.Slot()));

        assertThat(admission.takeQueuePlace()).isTrue();
        assertThat(admission.takeQueuePlace()).isTrue();
        assertThat(admission.takeQueuePlace()).isFalse();
        admission.giveQueuePlace();
        assertThat(admission.takeQueuePlace()).isTrue();
    }

    @Test
    void aRouteThatLeftTheConfigurationGivesItsPlacesBackAndNoLongerHoldsAShare() {
        Admission.Slot staying = new Admission.Slot();
        Admission.Slot leaving = new Admission.Slot();
        Admission admission = new Admission(LimitsConfig.DEFAULT.withMaxExchanges(4), List.of(staying, leaving));
        assertThat(admission.enter(leaving)).isNull();

        admission.routes(List.of(staying));

        assertThat(admission.enter(staying)).isNull();
        assertThat(admission.enter(staying)).isNull();
        assertThat(admission.enter(staying)).as("the whole cap is its share now, less the place still taken").isNull();
        assertThat(admission.enter(staying)).startsWith("the gateway is at its limit of 4");
        admission.exit(leaving);
        assertThat(leaving.exchanges()).isZero();
        assertThat(admission.enter(staying)).isNull();
    }
}
