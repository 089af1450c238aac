package dev.junction.core.internal.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.junction.core.config.RouteConfig;

class PathRewriteTest {

    @Test
    void keepsThePathByDefault() {
        PathRewrite rewrite = PathRewrite.of(route("/api").build());
        assertThat(rewrite.apply("/api/a%2Fb+c")).isEqualTo("/api/a%2Fb+c");
    }

    @Test
    void stripsThePrefix() {
        PathRewrite rewrite = PathRewrite.of(route("/api/").stripPrefix(true).build());
        assertThat(rewrite.apply("/api")).isEqualTo("/");
        assertThat(rewrite.apply("/api/")).isEqualTo("/");
        assertThat(rewrite.apply("/api/users/%20x")).isEqualTo("/users/%20x");
    }

    @Test
    void replacesThePrefix() {
        PathRewrite rewrite = PathRewrite.of(route("/api").rewrite("/v2/").build());
        assertThat(rewrite.apply("/api")).isEqualTo("/v2");
        assertThat(rewrite.apply("/api/users")).isEqualTo("/v2/users");
        assertThat(PathRewrite.of(route("/").rewrite("/v2").build()).apply("/users")).isEqualTo("/v2/users");
        assertThat(PathRewrite.of(route("/old").rewrite("/").build()).apply("/old/x")).isEqualTo("/x");
    }

    private static RouteConfig.Builder route(String prefix) {
        return RouteConfig.builder().prefix(prefix).backend("http://a.test");
    }
}
