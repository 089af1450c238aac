package dev.junction.core.internal.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.HealthCheckConfig;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.HealthCheckResult;
import dev.junction.core.spi.Ticker;

class TcpConnectCheckTest {

    private static Backend backendAt(int port) {
        return BackendPool.of(java.util.List.of(BackendConfig.of("http://127.0.0.1:" + port)), Ticker.system())
                .all().get(0);
    }

    @Test
    void passesWhileTheBackendAcceptsAndFailsOnceItIsGone() throws Exception {
        HealthCheckConfig config = HealthCheckConfig.builder().check("tcp").build();
        int port;
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = server.getLocalPort();
            HealthCheckResult up = new TcpConnectCheck().check(backendAt(port), config).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            assertThat(up.healthy()).isTrue();
            assertThat(up.details()).isEqualTo("connected to 127.0.0.1:" + port);
            assertThat(up.latency()).isNotNull();
        }
        HealthCheckResult down = new TcpConnectCheck().check(backendAt(port), config).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        assertThat(down.healthy()).isFalse();
        assertThat(down.details()).startsWith("cannot connect to 127.0.0.1:" + port);
    }

    @Test
    void goesToTheChecksOwnPortWhenItHasOne() throws Exception {
        try (ServerSocket management = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            HealthCheckConfig config = HealthCheckConfig.builder().check("tcp")
                    .port(management.getLocalPort()).build();
            HealthCheckResult result = new TcpConnectCheck().check(backendAt(1), config).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            assertThat(result.healthy()).isTrue();
        }
    }

    @Test
    void looksUpAHostNameOnItsResolverNeverOnTheCallingThread() throws Exception {
        List<Runnable> lookups = new ArrayList<>();
        TcpConnectCheck check = new TcpConnectCheck(lookups::add);
        HealthCheckConfig config = HealthCheckConfig.builder().check("tcp").build();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Backend named = BackendPool.of(List.of(BackendConfig.of("http://localhost:" + server.getLocalPort())),
                    Ticker.system()).all().get(0);

            CompletableFuture<HealthCheckResult> pending = check.check(named, config).toCompletableFuture();

            // Nothing was looked up on this thread: the lookup waits for the resolver.
            assertThat(pending).isNotDone();
            assertThat(lookups).hasSize(1);
            lookups.get(0).run();
            assertThat(pending.get(5, TimeUnit.SECONDS).healthy()).isTrue();
            // An address literal needs no lookup.
            assertThat(check.check(backendAt(server.getLocalPort()), config).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS).healthy()).isTrue();
            assertThat(lookups).hasSize(1);
        }
    }

    @Test
    void aCheckCancelledBeforeItsLookupNeverConnects() throws Exception {
        List<Runnable> lookups = new ArrayList<>();
        TcpConnectCheck check = new TcpConnectCheck(lookups::add);
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Backend named = BackendPool.of(List.of(BackendConfig.of("http://localhost:" + server.getLocalPort())),
                    Ticker.system()).all().get(0);
            CompletableFuture<HealthCheckResult> pending = check.check(named, HealthCheckConfig.builder().check("tcp")
                    .build()).toCompletableFuture();

            pending.cancel(true);
            lookups.get(0).run();

            server.setSoTimeout(300);
            assertThatThrownBy(server::accept).isInstanceOf(SocketTimeoutException.class);
        }
    }
}
