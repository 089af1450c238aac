package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.junction.core.config.AccessLogConfig;
import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.LimitsConfig;
import dev.junction.core.config.RouteConfig;

/**
 * The access log as an operator reads it: one line per exchange, in nginx's combined format or as JSON, that parses
 * and says what happened, with the request id the client got.
 */
public abstract class AccessLogSuite {

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    /** nginx's combined format, as its log parsers read it. */
    private static final Pattern COMBINED = Pattern.compile("(\\S+) - - \\[(\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:"
            + "\\d{2} [+-]\\d{4})] \"(\\S+) (\\S+) (HTTP/[\\d.]+)\" (\\d{3}) (\\d+) \"([^\"]*)\" \"([^\"]*)\"");

    @RegisterExtension
    final StartedServers servers = new StartedServers();

    private final HttpClient client = HttpClient.newHttpClient();

    private Gateway gateway(TestBackend backend, AccessLogConfig.Format format) {
        return servers.add(startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/api").stripPrefix(true)
                        .backend(BackendConfig.builder().id("a").url(backend.url()).build()).build())
                .limits(LimitsConfig.DEFAULT.withMaxRequestTargetBytes(LimitsConfig.MIN_TARGET_BYTES))
                .accessLog(AccessLogConfig.of(format))
                .build()));
    }

    private HttpResponse<String> send(Gateway gateway, String method, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(10))
                .header("User-Agent", "suite \"quoted\"/1.0").header("Referer", "http://ref.example/page")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Returns the lines once {@code count} have been written (they are written by a thread of their own). */
    private static List<String> lines(AccessLogCapture log, int count) {
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(log.lines()).hasSizeGreaterThanOrEqualTo(count));
        return log.lines();
    }

    /**
     * Returns the one line containing {@code text}. A line is written when its exchange ends, which for a forwarded
     * response can follow the client's reading it (the server's write completes later), so the next request's line
     * may come first.
     */
    private static String line(List<String> lines, String text) {
        List<String> found = lines.stream().filter(line -> line.contains(text)).toList();
        assertThat(found).as("the line with %s among %s", text, lines).hasSize(1);
        return found.get(0);
    }

    @Test
    void combinedLinesParseAsNginxsAndSayWhatHappened() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        try (AccessLogCapture log = new AccessLogCapture()) {
            Gateway gateway = gateway(backend, AccessLogConfig.Format.COMBINED);
            HttpResponse<String> ok = send(gateway, "GET", "/api/x?q=1", null);
            assertThat(ok.statusCode()).isEqualTo(200);
            HttpResponse<String> refused = send(gateway, "GET", "/api/" + "t".repeat(300), null);
            assertThat(refused.statusCode()).isEqualTo(414);

            List<String> lines = lines(log, 2);
            assertThat(lines).hasSize(2);
            String okLine = line(lines, "/api/x?q=1");
            Matcher first = COMBINED.matcher(okLine);
            assertThat(first.matches()).as(okLine).isTrue();
            assertThat(first.group(1)).isEqualTo("127.0.0.1");
            assertThat(first.group(3)).isEqualTo("GET");
            assertThat(first.group(4)).isEqualTo("/api/x?q=1");
            assertThat(first.group(6)).isEqualTo("200");
            assertThat(Long.parseLong(first.group(7))).isEqualTo(ok.body().length());
            assertThat(first.group(8)).isEqualTo("http://ref.example/page");
            assertThat(first.group(9)).as("quotes escaped as nginx does").isEqualTo("suite \\x22quoted\\x22/1.0");
            String refusedLine = line(lines, "/api/ttt");
            Matcher second = COMBINED.matcher(refusedLine);
            assertThat(second.matches()).as(refusedLine).isTrue();
            assertThat(second.group(6)).isEqualTo("414");
        }
    }

    @Test
    void jsonLinesCarryTheExchangeWithItsRequestId() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        ObjectMapper json = new ObjectMapper();
        try (AccessLogCapture log = new AccessLogCapture()) {
            Gateway gateway = gateway(backend, AccessLogConfig.Format.JSON);
            HttpResponse<String> upload = send(gateway, "POST", "/api/upload", "hello");
            assertThat(upload.statusCode()).isEqualTo(200);
            HttpResponse<String> refused = send(gateway, "GET", "/api/" + "t".repeat(300), null);

            List<String> lines = lines(log, 2);
            JsonNode forwarded = json.readTree(line(lines, "/api/upload"));
            assertThat(forwarded.get("time").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
            assertThat(forwarded.get("client").asText()).isEqualTo("127.0.0.1");
            assertThat(forwarded.get("method").asText()).isEqualTo("POST");
            assertThat(forwarded.get("target").asText()).isEqualTo("/api/upload");
            assertThat(forwarded.get("protocol").asText()).startsWith("HTTP/");
            assertThat(forwarded.get("status").asInt()).isEqualTo(200);
            assertThat(forwarded.get("bytes_in").asLong()).isEqualTo(5);
            assertThat(forwarded.get("bytes_out").asLong()).isEqualTo(upload.body().length());
            assertThat(forwarded.get("route").asText()).isEqualTo("api");
            assertThat(forwarded.get("backend").asText()).isEqualTo("a");
            assertThat(forwarded.get("attempts").asInt()).isEqualTo(1);
            assertThat(forwarded.get("upstream_time").isNumber()).isTrue();
            assertThat(forwarded.get("total_time").asDouble())
                    .isGreaterThanOrEqualTo(forwarded.get("upstream_time").asDouble());
            assertThat(forwarded.get("request_id").asText())
                    .isEqualTo(upload.headers().firstValue("X-Request-Id").orElseThrow());
            assertThat(forwarded.get("outcome").asText()).isEqualTo("forwarded");
            assertThat(forwarded.get("referer").asText()).isEqualTo("http://ref.example/page");
            assertThat(forwarded.get("user_agent").asText()).isEqualTo("suite \"quoted\"/1.0");

            JsonNode refusal = json.readTree(line(lines, "/api/ttt"));
            assertThat(refusal.get("status").asInt()).isEqualTo(414);
            assertThat(refusal.get("backend").isNull()).isTrue();
            assertThat(refusal.get("upstream_time").isNull()).isTrue();
            assertThat(refusal.get("attempts").asInt()).isZero();
            assertThat(refusal.get("outcome").asText()).isEqualTo("refused");
            assertThat(refusal.get("request_id").asText())
                    .isEqualTo(refused.headers().firstValue("X-Request-Id").orElseThrow());
        }
    }

    @Test
    void withoutAnAccessLogNothingIsWritten() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        try (AccessLogCapture log = new AccessLogCapture()) {
            Gateway gateway = servers.add(startGateway(JunctionConfig.builder()
                    .route(RouteConfig.builder().name("api").prefix("/api").backend(backend.url()).build())
                    .build()));
            assertThat(send(gateway, "GET", "/api/x", null).statusCode()).isEqualTo(200);
            gateway.closeJunction();
            assertThat(log.lines()).isEmpty();
        }
    }
}
