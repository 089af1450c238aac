package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.client.ByteBufferRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;

import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.BackendProtocol;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.status.BackendStatus;

/**
 * gRPC end to end through an adapter that speaks HTTP/2 to its clients, with a real grpc-java server behind it
 * ({@code protocol: h2c}) and a real grpc-java client in front: unary calls and their statuses and trailers, streams
 * in each direction and both at once, deadlines that end the backend's call, and {@code UNAVAILABLE} (gRPC status
 * 14) when no backend can serve.
 */
public abstract class GrpcSuite {

    /** Starts the adapter under test over {@code config}, speaking h2c to its clients; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    @RegisterExtension
    protected final StartedServers servers = new StartedServers();

    private Gateway gateway(String backendUrl) {
        return servers.add(startGateway(JunctionConfig.builder().route(RouteConfig.builder().name("grpc")
                .prefix("/").backend(BackendConfig.builder().url(backendUrl).protocol(BackendProtocol.H2C).build())
                .build()).build()));
    }

    /** A plaintext channel to the gateway: h2c by prior knowledge, as gRPC clients speak it. */
    private ManagedChannel channel(Gateway gateway) {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", gateway.port(),
                InsecureChannelCredentials.create()).build();
        servers.add(() -> {
            channel.shutdownNow();
            channel.awaitTermination(5, TimeUnit.SECONDS);
        });
        return channel;
    }

    private static CallOptions within(int seconds) {
        return CallOptions.DEFAULT.withDeadlineAfter(seconds, TimeUnit.SECONDS);
    }

    @Test
    void unaryCallsTheirStatusesAndTrailersPassThrough() {
        GrpcBackend backend = servers.add(GrpcBackend.start());
        ManagedChannel channel = channel(gateway(backend.url()));

        assertThat(ClientCalls.blockingUnaryCall(channel, GrpcBackend.UNARY, within(10), "hello"))
                .isEqualTo("echo hello");
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, GrpcBackend.UNARY, within(10), "fail"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, failed -> {
                    assertThat(failed.getStatus().getCode()).as(failed.getStatus().toString())
                            .isEqualTo(Status.Code.NOT_FOUND);
                    // grpc-message is percent-encoded UTF-8 on the wire; it arrives as the backend wrote it.
                    assertThat(failed.getStatus().getDescription()).isEqualTo("no such thing: \u00e9t\u00e9 100%");
                    assertThat(failed.getTrailers().get(GrpcBackend.DETAIL)).isEqualTo("kept");
                });
    }

    @Test
    void streamsFlowInEachDirectionAndInBothAtOnce() throws Exception {
        GrpcBackend backend = servers.add(GrpcBackend.start());
        ManagedChannel channel = channel(gateway(backend.url()));

        List<String> items = new ArrayList<>();
        Iterator<String> listed = ClientCalls.blockingServerStreamingCall(channel, GrpcBackend.LIST, within(10),
                "300");
        listed.forEachRemaining(items::add);
        assertThat(items).hasSize(300).startsWith("item 0").endsWith("item 299");

        Replies counted = new Replies();
        StreamObserver<String> counting = ClientCalls.asyncClientStreamingCall(
                channel.newCall(GrpcBackend.COUNT, within(10)), counted);
        for (int i = 0; i < 300; i++) {
            counting.onNext("m" + i);
        }
        counting.onCompleted();
        assertThat(counted.next()).isEqualTo("count 300");
        assertThat(counted.end()).isNull();

        // Each message waits for the answer to the one before: only a full-duplex path gets through this, with the
        // request stream still open while answers come back.
        Replies chat = new Replies();
        ClientCall<String, String> call = channel.newCall(GrpcBackend.CHAT, within(20));
        StreamObserver<String> talking = ClientCalls.asyncBidiStreamingCall(call, chat);
        for (int i = 0; i < 50; i++) {
            talking.onNext("ping " + i);
            assertThat(chat.next()).isEqualTo("pong ping " + i);
        }
        talking.onCompleted();
        assertThat(chat.end()).isNull();
    }

    @Test
    void aPassedDeadlineEndsTheCallOnTheBackendToo() throws Exception {
        GrpcBackend backend = servers.add(GrpcBackend.start());
        ManagedChannel channel = channel(gateway(backend.url()));

        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, GrpcBackend.UNARY,
                CallOptions.DEFAULT.withDeadlineAfter(300, TimeUnit.MILLISECONDS), "slow"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, failed ->
                        assertThat(failed.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        assertThat(backend.cancelled.await(10, TimeUnit.SECONDS)).as("the backend's call cancelled").isTrue();
    }

    @Test
    void junctionEndsACallAtItsGrpcTimeoutWithDeadlineExceeded() throws Exception {
        GrpcBackend backend = servers.add(GrpcBackend.start());
        Gateway gateway = gateway(backend.url());
        Http2Client client = servers.add(Http2Client.start(null));

        // A client that states its deadline and leaves the waiting to the proxy (grpc-java's would cancel itself).
        ContentResponse answer = client.jetty().newRequest(gateway.uri("/" + GrpcBackend.SERVICE + "/Unary"))
                .method("POST")
                .headers(headers -> headers.put("Content-Type", "application/grpc").put("TE", "trailers")
                        .put("grpc-timeout", "400m"))
                .body(new ByteBufferRequestContent(frame("slow")))
                .timeout(10, TimeUnit.SECONDS).send();

        assertThat(answer.getStatus()).isEqualTo(200);
        assertThat(answer.getTrailers()).isNotNull();
        assertThat(answer.getTrailers().get("grpc-status")).isEqualTo("4");
        assertThat(answer.getTrailers().get("grpc-message")).contains("route 'grpc'", "grpc-timeout");
        assertThat(backend.cancelled.await(10, TimeUnit.SECONDS)).as("the backend's call cancelled").isTrue();
        // A deadline the client chose says nothing of the backend: no failure counted, still available.
        BackendStatus status = gateway.junction().status().get(0).backends().get(0);
        assertThat(status.failures()).isZero();
        assertThat(status.available()).isTrue();
    }

    @Test
    void aCallNoBackendCanServeIsUnavailable() throws Exception {
        int closed = FaultyBackend.closedPort();
        ManagedChannel channel = channel(gateway("http://127.0.0.1:" + closed));

        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, GrpcBackend.UNARY, within(10), "hello"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, failed -> {
                    assertThat(failed.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(failed.getStatus().getDescription()).contains("route 'grpc'");
                });
    }

    /** One gRPC message as it goes on the wire: uncompressed, its length, its bytes. */
    private static ByteBuffer frame(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(5 + bytes.length).put((byte) 0).putInt(bytes.length).put(bytes).flip();
    }

    /** The answers of a streaming call, taken one at a time, and how it ended. */
    private static final class Replies implements StreamObserver<String> {

        private static final Object END = new Object();
        private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

        @Override
        public void onNext(String value) {
            events.add(value);
        }

        @Override
        public void onError(Throwable failure) {
            events.add(failure);
        }

        @Override
        public void onCompleted() {
            events.add(END);
        }

        /** Returns the next answer; fails on the call's end or failure, or after 10 s without one. */
        String next() throws InterruptedException {
            Object event = events.poll(10, TimeUnit.SECONDS);
            assertThat(event).as("an answer within 10 s").isInstanceOf(String.class);
            return (String) event;
        }

        /** Returns null once the call completes; its failure if it failed. */
        Throwable end() throws InterruptedException {
            Object event = events.poll(10, TimeUnit.SECONDS);
            assertThat(event).as("the call's end within 10 s").isNotNull().isNotInstanceOf(String.class);
            return event == END ? null : (Throwable) event;
        }
    }
}
