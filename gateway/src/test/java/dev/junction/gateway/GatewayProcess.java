package dev.junction.gateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real gateway process ({@code java -cp <the test class path> GatewayMain ...}), as an operator runs it (with its
 * own logging configuration), or a distribution's {@code bin/junction}: its output kept line by line, the port it
 * says it listens on, signals sent to it as {@code kill} sends them. {@link #close} stops it with {@code SIGTERM},
 * then {@code SIGKILL} after 20 s.
 */
final class GatewayProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

    final Process process;
    final int port;
    /** Every line the gateway wrote to its standard output and error, in order. */
    final List<String> output;
    private final Thread reader;

    private GatewayProcess(Process process, int port, List<String> output, Thread reader) {
        this.process = process;
        this.port = port;
        this.output = output;
        this.reader = reader;
    }

    /** Starts the gateway with {@code arguments} and waits (up to 60 s) until it says where it listens. */
    static GatewayProcess start(String... arguments) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        // GatewayMain names the gateway's own logging (its logback.xml), not the tests' quieter one on the class path.
        List<String> line = new ArrayList<>(List.of(java, "-cp",
                System.getProperty("java.class.path"), GatewayMain.class.getName()));
        line.addAll(List.of(arguments));
        return start(new ProcessBuilder(line));
    }

    /**
     * Starts the gateway {@code command} describes (a distribution's {@code bin/junction}, say), its standard error
     * merged into its output, and waits (up to 60 s) until it says where it listens.
     */
    static GatewayProcess start(ProcessBuilder command) throws Exception {
        Process process = command.redirectErrorStream(true).start();
        List<String> output = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String text;
                while ((text = lines.readLine()) != null) {
                    output.add(text);
                    Matcher matcher = LISTENING.matcher(text);
                    if (matcher.find()) {
                        port.complete(Integer.parseInt(matcher.group(1)));
                    }
                }
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException("the gateway ended: " + output));
        }, "gateway-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new GatewayProcess(process, port.get(60, TimeUnit.SECONDS), output, reader);
        } catch (Exception e) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Sends {@code signal} ({@code HUP}, {@code TERM}, ...) with {@code kill}. */
    void signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /** Stops the gateway and waits until {@link #output} holds its last line. */
    @Override
    public void close() throws InterruptedException {
        // The handle's destroy, not the Process's: that one also closes the output the gateway still writes to.
        process.toHandle().destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
    }
}
