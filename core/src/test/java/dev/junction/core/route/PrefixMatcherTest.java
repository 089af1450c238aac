package dev.junction.core.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

class PrefixMatcherTest {

    private final PrefixMatcher<String> matcher = PrefixMatcher.of(
            List.of("/api", "/api/v2/", "/static", "/"), Function.identity());

    @Test
    void matchesWholeSegmentsOnly() {
        assertThat(matcher.match("/api")).isEqualTo("/api");
        assertThat(matcher.match("/api/")).isEqualTo("/api");
        assertThat(matcher.match("/api/users?x=1")).isEqualTo("/api");
        assertThat(matcher.match("/apix")).isEqualTo("/");
        assertThat(matcher.match("/staticfiles/a.css")).isEqualTo("/");
    }

    @Test
    void longestPrefixWins() {
        assertThat(matcher.match("/api/v2")).isEqualTo("/api/v2/");
        assertThat(matcher.match("/api/v2/users")).isEqualTo("/api/v2/");
        assertThat(matcher.match("/api/v20")).isEqualTo("/api");
    }

    @Test
    void withoutARootRouteUnmatchedPathsMatchNothing() {
        PrefixMatcher<String> noRoot = PrefixMatcher.of(List.of("/api"), Function.identity());
        assertThat(noRoot.match("/apix")).isNull();
        assertThat(noRoot.match("/")).isNull();
        assertThat(noRoot.match("")).isNull();
    }

    @Test
    void rejectsTheSamePrefixTwice() {
        assertThatThrownBy(() -> PrefixMatcher.of(List.of("/api", "/api/"), Function.identity()))
                .hasMessage("prefix: '/api' (expected: each prefix once)");
    }
}
