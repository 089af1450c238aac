package dev.junction.benchmarks.e2e;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;

/**
 * The end-to-end benchmark's backend, one per port: {@code GET /} answers a fixed 128-byte body, {@code GET
 * /bytes?n=N} N bytes with a Content-Length, any {@code POST} echoes its body as it reads it, and {@code GET
 * /__stats} says how many requests it served. Every answer names the backend in {@code X-Backend}.
 *
 * <p>{@code GET /work?ms=N} is a request of a server with a fixed capacity: one of its {@code workers} threads (the
 * second argument; default 8) spends N ms on it, and requests beyond the workers wait for one, as in a
 * thread-per-request application. Its capacity is {@code workers * 1000 / N} requests a second.
 *
 * <pre>java -cp ... dev.junction.benchmarks.e2e.BenchBackend 9201 [workers]</pre>
 */
public final class BenchBackend {

    private static final ByteBuffer SMALL = ByteBuffer.wrap(("0123456789abcdef".repeat(8))
            .getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
    private static final byte[] CHUNK = new byte[64 * 1024];
    private static final HttpString X_BACKEND = HttpString.tryFromString("X-Backend");

    private BenchBackend() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        ExecutorService work = Executors.newFixedThreadPool(workers);
        String name = Integer.toString(port);
        LongAdder served = new LongAdder();
        Undertow server = Undertow.builder()
                .addHttpListener(port, "127.0.0.1")
                .setIoThreads(1)
                .setWorkerThreads(32)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, Long.MAX_VALUE)
                .setHandler(exchange -> {
                    if (exchange.getRequestPath().equals("/__stats")) {
                        exchange.getResponseSender().send("requests " + served.sum() + "\n");
                        return;
                    }
                    served.increment();
                    exchange.getResponseHeaders().put(X_BACKEND, name);
                    if (exchange.getRequestPath().equals("/work")) {
                        exchange.dispatch(work, () -> work(exchange));
                        return;
                    }
                    boolean post = exchange.getRequestMethod().equals(Methods.POST);
                    if (post || exchange.getRequestPath().equals("/bytes")) {
                        exchange.dispatch(() -> blocking(exchange));
                        return;
                    }
                    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
                    exchange.getResponseSender().send(SMALL.duplicate());
                })
                .build();
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
    }

    /** Spends {@code ms} of a worker's time on the request, then answers the small body. */
    private static void work(HttpServerExchange exchange) {
        Deque<String> ms = exchange.getQueryParameters().get("ms");
        try {
            Thread.sleep(ms == null ? 10 : Long.parseLong(ms.getFirst()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
        exchange.getResponseSender().send(SMALL.duplicate());
    }

    private static void blocking(HttpServerExchange exchange) {
        exchange.startBlocking();
        try {
            OutputStream out = exchange.getOutputStream();
            if (exchange.getRequestMethod().equals(Methods.POST)) {
                long length = exchange.getRequestContentLength();
                if (length >= 0) {
                    exchange.setResponseContentLength(length);
                }
                InputStream in = exchange.getInputStream();
                byte[] buffer = new byte[16 * 1024];
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    out.write(buffer, 0, read);
                }
                return;
            }
            Deque<String> n = exchange.getQueryParameters().get("n");
            long size = n == null ? 0 : Long.parseLong(n.getFirst());
            exchange.setResponseContentLength(size);
            for (long left = size; left > 0; left -= CHUNK.length) {
                out.write(CHUNK, 0, (int) Math.min(CHUNK.length, left));
            }
        } catch (Exception e) {
            exchange.setStatusCode(500);
        } finally {
            exchange.endExchange();
        }
    }
}
