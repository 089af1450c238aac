package dev.junction.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.junction.core.config.LimitsConfig;
import dev.junction.core.http.Fields;

class RequestChecksTest {

    private static final LimitsConfig LIMITS = new LimitsConfig(1024, 1024);

    private static Refusal check(Fields headers) {
        return RequestChecks.check(FixedExchange.get(headers), "/api/x", LIMITS);
    }

    @Test
    void anOrdinaryRequestPasses() {
        assertThat(check(new Fields().add("Host", "x").add("Content-Length", "5"))).isNull();
        assertThat(check(new Fields().add("Content-Length", "5, 5"))).isNull();
    }

    @Test
    void refusesWhatTwoParsersCouldReadDifferently() {
        assertThat(check(new Fields().add("Content-Length", "4").add("Transfer-Encoding", "chunked")))
                .isEqualTo(new Refusal(400, "both Content-Length and Transfer-Encoding"));
        assertThat(check(new Fields().add("Content-Length", "4").add("Content-Length", "5")))
                .isEqualTo(new Refusal(400, "two different Content-Length values"));
        assertThat(check(new Fields().add("Content-Length", "-1")))
                .isEqualTo(new Refusal(400, "Content-Length is not a number"));
        assertThat(check(new Fields().add("X-Evil", "a\r\nInjected: yes")))
                .isEqualTo(new Refusal(400, "header 'X-Evil' contains a line break"));
    }

    @Test
    void refusesAHeaderSectionOverTheLimitWith431() {
        assertThat(check(new Fields().add("X-Big", "x".repeat(1100))))
                .isEqualTo(new Refusal(431, "request header section larger than 1024 bytes"));
    }

    @Test
    void refusesADotSegmentInDisguise() {
        assertThat(RequestChecks.check(FixedExchange.get(new Fields()), "/api/..;/admin", LIMITS))
                .isEqualTo(new Refusal(400, "ambiguous path segment '..;': a dot-segment encoded, with parameters or"
                        + " behind an encoded separator"));
        assertThat(RequestChecks.check(FixedExchange.get(new Fields()), "/api/a%2fb", LIMITS)).isNull();
    }

    @Test
    void aBodyIsATransferEncodingOrAPositiveLength() {
        assertThat(RequestChecks.hasBody(new Fields().add("Transfer-Encoding", "chunked"))).isTrue();
        assertThat(RequestChecks.hasBody(new Fields().add("Content-Length", "12"))).isTrue();
        assertThat(RequestChecks.hasBody(new Fields().add("Content-Length", "0"))).isFalse();
        assertThat(RequestChecks.hasBody(new Fields().add("Content-Length", "000"))).isFalse();
        assertThat(RequestChecks.hasBody(new Fields())).isFalse();
    }

    @Test
    void refusesAMethodWithLowerCaseLetters() {
        Fields none = new Fields();
        assertThat(RequestChecks.check(new FixedExchange("head", "/api/x", null, none, "192.0.2.7"), "/api/x", LIMITS))
                .isEqualTo(new Refusal(400, "method 'head' is HEAD in another case; methods are case-sensitive"));
        assertThat(RequestChecks.check(new FixedExchange("purge", "/api/x", null, none, "192.0.2.7"), "/api/x", LIMITS))
                .isEqualTo(new Refusal(400, "method 'purge' has lower-case letters; only upper-case methods are"
                        + " forwarded"));
        assertThat(RequestChecks.check(new FixedExchange("PURGE", "/api/x", null, none, "192.0.2.7"), "/api/x", LIMITS))
                .isNull();
    }

    @Test
    void refusesATransferEncodingThatDoesNotEndInChunked() {
        assertThat(check(new Fields().add("Transfer-Encoding", "gzip")))
                .isEqualTo(new Refusal(400, "a Transfer-Encoding that does not end in chunked"));
        assertThat(check(new Fields().add("Transfer-Encoding", "chunked, gzip")))
                .isEqualTo(new Refusal(400, "a Transfer-Encoding that does not end in chunked"));
        assertThat(check(new Fields().add("Transfer-Encoding", "gzip, Chunked"))).isNull();
        assertThat(check(new Fields().add("Transfer-Encoding", "gzip").add("Transfer-Encoding", "chunked"))).isNull();
    }
}
