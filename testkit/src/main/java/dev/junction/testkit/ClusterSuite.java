package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.junction.core.status.BackendStatus;
import dev.junction.core.status.ClusterStatus;
import dev.junction.core.status.WorkerStatus;

/**
 * Cluster mode ({@code cluster:}): real worker processes ({@link WorkerServer}) started on consecutive ports and
 * balanced over, one killed with {@code SIGKILL} restarted while clients see no error, one that keeps crashing left
 * down, one failing its checks restarted, and a rolling restart asked for on the admin endpoint under load without an
 * error.
 */
public abstract class ClusterSuite {

    private static final String TOKEN = "cluster-suite-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Starts the adapter over the YAML configuration in {@code file}; the suite stops it (and so its workers). */
    protected abstract Gateway startGateway(Path file);

    @RegisterExtension
    protected final StartedServers servers = new StartedServers();

    @TempDir
    Path directory;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Path file() {
        return directory.resolve("junction.yaml");
    }

    /** Starts a gateway whose cluster runs {@code workers} worker servers from {@code basePort}. */
    private Gateway start(int workers, int basePort, String settings, String... arguments) throws Exception {
        Files.writeString(file(), yaml(workers, basePort, settings, arguments));
        return servers.add(startGateway(file()));
    }

    private static String yaml(int workers, int basePort, String settings, String... arguments) throws Exception {
        return "admin:\n  path: /_junction\n  token: " + TOKEN + "\n"
                + "cluster:\n"
                + "  workers: " + workers + "\n"
                + "  basePort: " + basePort + "\n"
                + "  command: " + JSON.writeValueAsString(WorkerServer.command(arguments)) + "\n"
                + "  healthPath: /health\n"
                + "  startTimeout: 20s\n"
                + "  gracePeriod: 5s\n"
                + "  restartDelay: 100ms\n"
                + settings;
    }

    private HttpResponse<String> admin(Gateway gateway, String resource) throws Exception {
        return http.send(HttpRequest.newBuilder(gateway.uri("/_junction" + resource))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static ClusterStatus cluster(Gateway gateway) {
        return gateway.junction().clusterStatus().orElseThrow();
    }

    private static WorkerStatus worker(Gateway gateway, int id) {
        return cluster(gateway).workers().get(id);
    }

    private HttpResponse<String> get(Gateway gateway, String target) throws Exception {
        return http.send(HttpRequest.newBuilder(gateway.uri(target)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Four clients GETting through the gateway (at most 60 s). Each request takes the worker 20 ms, so there are always
     * requests in flight on every worker without the load taking the machine.
     */
    private ClientLoad load(Gateway gateway) {
        return servers.add(ClientLoad.start(http, gateway.uri("/load?ms=20"), 4, Integer.MAX_VALUE,
                Duration.ofSeconds(60)));
    }

    @Test
    void workersStartOnConsecutivePortsShareTrafficAndOneKilledIsBackWithoutAClientError() throws Exception {
        int base = WorkerServer.freePorts(3);
        Gateway gateway = start(2, base, "");
        ClusterStatus started = cluster(gateway);
        assertThat(started.workers()).extracting(WorkerStatus::state)
                .containsExactly(WorkerStatus.State.UP, WorkerStatus.State.UP);
        assertThat(started.workers()).extracting(WorkerStatus::port).containsExactly(base, base + 1);
        assertThat(started.workers()).extracting(WorkerStatus::backend)
                .containsExactly("worker-0@" + base, "worker-1@" + (base + 1));
        Set<String> answering = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> response = get(gateway, "/hello");
            assertThat(response.statusCode()).isEqualTo(200);
            answering.add(response.headers().firstValue("X-Worker").orElseThrow());
        }
        assertThat(answering).containsExactlyInAnyOrder("0", "1");

        ClientLoad load = load(gateway);
        await("load under way").atMost(Duration.ofSeconds(10)).until(() -> load.served() > 20);
        long killed = started.workers().get(0).pid();
        ProcessHandle.of(killed).orElseThrow().destroyForcibly();
        await("worker 0 back").atMost(Duration.ofSeconds(20)).until(() -> worker(gateway, 0).state()
                == WorkerStatus.State.UP && worker(gateway, 0).pid() != killed);
        int before = load.served();
        await("load after the restart").atMost(Duration.ofSeconds(10)).until(() -> load.served() > before + 20);
        load.stop();

        WorkerStatus back = worker(gateway, 0);
        assertThat(back.restarts()).isEqualTo(1);
        assertThat(back.lastExitCode()).isEqualTo(137);
        assertThat(back.port()).isEqualTo(base);
        assertThat(back.problem()).isEqualTo("exited with code 137");
        assertThat(load.failures()).as("answers other than 200 while worker 0 was killed and restarted").isEmpty();

        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(gateway.uri("/_junction/metrics"))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        PrometheusText samples = PrometheusText.parse(metrics.body());
        assertThat(samples.value("junction_cluster_restarts_total")).isEqualTo(1);
        assertThat(samples.value("junction_cluster_workers_up")).isEqualTo(2);
    }

    @Test
    void aWorkerThatKeepsCrashingIsLeftDownWhileTheOthersServe() throws Exception {
        int base = WorkerServer.freePorts(3);
        Gateway gateway = start(2, base, "  maxRestartDelay: 200ms\n  crashLoopRestarts: 2\n",
                "--exit-if-id", "1");
        await("worker 1 left down").atMost(Duration.ofSeconds(30))
                .until(() -> worker(gateway, 1).state() == WorkerStatus.State.CRASH_LOOP);
        WorkerStatus down = worker(gateway, 1);
        assertThat(down.restarts()).isEqualTo(2);
        assertThat(down.lastExitCode()).isEqualTo(3);
        assertThat(down.pid()).isZero();
        assertThat(down.problem()).isEqualTo("ended 3 times within 60 s (last: exited with code 3); left down until a"
                + " rolling restart");
        assertThat(worker(gateway, 0).state()).isEqualTo(WorkerStatus.State.UP);
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = get(gateway, "/hello");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Worker")).hasValue("0");
        }
    }

    @Test
    void aWorkerFailingItsHealthChecksIsRestarted() throws Exception {
        int base = WorkerServer.freePorts(2);
        Gateway gateway = start(1, base, "  healthInterval: 200ms\n  healthFailures: 2\n");
        long sick = worker(gateway, 0).pid();
        HttpResponse<String> told = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + base
                + "/sick")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(told.statusCode()).isEqualTo(200);
        await("the sick worker replaced").atMost(Duration.ofSeconds(20)).until(() -> worker(gateway, 0).state()
                == WorkerStatus.State.UP && worker(gateway, 0).pid() != sick);
        WorkerStatus back = worker(gateway, 0);
        assertThat(back.restarts()).isEqualTo(1);
        assertThat(back.problem()).isEqualTo("failed 2 health checks in a row (GET /health); exited with code 143");
        assertThat(get(gateway, "/hello").statusCode()).isEqualTo(200);
    }

    @Test
    void aRollingRestartFromTheAdminEndpointReplacesEveryWorkerUnderLoadWithoutAnError() throws Exception {
        int base = WorkerServer.freePorts(3);
        Gateway gateway = start(2, base, "");
        List<Long> before = cluster(gateway).workers().stream().map(WorkerStatus::pid).toList();
        ClientLoad load = load(gateway);
        await("load under way").atMost(Duration.ofSeconds(10)).until(() -> load.served() > 20);

        HttpResponse<String> asked = admin(gateway, "/cluster/restart");
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
        assertThat(JSON.readTree(asked.body()).at("/rollingRestart/trigger").asText()).isEqualTo("the admin endpoint");
        await("rolling restart done").atMost(Duration.ofSeconds(60)).until(() -> {
            ClusterStatus.RollingRestart restart = cluster(gateway).rollingRestart();
            return restart != null && !restart.running();
        });
        int after = load.served();
        await("load after the restart").atMost(Duration.ofSeconds(10)).until(() -> load.served() > after + 20);
        load.stop();

        ClusterStatus done = cluster(gateway);
        assertThat(done.rollingRestart().problem()).isNull();
        assertThat(done.rollingRestart().replaced()).isEqualTo(2);
        assertThat(done.workers()).extracting(WorkerStatus::state)
                .containsExactly(WorkerStatus.State.UP, WorkerStatus.State.UP);
        assertThat(done.workers()).extracting(WorkerStatus::pid).doesNotContainAnyElementsOf(before);
        assertThat(done.workers()).extracting(WorkerStatus::restarts).containsExactly(0, 0);
        // Worker 0's replacement took the spare port, worker 1's the port worker 0 left.
        assertThat(done.workers()).extracting(WorkerStatus::port).containsExactly(base + 2, base);
        for (long pid : before) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid " + pid).isFalse();
        }
        assertThat(load.failures()).as("answers other than 200 during the rolling restart").isEmpty();

        HttpResponse<String> status = http.send(HttpRequest.newBuilder(gateway.uri("/_junction"))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = JSON.readTree(status.body()).get("cluster");
        assertThat(json.get("up").asInt()).isEqualTo(2);
        assertThat(json.at("/workers/0/state").asText()).isEqualTo("up");
        assertThat(json.at("/workers/0/port").asInt()).isEqualTo(base + 2);
        assertThat(json.at("/rollingRestart/replaced").asInt()).isEqualTo(2);
    }

    @Test
    void aReloadKeepsTheWorkersInTheirRoutesGivesThemToANewRouteAndRefusesAChangedCluster() throws Exception {
        int base = WorkerServer.freePorts(3);
        TestBackend own = servers.add(TestBackend.start("own"));
        Gateway gateway = start(2, base, "routes:\n  - {name: app, prefix: /}\n"
                + "  - {name: static, prefix: /static, backends: ['" + own.url() + "']}\n");
        List<String> workers = cluster(gateway).workers().stream().map(WorkerStatus::backend).toList();
        assertThat(get(gateway, "/static/x").body()).doesNotStartWith("worker ");

        // The route's settings change (it is built again), a route is added, and one leaves its backends out: all
        // three are the workers'.
        Files.writeString(file(), yaml(2, base, "routes:\n  - {name: app, prefix: /, preserveHost: true}\n"
                + "  - {name: more, prefix: /more}\n  - {name: static, prefix: /static}\n"));
        HttpResponse<String> applied = admin(gateway, "/reload");
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
        assertThat(get(gateway, "/static/x").body()).startsWith("worker ");
        for (String route : List.of("app", "more", "static")) {
            assertThat(gateway.junction().status()).filteredOn(status -> status.name().equals(route)).singleElement()
                    .satisfies(status -> assertThat(status.backends()).extracting(BackendStatus::id)
                            .containsExactlyInAnyOrderElementsOf(workers));
        }
        HttpResponse<String> more = get(gateway, "/more/x");
        assertThat(more.statusCode()).isEqualTo(200);
        assertThat(more.body()).startsWith("worker ");

        Files.writeString(file(), yaml(3, base, "routes:\n  - {name: app, prefix: /}\n"));
        HttpResponse<String> refused = admin(gateway, "/reload");
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("cluster: changed, and it takes effect only when Junction starts");
        assertThat(cluster(gateway).workers()).hasSize(2);
        assertThat(get(gateway, "/x").statusCode()).isEqualTo(200);
    }
}
