package dev.junction.core.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class StatusJsonTest {

    private static BackendStatus failing(String explanation, String checkError) {
        return new BackendStatus("10.0.0.1:8080", "http://10.0.0.1:8080", false, false, Reason.UNHEALTHY, explanation,
                0, 0, 0, 0, 0, 0.0, null, checkError, 0, 3, 0.0, null, null, null);
    }

    @Test
    void credentialsQuotedByFailuresAreNotWritten() throws Exception {
        BackendStatus backend = failing(
                "failed its active health check: Connection refused: http://monitor:hunter2@10.0.0.1:8080/health",
                "status 401 for Authorization: Bearer eyJhbGciOi.payload.sig; retried with ?token=abc123&x=1,"
                        + " password=pa55 and api_key=k-99, basic dXNlcjpwYXNz");

        JsonNode json = new ObjectMapper().readTree(StatusJson.write(List.of(
                new RouteStatus("api", "/api", "round-robin", false, 0, 0, 0, null, null, null, null, List.of(backend),
                        null))));
        JsonNode written = json.path("routes").path(0).path("backends").path(0);

        assertThat(written.path("explanation").asText()).isEqualTo(
                "failed its active health check: Connection refused: http://***@10.0.0.1:8080/health");
        assertThat(written.path("lastCheckError").asText()).isEqualTo("status 401 for Authorization: ***");
        assertThat(StatusJson.redacted(
                "retried with ?token=abc123&x=1, password=pa55 and api_key=k-99, basic dXNlcjpw"))
                .isEqualTo("retried with ?token=***&x=1, password=*** and api_key=***, basic ***");
        assertThat(StatusJson.redacted("status 503 (expected 200-399)")).isEqualTo("status 503 (expected 200-399)");
    }
}
