package dev.junction.core.internal.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class StatusPageTest {

    @Test
    void aBrowserNavigatingGetsThePageAndProgramsKeepTheirJson() {
        // Chromium's and Firefox's navigation Accept.
        assertThat(StatusPage.wantsHtml("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
                + "image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7")).isTrue();
        assertThat(StatusPage.wantsHtml("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")).isTrue();
        assertThat(StatusPage.wantsHtml("TEXT/HTML")).isTrue();
        // curl, Java's HttpClient, fetch() and programs asking for JSON.
        assertThat(StatusPage.wantsHtml(null)).isFalse();
        assertThat(StatusPage.wantsHtml("*/*")).isFalse();
        assertThat(StatusPage.wantsHtml("application/json")).isFalse();
        assertThat(StatusPage.wantsHtml("application/json, text/html;q=0.5")).isFalse();
        assertThat(StatusPage.wantsHtml("text/html;q=0.9, */*")).isFalse();
        assertThat(StatusPage.wantsHtml("text/html;q=0")).isFalse();
        assertThat(StatusPage.wantsHtml("text/html;q=nonsense")).isFalse();
        assertThat(StatusPage.wantsHtml("text/html;level=1;q=0.5, application/json;q=0.4")).isTrue();
    }

    @Test
    void theAdminPathItselfRedirectsUnderItSoRelativeAddressesResolveThere() {
        AdminEndpoint.Response moved = new StatusPage(false).page("/app/_junction");
        assertThat(moved.status()).isEqualTo(302);
        assertThat(moved.headers()).containsEntry("Location", "./_junction/");

        AdminEndpoint.Response page = new StatusPage(true).page("/app/_junction/");
        assertThat(page.status()).isEqualTo(200);
        String html = new String(page.body(), StandardCharsets.UTF_8);
        assertThat(html).contains("data-token=\"required\"").doesNotContain("{{");
        assertThat(new String(new StatusPage(false).page("/x/").body(), StandardCharsets.UTF_8))
                .contains("data-token=\"none\"");
        assertThat(page.headers().get("Content-Security-Policy")).contains("default-src 'none'", "script-src 'self'")
                .doesNotContain("unsafe");
    }

    @Test
    void servesItsOwnAssetsAndNothingElse() {
        assertThat(StatusPage.asset("status.js").headers()).containsEntry("Content-Type",
                "text/javascript;charset=utf-8");
        assertThat(StatusPage.asset("status.css").headers()).containsEntry("Content-Type", "text/css;charset=utf-8");
        assertThat(StatusPage.asset("../status.html")).isNull();
        assertThat(StatusPage.asset("status.html")).isNull();
    }
}
