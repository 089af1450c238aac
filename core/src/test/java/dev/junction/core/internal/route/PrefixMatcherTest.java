package dev.junction.core.internal.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
    void longPrefixesMatchToo() {
        String deep = "/" + "segment/".repeat(12) + "end";
        PrefixMatcher<String> withLong = PrefixMatcher.of(List.of("/segment", deep), Function.identity());
        assertThat(withLong.match(deep + "/x")).isEqualTo(deep);
        assertThat(withLong.match(deep)).isEqualTo(deep);
        assertThat(withLong.match(deep + "s")).isEqualTo("/segment");
    }

    @Test
    void withoutARootRouteUnmatchedPathsMatchNothing() {
        PrefixMatcher<String> noRoot = PrefixMatcher.of(List.of("/api"), Function.identity());
        assertThat(noRoot.match("/apix")).isNull();
        assertThat(noRoot.match("/")).isNull();
        assertThat(noRoot.match("")).isNull();
    }

    @Test
    void agreesWithComparingEveryPrefixOverManyRoutesAndPaths() {
        Random random = new Random(5);
        String[] segments = {"a", "b", "api", "v1", "v2", "x.y", "%2F", "items", "Aa", "BB"};
        List<String> prefixes = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String prefix = randomPath(random, segments, 1 + random.nextInt(4));
            if (!prefixes.contains(prefix)) {
                prefixes.add(prefix);
            }
        }
        PrefixMatcher<String> many = PrefixMatcher.of(prefixes, Function.identity());
        for (int i = 0; i < 20_000; i++) {
            String path = randomPath(random, segments, random.nextInt(7)) + (random.nextBoolean() ? "" : "/");
            String expected = null;
            for (String prefix : prefixes) {
                if (PrefixMatcher.matches(prefix, path) && (expected == null || prefix.length() > expected.length())) {
                    expected = prefix;
                }
            }
            assertThat(many.match(path)).as(path).isEqualTo(expected);
        }
    }

    private static String randomPath(Random random, String[] segments, int depth) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            path.append('/').append(segments[random.nextInt(segments.length)]);
        }
        return path.length() == 0 ? "/" : path.toString();
    }

    @Test
    void rejectsTheSamePrefixTwice() {
        assertThatThrownBy(() -> PrefixMatcher.of(List.of("/api", "/api/"), Function.identity()))
                .hasMessage("prefix: '/api' (expected: each prefix once)");
        assertThatThrownBy(() -> PrefixMatcher.of(List.of("api"), Function.identity()))
                .hasMessage("prefix: 'api' (expected: a path starting with '/')");
    }
}
