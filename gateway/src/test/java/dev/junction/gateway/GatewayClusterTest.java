package dev.junction.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.junction.testkit.WorkerServer;

/**
 * Cluster mode from the command line ({@code --workers}, {@code --worker-command}, {@code --worker-base-port}) in a
 * real gateway process: its workers' output in its log, {@code SIGHUP} replacing them one at a time, {@code SIGTERM}
 * stopping them with it, and a gateway killed with {@code SIGKILL} leaving none behind.
 */
class GatewayClusterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();

    private static GatewayProcess start(int base) throws Exception {
        String command = WorkerServer.command().stream().map(argument -> "'" + argument + "'")
                .collect(Collectors.joining(" "));
        return GatewayProcess.start("--port", "0", "--workers", "2", "--worker-command", command,
                "--worker-base-port", Integer.toString(base), "--admin", "/_junction", "--access-log", "off");
    }

    private JsonNode cluster(GatewayProcess gateway) throws Exception {
        HttpResponse<String> status = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.port + "/_junction")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(status.statusCode()).isEqualTo(200);
        return JSON.readTree(status.body()).get("cluster");
    }

    private static List<Long> pids(JsonNode cluster) {
        List<Long> pids = new ArrayList<>();
        cluster.get("workers").forEach(worker -> pids.add(worker.get("pid").asLong()));
        return pids;
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Returns the process group of {@code pid}, from {@code /proc/<pid>/stat}. */
    private static long processGroup(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[2]);
    }

    @Test
    void workersServeLogThroughTheGatewayRollOnSighupAndStopWithIt() throws Exception {
        int base = WorkerServer.freePorts(3);
        List<Long> replaced;
        try (GatewayProcess gateway = start(base)) {
            JsonNode started = cluster(gateway);
            assertThat(started.get("up").asInt()).isEqualTo(2);
            List<Long> first = pids(started);
            for (long pid : first) {
                assertThat(processGroup(pid)).as("worker %d in a process group of its own", pid).isEqualTo(pid);
            }
            HttpResponse<String> hello = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.port + "/hello")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(hello.statusCode()).isEqualTo(200);
            assertThat(hello.body()).startsWith("worker ");
            await("the workers' output in the gateway's").atMost(Duration.ofSeconds(10)).until(() -> gateway.output
                    .stream().anyMatch(line -> line.contains("[worker-1] worker 1 listening on 127.0.0.1:"
                            + (base + 1))));

            gateway.signal("HUP");
            await("rolling restart done").atMost(Duration.ofSeconds(60)).until(() -> {
                JsonNode restart = cluster(gateway).get("rollingRestart");
                return restart != null && !restart.get("running").asBoolean();
            });
            JsonNode rolled = cluster(gateway);
            assertThat(rolled.at("/rollingRestart/trigger").asText()).isEqualTo("SIGHUP");
            assertThat(rolled.at("/rollingRestart/replaced").asInt()).isEqualTo(2);
            replaced = pids(rolled);
            assertThat(replaced).doesNotContainAnyElementsOf(first);
            first.forEach(pid -> assertThat(alive(pid)).as("replaced worker %d", pid).isFalse());

            gateway.signal("TERM");
            assertThat(gateway.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        replaced.forEach(pid -> assertThat(alive(pid)).as("worker %d after the gateway stopped", pid).isFalse());
    }

    @Test
    void aGatewayKilledWithSigkillLeavesNoWorkerBehind() throws Exception {
        int base = WorkerServer.freePorts(3);
        List<Long> workers;
        try (GatewayProcess gateway = start(base)) {
            workers = pids(cluster(gateway));
            assertThat(workers).hasSize(2).allMatch(GatewayClusterTest::alive);
            gateway.process.destroyForcibly();
            assertThat(gateway.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        await("the workers gone with the gateway").atMost(Duration.ofSeconds(10))
                .until(() -> workers.stream().noneMatch(GatewayClusterTest::alive));
    }
}
