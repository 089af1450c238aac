package dev.junction.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.junction.core.http.Fields;

class RequestIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "0af7651916cd43dd8448eb211c80319c", "order-42.a_b~c:d/e+f=",
        "550e8400-e29b-41d4-a716-446655440000"})
    void aSafeClientIdIsKept(String id) {
        assertThat(RequestIds.of(new Fields().add("X-Request-Id", id))).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "a\"b", "a,b", "a;b", "é", "a\tb", "a%20b"})
    void anUnsafeClientIdIsReplaced(String id) {
        assertThat(RequestIds.of(new Fields().add("X-Request-Id", id))).matches("[0-9a-f]{32}");
    }

    @Test
    void anIdOverTheLimitIsReplaced() {
        assertThat(RequestIds.valid("x".repeat(RequestIds.MAX_LENGTH))).isTrue();
        assertThat(RequestIds.of(new Fields().add("X-Request-Id", "x".repeat(RequestIds.MAX_LENGTH + 1))))
                .matches("[0-9a-f]{32}");
    }

    @Test
    void madeIdsAre32HexDigitsAndDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = RequestIds.of(new Fields());
            assertThat(id).matches("[0-9a-f]{32}");
            assertThat(seen.add(id)).isTrue();
        }
    }
}
