package dev.junction.undertow.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.ClientConfig;
import dev.junction.core.http.BodySource;
import dev.junction.core.http.Fields;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.BackendRequest;
import dev.junction.core.spi.ResponseListener;
import dev.junction.core.spi.Ticker;
import dev.junction.core.spi.Transport;
import dev.junction.testkit.ScriptedBackend;
import dev.junction.testkit.TransportSuite;

/** The transport contract, kept by the transport on Undertow's I/O threads; and the deadlines it enforces itself. */
class UndertowTransportTest extends TransportSuite {

    @Override
    protected Transport newTransport() {
        return UndertowTransport.create(ClientConfig.DEFAULT, Duration.ofSeconds(5));
    }

    /** A listener that only notes how the exchange ended. */
    private static final class Ending implements ResponseListener {

        final CompletableFuture<@Nullable Failure> done = new CompletableFuture<>();

        @Override
        public void requestBegun() {
        }

        @Override
        public void requestSent() {
        }

        @Override
        public void responseBegun() {
        }

        @Override
        public void head(int status, Fields headers) {
        }

        @Override
        public void body(BodySource body) {
        }

        @Override
        public void completed(@Nullable Failure failure) {
            done.complete(failure);
        }
    }

    private static BackendRequest request(ScriptedBackend backend, long connectMillis, long responseMillis) {
        Backend target = BackendPool.of(List.of(BackendConfig.of(backend.url())), Ticker.system()).all().get(0);
        return new BackendRequest(target, target.origin(), "GET", "/", new Fields().add("Host", "backend"), null, 0,
                0).withDeadlines(connectMillis, responseMillis);
    }

    @Test
    void enforcesTheResponseDeadline() throws Exception {
        try (ScriptedBackend silent = new ScriptedBackend((request, out, socket) -> {
            // Never answers.
        })) {
            UndertowTransport transport = UndertowTransport.create(ClientConfig.DEFAULT, Duration.ofSeconds(5));
            Ending ending = new Ending();
            try {
                assertThat(transport.enforcesDeadlines()).isTrue();
                transport.send(request(silent, 5000, 200), ending);

                ResponseListener.Failure failure = ending.done.get(5, TimeUnit.SECONDS);
                assertThat(failure).isNotNull();
                assertThat(failure.phase()).isEqualTo(ResponseListener.Phase.AWAIT_HEAD);
                assertThat(failure.cause()).isInstanceOf(TimeoutException.class).hasMessageContaining("response");
            } finally {
                transport.stop();
            }
        }
    }

    @Test
    void enforcesTheConnectDeadlineOfARequestWaitingForAConnection() throws Exception {
        try (ScriptedBackend silent = new ScriptedBackend((request, out, socket) -> {
            // Never answers: the one connection allowed stays busy.
        })) {
            UndertowTransport transport = UndertowTransport.create(
                    ClientConfig.builder().maxConnectionsPerBackend(1).build(), Duration.ofSeconds(5));
            Ending first = new Ending();
            Ending queued = new Ending();
            try {
                transport.send(request(silent, 5000, 5000), first);
                silent.nextRequest();
                transport.send(request(silent, 200, 5000), queued);

                ResponseListener.Failure failure = queued.done.get(5, TimeUnit.SECONDS);
                assertThat(failure).isNotNull();
                assertThat(failure.phase()).isEqualTo(ResponseListener.Phase.CONNECT);
                // The transport's own limit held it back, not the backend: the engine counts nothing against it.
                assertThat(failure.cause()).isInstanceOf(RejectedExecutionException.class)
                        .hasMessage("waited 200 ms for one of the backend's 1 connections");
                assertThat(silent.connections).hasValue(1);
            } finally {
                transport.stop();
            }
        }
    }
}
