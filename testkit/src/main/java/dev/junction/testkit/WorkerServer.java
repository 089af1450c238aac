package dev.junction.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.junction.core.cluster.Worker;

/**
 * A worker process for cluster tests: an HTTP server on the port {@link Worker#current()} names (or the first
 * argument), answering every path with its worker id and process id ({@code X-Worker}, {@code X-Worker-Pid}),
 * {@code ?ms=N} N milliseconds later, {@code /health} with 200 until {@code /sick} makes it 503. With
 * {@code --exit-if-id N} worker N exits with code 3 at once, as a crash-looping program does. {@code SIGTERM} stops it
 * after its exchanges end (up to a second).
 *
 * <p>Started as {@code java -cp <the test class path> dev.junction.testkit.WorkerServer}; {@link #command} builds that.
 */
public final class WorkerServer {

    private WorkerServer() {
    }

    /** Returns the command line that runs this server as a worker, with {@code extra} arguments. */
    public static List<String> command(String... extra) {
        String java = ProcessHandle.current().info().command().orElse("java");
        // A small server's JVM: quick to start, one GC thread, no optimising compiler.
        List<String> line = new ArrayList<>(List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                WorkerServer.class.getName()));
        line.addAll(List.of(extra));
        return line;
    }

    public static void main(String[] args) throws IOException {
        Worker worker = Worker.current().orElseThrow(() -> new IllegalStateException(
                "not started as a worker: " + Worker.ID_VARIABLE + " is not set"));
        int port = worker.port();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--exit-if-id") && i + 1 < args.length
                    && Integer.parseInt(args[i + 1]) == worker.id()) {
                System.err.println("worker " + worker.id() + " exits at its start, as told");
                System.exit(3);
            } else if (args[i].equals("--port") && i + 1 < args.length) {
                port = Integer.parseInt(args[i + 1]);
            }
        }
        long pid = ProcessHandle.current().pid();
        AtomicBoolean healthy = new AtomicBoolean(true);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 200);
        ExecutorService threads = Executors.newFixedThreadPool(16);
        server.setExecutor(threads);
        server.createContext("/health", exchange -> answer(exchange, healthy.get() ? 200 : 503, "health", worker,
                pid));
        server.createContext("/sick", exchange -> {
            healthy.set(false);
            answer(exchange, 200, "sick from now on", worker, pid);
        });
        // ?ms=N: the answer is sent N ms later from a timer, as a backend that takes its time, holding no thread.
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String text = "worker " + worker.id() + " pid " + pid + " port " + worker.port();
            String query = exchange.getRequestURI().getRawQuery();
            long delay = query != null && query.startsWith("ms=") ? Long.parseLong(query.substring(3)) : 0;
            if (delay == 0) {
                answer(exchange, 200, text, worker, pid);
                return;
            }
            later.schedule(() -> {
                try {
                    answer(exchange, 200, text, worker, pid);
                } catch (IOException e) {
                    exchange.close(); // The client left.
                }
            }, delay, TimeUnit.MILLISECONDS);
        });
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(1);
            later.shutdown();
            threads.shutdown();
        }));
        System.out.println("worker " + worker.id() + " listening on 127.0.0.1:" + port);
    }

    private static void answer(HttpExchange exchange, int status, String text, Worker worker, long pid)
            throws IOException {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("X-Worker", String.valueOf(worker.id()));
        exchange.getResponseHeaders().add("X-Worker-Pid", String.valueOf(pid));
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /**
     * Returns the first of {@code count} consecutive ports free on 127.0.0.1, for a cluster's {@code basePort}: chosen
     * at random below the system's ephemeral range (Linux's {@code ip_local_port_range}, 32768 and up by default),
     * where no socket bound to port 0 and no outgoing connection of another test can take one of them between this
     * check and the workers' start, as tests running side by side do.
     */
    public static int freePorts(int count) throws IOException {
        int ephemeralFrom = ephemeralRangeStart();
        int lowest = 10_000;
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = lowest + ThreadLocalRandom.current().nextInt(Math.max(1, ephemeralFrom - count - lowest));
            boolean free = true;
            for (int port = base; port < base + count && free; port++) {
                try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                    free = probe.getLocalPort() == port;
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IOException("no " + count + " consecutive free ports on 127.0.0.1 below " + ephemeralFrom
                + " after 100 tries");
    }

    /** The first port of the system's ephemeral range: Linux's, or 32768 where it cannot be read. */
    private static int ephemeralRangeStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).strip();
            return Math.max(12_000, Integer.parseInt(range.split("\\s+")[0]));
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
