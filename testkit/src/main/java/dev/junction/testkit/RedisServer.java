package dev.junction.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A real Redis server ({@code redis-server}, Debian's package, which {@code .ci/run} installs when it is missing) on a
 * loopback port, without persistence, for the rate limits gateways share. It can be killed and started again on the
 * same port, as an outage in production would go. Its output goes to the test's log, prefixed.
 */
public final class RedisServer implements AutoCloseable {

    private static final List<Path> PLACES = List.of(Path.of("/usr/bin/redis-server"),
            Path.of("/usr/local/bin/redis-server"), Path.of("/usr/sbin/redis-server"));

    private final Path binary;
    private final int port;
    private Process process;

    private RedisServer(Path binary, int port) {
        this.binary = binary;
        this.port = port;
    }

    /** Starts a Redis server on a free loopback port. */
    public static RedisServer start() throws IOException {
        RedisServer server = new RedisServer(binary(), FaultyBackend.closedPort());
        server.restart();
        return server;
    }

    private static Path binary() {
        for (Path place : PLACES) {
            if (Files.isExecutable(place)) {
                return place;
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("Shared rate limits are tested against a real Redis, and no redis-server was"
                + " found in " + PLACES + " or on the PATH: install Debian's redis-server (.ci/run does when it is"
                + " missing)");
    }

    /** Returns the server's URI, {@code redis://127.0.0.1:port}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Starts the server (again, after {@link #kill}) on its port, and returns once it accepts connections. */
    public synchronized void restart() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("Redis is running already");
        }
        process = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--protected-mode", "yes", "--loglevel", "warning")
                .redirectErrorStream(true)
                .start();
        Process started = process;
        Thread log = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(started.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    System.out.println("[redis " + port + "] " + line);
                }
            } catch (IOException e) {
                // The process ended.
            }
        }, "redis-" + port + "-log");
        log.setDaemon(true);
        log.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                if (!started.isAlive()) {
                    throw new IllegalStateException("redis-server exited with " + started.exitValue()
                            + " before accepting connections on port " + port);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("redis-server did not accept connections on port " + port
                            + " within 10 s");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
    }

    /** Kills the server at once (SIGKILL), as a crash would, and waits for it to be gone. */
    public synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server on port " + port + " did not die within 10 s");
            }
        }
    }

    @Override
    public synchronized void close() throws InterruptedException {
        kill();
    }
}
