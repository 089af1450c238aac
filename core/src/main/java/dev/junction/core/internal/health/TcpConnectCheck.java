package dev.junction.core.internal.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.junction.core.config.AddressRange;
import dev.junction.core.config.HealthCheckConfig;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.HealthCheck;
import dev.junction.core.spi.HealthCheckResult;

/**
 * A check that passes when a TCP connection to the backend (or to the check's {@code port}) can be made, and sends
 * nothing: HAProxy's plain {@code check}, for backends without an HTTP health endpoint. Configure it with
 * {@code healthCheck: {check: tcp}}.
 *
 * <p>Never blocks the thread that calls it (the checker's scheduler): a host name is looked up on a small pool of
 * resolver threads (an address literal needs no lookup), and the connection is made asynchronously. The check's
 * timeout bounds the whole; a check the checker gives up on is cancelled, which closes its socket. The latency
 * reported is the time to connect. Thread-safe and stateless.
 */
public final class TcpConnectCheck implements HealthCheck {

    /** Looks up host names for every TCP check: daemon threads, at most four, gone when idle. */
    private static final Executor SHARED_RESOLVER = resolverPool();

    private final Executor resolver;

    public TcpConnectCheck() {
        this(SHARED_RESOLVER);
    }

    /** A check whose host name lookups run on {@code resolver}. */
    TcpConnectCheck(Executor resolver) {
        this.resolver = resolver;
    }

    @Override
    public CompletionStage<HealthCheckResult> check(Backend backend, HealthCheckConfig config) {
        URI uri = backend.uri();
        int port = config.port() != 0 ? config.port()
                : uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        String host = uri.getHost();
        String target = host + ":" + port;
        CompletableFuture<HealthCheckResult> verdict = new CompletableFuture<>();
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (AddressRange.isLiteral(literal)) {
            connect(new InetSocketAddress(literal, port), target, verdict);
            return verdict;
        }
        try {
            resolver.execute(() -> {
                if (verdict.isDone()) {
                    return;
                }
                InetSocketAddress address = new InetSocketAddress(host, port);
                if (address.isUnresolved()) {
                    verdict.complete(HealthCheckResult.unhealthy("cannot resolve " + host));
                } else {
                    connect(address, target, verdict);
                }
            });
        } catch (RejectedExecutionException e) {
            verdict.complete(HealthCheckResult.unhealthy("cannot look up " + host + ": " + e));
        }
        return verdict;
    }

    private static void connect(InetSocketAddress address, String target,
            CompletableFuture<HealthCheckResult> verdict) {
        AsynchronousSocketChannel channel;
        try {
            channel = AsynchronousSocketChannel.open();
        } catch (IOException e) {
            verdict.complete(HealthCheckResult.unhealthy("cannot open a socket: " + e));
            return;
        }
        // Closed however the check ends, a late connect and a cancelled check included.
        verdict.whenComplete((result, failure) -> close(channel));
        long start = System.nanoTime();
        channel.connect(address, null, new CompletionHandler<Void, Void>() {
            @Override
            public void completed(Void ignored, Void attachment) {
                verdict.complete(HealthCheckResult.healthy("connected to " + target)
                        .withLatency(Duration.ofNanos(System.nanoTime() - start)));
                close(channel);
            }

            @Override
            public void failed(Throwable failure, Void attachment) {
                verdict.complete(HealthCheckResult.unhealthy("cannot connect to " + target + ": " + failure));
            }
        });
    }

    private static Executor resolverPool() {
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1024),
                task -> {
                    Thread thread = new Thread(task, "junction-tcp-check-resolver-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static void close(AsynchronousSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing was sent; the channel is gone either way.
        }
    }
}
