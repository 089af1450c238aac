package dev.junction.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StatusRangesTest {

    @Test
    void codesAndRangesAreMembers() {
        StatusRanges ranges = StatusRanges.parse("200-299, 302,404");
        assertThat(ranges.contains(200)).isTrue();
        assertThat(ranges.contains(299)).isTrue();
        assertThat(ranges.contains(302)).isTrue();
        assertThat(ranges.contains(404)).isTrue();
        assertThat(ranges.contains(301)).isFalse();
        assertThat(ranges.contains(500)).isFalse();
        assertThat(ranges).hasToString("200-299, 302,404");
    }

    @Test
    void whatIsNotAStatusSaysWhichPart() {
        assertThatThrownBy(() -> StatusRanges.parse("200-x"))
                .hasMessage("'200-x' is not a status or a range such as 200-399");
        assertThatThrownBy(() -> StatusRanges.parse("399-200")).hasMessageContaining("'399-200' is not within 100-599");
        assertThatThrownBy(() -> StatusRanges.parse("200,")).hasMessageContaining("'' is not a status");
        assertThatThrownBy(() -> StatusRanges.parse("99")).hasMessageContaining("within 100-599");
    }
}
