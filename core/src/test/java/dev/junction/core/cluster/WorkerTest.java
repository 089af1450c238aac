package dev.junction.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Worker}: read from a map, and from the environment of a real process started as a worker. */
class WorkerTest {

    /** Prints what {@link Worker#current()} says of the process it runs in. */
    static final class Probe {

        public static void main(String[] args) {
            Worker worker = Worker.current().orElse(null);
            System.out.println(worker == null ? "not a worker"
                    : "worker " + worker.id() + " on " + worker.port() + " of " + worker.supervisorPid()
                            + (worker.supervisorAlive() ? " (alive)" : " (gone)"));
        }
    }

    @Test
    void aProcessWithoutTheVariablesIsNoWorker() {
        assertThat(Worker.of(Map.of("PATH", "/bin"))).isEmpty();
    }

    @Test
    void theVariablesGiveTheWorkerAndBackAgain() {
        Map<String, String> environment = Map.of(Worker.ID_VARIABLE, "2", Worker.PORT_VARIABLE, "9102",
                Worker.SUPERVISOR_VARIABLE, "4711");

        Worker worker = Worker.of(environment).orElseThrow();

        assertThat(worker).isEqualTo(new Worker(2, 9102, 4711));
        assertThat(worker.environment()).isEqualTo(environment);
    }

    @Test
    void variablesSetButWrongAreEachNamed() {
        assertThatThrownBy(() -> Worker.of(Map.of(Worker.ID_VARIABLE, "two", Worker.PORT_VARIABLE, "70000")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("This process is started as a worker (JUNCTION_WORKER_ID is set), but:"
                        + " JUNCTION_WORKER_ID: 'two' (expected: an integer from 0 to 2147483647);"
                        + " JUNCTION_WORKER_PORT: '70000' (expected: an integer from 1 to 65535);"
                        + " JUNCTION_SUPERVISOR_PID is not set");
    }

    @Test
    @Timeout(60)
    void aProcessStartedWithTheVariablesKnowsItIsAWorkerAndThatItsSupervisorLives() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Probe.class.getName()).redirectErrorStream(true);
        builder.environment().putAll(new Worker(3, 9103, ProcessHandle.current().pid()).environment());
        Process process = builder.start();
        try (InputStream out = process.getInputStream()) {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            out.transferTo(printed);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(printed.toString(StandardCharsets.UTF_8).trim())
                    .isEqualTo("worker 3 on 9103 of " + ProcessHandle.current().pid() + " (alive)");
        } finally {
            process.destroyForcibly();
        }
    }
}
