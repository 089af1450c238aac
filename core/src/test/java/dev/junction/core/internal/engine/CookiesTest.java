package dev.junction.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CookiesTest {

    @Test
    void findsACookieByItsExactName() {
        assertThat(Cookies.find("a=1; session=abc; b=2", "session")).isEqualTo("abc");
        assertThat(Cookies.find("xsession=1; session=2", "session")).isEqualTo("2");
        assertThat(Cookies.find("session=\"quoted\"", "session")).isEqualTo("quoted");
        assertThat(Cookies.find("session=", "session")).isEmpty();
    }

    @Test
    void returnsNullWhenTheCookieIsMissing() {
        assertThat(Cookies.find("a=1; b=2", "session")).isNull();
        assertThat(Cookies.find(null, "session")).isNull();
        assertThat(Cookies.find("session", "session")).isNull();
    }
}
