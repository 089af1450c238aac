package dev.junction.undertow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xnio.XnioIoThread;

import io.undertow.Undertow;

import dev.junction.core.Junction;
import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.ClientConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.http.BodySource;
import dev.junction.core.http.Chunk;
import dev.junction.core.http.Fields;
import dev.junction.core.spi.BackendRequest;
import dev.junction.core.spi.ResponseListener;
import dev.junction.core.spi.Transport;
import dev.junction.testkit.FaultyBackend;
import dev.junction.testkit.TestBackend;
import dev.junction.undertow.transport.UndertowTransport;

/**
 * With the Undertow transport, every callback of a backend exchange (each listener event, each demand of the
 * response body, each read of it) runs on the XNIO I/O thread of the client's exchange: nothing is handed between
 * threads, whether the request streams a body, the response streams one, or an attempt fails and another follows.
 */
class ThreadAffinityTest {

    /** Wraps the transport and notes, per exchange, its event loop and every thread its callbacks ran on. */
    private static final class Recording implements Transport {

        final UndertowTransport delegate = UndertowTransport.create(ClientConfig.DEFAULT, Duration.ofSeconds(5));
        final List<Executor> loops = new CopyOnWriteArrayList<>();
        final List<Set<Thread>> threads = new CopyOnWriteArrayList<>();

        @Override
        public void start() {
            delegate.start();
        }

        @Override
        public void stop() throws Exception {
            delegate.stop();
        }

        @Override
        public Exchange send(BackendRequest request, ResponseListener listener) {
            Set<Thread> seen = ConcurrentHashMap.newKeySet();
            loops.add(request.eventLoop());
            threads.add(seen);
            return delegate.send(request, new ResponseListener() {
                @Override
                public void requestBegun() {
                    seen.add(Thread.currentThread());
                    listener.requestBegun();
                }

                @Override
                public void requestSent() {
                    seen.add(Thread.currentThread());
                    listener.requestSent();
                }

                @Override
                public void responseBegun() {
                    seen.add(Thread.currentThread());
                    listener.responseBegun();
                }

                @Override
                public void head(int status, Fields headers) {
                    seen.add(Thread.currentThread());
                    listener.head(status, headers);
                }

                @Override
                public void body(BodySource body) {
                    seen.add(Thread.currentThread());
                    listener.body(new BodySource() {
                        @Override
                        public @Nullable Chunk read() {
                            seen.add(Thread.currentThread());
                            return body.read();
                        }

                        @Override
                        public void demand(Runnable callback) {
                            body.demand(() -> {
                                seen.add(Thread.currentThread());
                                callback.run();
                            });
                        }

                        @Override
                        public long length() {
                            return body.length();
                        }
                    });
                }

                @Override
                public void completed(ResponseListener.@Nullable Failure failure) {
                    seen.add(Thread.currentThread());
                    listener.completed(failure);
                }
            });
        }
    }

    private final Recording transport = new Recording();
    private @Nullable TestBackend backend;
    private @Nullable Undertow server;
    private @Nullable JunctionHandler handler;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
        if (handler != null) {
            handler.close();
        }
        transport.stop();
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void everyCallbackOfAnExchangeRunsOnItsIoThread() throws Exception {
        TestBackend live = TestBackend.start("a");
        backend = live;
        int refused = FaultyBackend.closedPort();
        JunctionConfig config = JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/").strategy("round-robin")
                        .backend(BackendConfig.of("http://127.0.0.1:" + refused))
                        .backend(BackendConfig.of(live.url()))
                        .build())
                .build();
        Junction junction = JunctionHandler.junctionBuilder().transport(transport).build(config);
        handler = JunctionHandler.create(junction, exchange -> exchange.getResponseSender().send("next"));
        Undertow started = Undertow.builder().addHttpListener(0, "127.0.0.1").setIoThreads(2).setHandler(handler)
                .build();
        server = started;
        started.start();
        int port = ((InetSocketAddress) started.getListenerInfo().get(0).getAddress()).getPort();
        HttpClient client = HttpClient.newHttpClient();

        for (int i = 0; i < 4; i++) {
            assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
        HttpResponse<byte[]> download = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/download?size=3000000&chunked")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.body()).hasSize(3_000_000);
        HttpResponse<String> upload = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2_000_000])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(upload.body()).endsWith(" 2000000");

        assertThat(transport.loops).hasSizeGreaterThanOrEqualTo(6);
        for (int i = 0; i < transport.loops.size(); i++) {
            Executor loop = transport.loops.get(i);
            assertThat(loop).as("exchange %d's event loop", i).isInstanceOf(XnioIoThread.class);
            assertThat(transport.threads.get(i)).as("the threads exchange %d's callbacks ran on", i)
                    .containsOnly((Thread) loop);
        }
    }
}
