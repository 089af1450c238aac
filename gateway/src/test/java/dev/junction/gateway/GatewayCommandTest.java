package dev.junction.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;

import dev.junction.testkit.TestBackend;

/**
 * What a test of the gateway's command line holds: what the gateway printed, and the gateways and backends the test
 * started, stopped after each test in the reverse order.
 */
abstract class GatewayCommandTest {

    protected final ByteArrayOutputStream out = new ByteArrayOutputStream();
    protected final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stopStarted() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    /** Runs the gateway's command line; its output goes to {@link #out} and {@link #err}. */
    protected GatewayMain.Outcome run(String... args) {
        return GatewayMain.start(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** Starts a gateway that must start; it is stopped after the test. */
    protected Gateway start(String... args) {
        GatewayMain.Outcome outcome = run(args);
        assertThat(outcome.gateway()).as(err.toString(StandardCharsets.UTF_8)).isNotNull();
        return stopLater(outcome.gateway());
    }

    /** Starts a test backend, stopped after the test. */
    protected TestBackend backend() {
        return stopLater(TestBackend.start("a"));
    }

    /** Has {@code thing} closed after the test. */
    protected <T extends AutoCloseable> T stopLater(T thing) {
        started.add(thing);
        return thing;
    }

    protected String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }
}
