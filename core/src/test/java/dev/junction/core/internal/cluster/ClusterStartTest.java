package dev.junction.core.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.junction.core.Junction;
import dev.junction.core.config.ClusterConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.status.ClusterStatus;
import dev.junction.core.status.WorkerStatus;

/**
 * A cluster's start and its ends with real processes that are not servers ({@code sh}): a program or directory that
 * is not there stops Junction's start, naming the setting; workers that never answer leave Junction started and say
 * so; a rolling restart that cannot replace a worker ends saying why, also when Junction closes meanwhile.
 */
class ClusterStartTest {

    @TempDir
    Path directory;

    private static Junction junction(ClusterConfig cluster) {
        return Junction.builder().build(JunctionConfig.builder().cluster(cluster).build());
    }

    @Test
    void aProgramThatIsNotThereStopsTheStartNamingIt() {
        Junction junction = junction(ClusterConfig.builder().workers(2).command(List.of("./no-such-program", "{port}"))
                .directory(directory.toString()).build());
        assertThatThrownBy(junction::start).isInstanceOf(IllegalStateException.class)
                .hasMessage("Junction could not start: cluster.command: no program './no-such-program' to run (no"
                        + " executable file at " + directory.resolve("no-such-program").toAbsolutePath() + ")");
        junction.close();

        Junction onPath = junction(ClusterConfig.of(1, List.of("no-such-program-on-the-path"), 9000));
        assertThatThrownBy(onPath::start).hasMessage("Junction could not start: cluster.command: no program"
                + " 'no-such-program-on-the-path' to run (none on the PATH)");
        onPath.close();
    }

    @Test
    void aDirectoryThatIsNotThereStopsTheStartNamingIt() {
        Path missing = directory.resolve("missing");
        Junction junction = junction(ClusterConfig.builder().workers(1).command(List.of("sh", "-c", "exit 0"))
                .directory(missing.toString()).build());
        assertThatThrownBy(junction::start)
                .hasMessage("Junction could not start: cluster.directory: " + missing + " is not a directory");
        assertThat(junction.clusterStatus()).hasValueSatisfying(status -> assertThat(status.workers())
                .allSatisfy(worker -> assertThat(worker.pid()).isZero()));
        junction.close();
    }

    @Test
    void aRollingRestartOfAWorkerLeftDownThatCrashesAgainEndsSayingWhyAndLeavesItDown() throws Exception {
        Junction junction = junction(ClusterConfig.builder().workers(1).command(List.of("sh", "-c", "exit 3"))
                .basePort(freePort()).restartDelay(Duration.ofMillis(50)).maxRestartDelay(Duration.ofMillis(100))
                .crashLoopRestarts(1).startTimeout(Duration.ofSeconds(5)).build());
        try {
            junction.start();
            await("left down").atMost(Duration.ofSeconds(10)).until(() -> worker(junction).state()
                    == WorkerStatus.State.CRASH_LOOP);

            ClusterStatus.RollingRestart restart = junction.restartWorkers("test").get(20, TimeUnit.SECONDS);
            assertThat(restart.replaced()).isZero();
            assertThat(restart.problem()).startsWith("worker 0's replacement on port ").contains(
                    " did not become healthy: exited with code 3 before it answered GET /");
            await("left down again").atMost(Duration.ofSeconds(10)).until(() -> worker(junction).state()
                    == WorkerStatus.State.CRASH_LOOP);
            assertThat(worker(junction).pid()).isZero();
        } finally {
            junction.close();
        }
    }

    @Test
    void closingDuringARollingRestartEndsIt() throws Exception {
        Junction junction = junction(ClusterConfig.builder().workers(1).command(List.of("sh", "-c", "exec sleep 60"))
                .basePort(freePort()).startTimeout(Duration.ofSeconds(3)).gracePeriod(Duration.ofSeconds(1))
                .build());
        CompletableFuture<ClusterStatus.RollingRestart> restart;
        long sleeping;
        try {
            // The worker never answers its check: the start waits its timeout (closing waits for the start), so it
            // runs in the background here.
            CompletableFuture.runAsync(junction::start);
            await("the worker started").atMost(Duration.ofSeconds(10)).until(() -> junction.clusterStatus()
                    .map(status -> status.workers().get(0).pid() != 0).orElse(false));
            sleeping = worker(junction).pid();
            restart = junction.restartWorkers("test");
            await("its replacement started").atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.allProcesses()
                    .anyMatch(process -> process.parent().map(ProcessHandle::pid)
                            .orElse(0L) == ProcessHandle.current().pid() && process.pid() != sleeping
                            && process.info().commandLine().orElse("").contains("sleep 60")));
        } finally {
            junction.close();
        }
        ClusterStatus.RollingRestart ended = restart.get(20, TimeUnit.SECONDS);
        assertThat(ended.running()).isFalse();
        assertThat(ended.problem()).isNotNull();
        assertThat(ProcessHandle.of(sleeping).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    /** A port nothing listens on now: these workers bind none, and their checks must find no server there. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static WorkerStatus worker(Junction junction) {
        return junction.clusterStatus().orElseThrow().workers().get(0);
    }
}
