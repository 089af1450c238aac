package dev.junction.testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients GETting one target in a loop while a test changes something under them, bounded in count and time:
 * answers other than 200 and failures are counted by what they were, so a test asserts there were none.
 */
public final class ClientLoad implements AutoCloseable {

    private final ExecutorService threads;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger served = new AtomicInteger();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final List<Future<?>> clients = new ArrayList<>();

    private ClientLoad(HttpClient http, URI target, int count, int requestsEach, Duration longest) {
        threads = Executors.newFixedThreadPool(count);
        long end = System.nanoTime() + longest.toNanos();
        HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(20)).build();
        for (int i = 0; i < count; i++) {
            clients.add(threads.submit(() -> {
                for (int n = 0; n < requestsEach && running.get() && System.nanoTime() < end; n++) {
                    try {
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 200) {
                            served.incrementAndGet();
                        } else {
                            failures.merge(response.statusCode() + " " + response.body().trim(), 1, Integer::sum);
                        }
                    } catch (Exception e) {
                        failures.merge(e.toString(), 1, Integer::sum);
                    }
                }
                return null;
            }));
        }
    }

    /**
     * Starts {@code count} clients GETting {@code target}, each up to {@code requestsEach} times and for
     * {@code longest} at most.
     */
    public static ClientLoad start(HttpClient http, URI target, int count, int requestsEach, Duration longest) {
        return new ClientLoad(http, target, count, requestsEach, longest);
    }

    /** Returns how many requests were answered 200 so far. */
    public int served() {
        return served.get();
    }

    /** Returns what went wrong so far, each with how often: {@code "502 ..."}, an exception. */
    public Map<String, Integer> failures() {
        return Map.copyOf(failures);
    }

    /** Stops the clients and waits for their last requests (up to 30 s each). */
    public void stop() throws Exception {
        running.set(false);
        for (Future<?> client : clients) {
            client.get(30, TimeUnit.SECONDS);
        }
    }

    /** Stops the clients without waiting. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
    }
}
