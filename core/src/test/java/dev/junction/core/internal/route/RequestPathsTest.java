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
    void findsEveryDotSegmentABackendCouldStillResolve() {
        String[][] cases = {
            {"/api/%2e%2e/admin", "%2e%2e"},
            {"/api/%2E%2E%2Fadmin", "%2E%2E"},
            {"/api/..%2f..%2fadmin", ".."},
            {"/api/..%5cadmin", ".."},
            {"/api/x\\..\\..\\admin", ".."},
            {"/api/..;/admin", "..;"},
            {"/api/%2e%2e;/admin", "%2e%2e;"},
            {"/api/..;jsessionid=1/admin", "..;jsessionid=1"},
            {"/api/.;x/admin", ".;x"},
            {"/api/x/%2e%2e//%2e%2e/admin", "%2e%2e"},
            {"/api/.%2e", ".%2e"},
            {"/api/x/%2e", "%2e"},
        };
        for (String[] c : cases) {
            assertThat(RequestPaths.ambiguousDotSegment(c[0])).as(c[0]).isEqualTo(c[1]);
        }
    }

    @Test
    void leavesSegmentsThatAreNotDotSegmentsAlone() {
        for (String path : new String[] {"/api/a%2Fb", "/api/a%2e%2e/b%2fc", "/api/%20", "/api/plain", "/api//x",
            "/api/x;v=1/y", "/api/...", "/api/..x", "/api/%2e%2ex", "/api/;/x", "/", "/api/x%2"}) {
            assertThat(RequestPaths.ambiguousDotSegment(path)).as(path).isNull();
        }
    }

    @Test
    void findsADotDotThatClimbsAnEmptySegment() {
        for (String path : new String[] {"/admin//../x", "/a//b/../../x", "/a///..", "/a//./../x"}) {
            assertThat(RequestPaths.climbsAnEmptySegment(path)).as(path).isTrue();
        }
        for (String path : new String[] {"/a//b/../c", "/a/b/../c", "/a//b", "/../x", "/a/..//b"}) {
            assertThat(RequestPaths.climbsAnEmptySegment(path)).as(path).isFalse();
        }
    }
}
