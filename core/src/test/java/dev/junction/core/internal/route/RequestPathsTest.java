package dev.junction.core.internal.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestPathsTest {

    @Test
    void resolvesDotSegmentsAsRfc3986Does() {
        assertThat(RequestPaths.removeDotSegments("/api/../admin")).isEqualTo("/admin");
        assertThat(RequestPaths.removeDotSegments("/a/b/c/./../../g")).isEqualTo("/a/g");
        assertThat(RequestPaths.removeDotSegments("/a/./b/.")).isEqualTo("/a/b/");
        assertThat(RequestPaths.removeDotSegments("/a/b/..")).isEqualTo("/a/");
        assertThat(RequestPaths.removeDotSegments("/../../etc/passwd")).isEqualTo("/etc/passwd");
        assertThat(RequestPaths.removeDotSegments("/..")).isEqualTo("/");
    }

    @Test
    void leavesEverythingElseByteForByte() {
        String path = "/api/a%2Fb/%20c+d/..e/.f/e..";
        assertThat(RequestPaths.removeDotSegments(path)).isSameAs(path);
        assertThat(RequestPaths.removeDotSegments("/api//x")).isEqualTo("/api//x");
    }

    @Test
    void detectsEncodedTraversalOutOfThePrefix() {
        assertThat(RequestPaths.escapesPrefix("/api/%2e%2e/admin", "/api")).isTrue();
        assertThat(RequestPaths.escapesPrefix("/api/%2E%2E%2Fadmin", "/api")).isTrue();
        assertThat(RequestPaths.escapesPrefix("/api/..%2f..%2fadmin", "/api")).isTrue();
        assertThat(RequestPaths.escapesPrefix("/api/..%5cadmin", "/api")).isTrue();
        assertThat(RequestPaths.escapesPrefix("/api/x\\..\\..\\admin", "/api")).isTrue();
    }

    @Test
    void allowsEncodedSeparatorsThatStayUnderThePrefix() {
        assertThat(RequestPaths.escapesPrefix("/api/a%2Fb", "/api")).isFalse();
        assertThat(RequestPaths.escapesPrefix("/api/x/%2e%2e/y", "/api")).isFalse();
        assertThat(RequestPaths.escapesPrefix("/api/%20", "/api")).isFalse();
        assertThat(RequestPaths.escapesPrefix("/api/plain", "/api")).isFalse();
        assertThat(RequestPaths.escapesPrefix("/%2e%2e/x", "/")).isFalse();
    }
}
