package dev.junction.core.internal.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.junction.core.config.HealthCheckConfig;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.HealthCheck;
import dev.junction.core.spi.HealthCheckResult;

/**
 * A check that passes when a TCP connection to the backend (or to the check's {@code port}) can be made, and sends
 * nothing: HAProxy's plain {@code check}, for backends without an HTTP health endpoint. Configure it with
 * {@code healthCheck: {check: tcp}}.
 *
 * <p>Connects asynchronously, so the scheduler thread that calls it never waits; the check's timeout bounds the
 * attempt. The latency reported is the time to connect. Thread-safe and stateless.
 */
public final class TcpConnectCheck implements HealthCheck {

    @Override
    public CompletionStage<HealthCheckResult> check(Backend backend, HealthCheckConfig config) {
        URI uri = backend.uri();
        int port = config.port() != 0 ? config.port()
                : uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        InetSocketAddress address = new InetSocketAddress(uri.getHost(), port);
        String target = uri.getHost() + ":" + port;
        if (address.isUnresolved()) {
            return CompletableFuture.completedFuture(HealthCheckResult.unhealthy("cannot resolve " + uri.getHost()));
        }
        AsynchronousSocketChannel channel;
        try {
            channel = AsynchronousSocketChannel.open();
        } catch (IOException e) {
            return CompletableFuture.completedFuture(HealthCheckResult.unhealthy("cannot open a socket: " + e));
        }
        CompletableFuture<HealthCheckResult> verdict = new CompletableFuture<>();
        // Closed however the check ends, a late connect included: the checker may have given up on it.
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
        return verdict;
    }

    private static void close(AsynchronousSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing was sent; the channel is gone either way.
        }
    }
}
