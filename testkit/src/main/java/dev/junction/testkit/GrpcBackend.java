package dev.junction.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntFunction;

import org.jspecify.annotations.Nullable;

import io.grpc.Context;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

/**
 * A real gRPC server (grpc-java on Netty, h2c) on 127.0.0.1 and an ephemeral port, with one service,
 * {@code junction.Test}, whose messages are UTF-8 strings (no protobuf needed):
 * <ul>
 *   <li>{@code Unary}: {@code echo <request>}; {@code fail} ends with {@code NOT_FOUND}, a description and the
 *       trailer {@code x-detail: kept}; {@code slow} never answers, and counts down {@link #cancelled} when its call
 *       is cancelled.</li>
 *   <li>{@code List} (server streaming): the request is a count N; answers {@code item 0} .. {@code item N-1}.</li>
 *   <li>{@code Count} (client streaming): answers {@code count N} once the client has sent N messages.</li>
 *   <li>{@code Chat} (both ways): answers each message {@code m} with {@code pong m} at once.</li>
 * </ul>
 */
public final class GrpcBackend implements AutoCloseable {

    public static final String SERVICE = "junction.Test";
    public static final MethodDescriptor<String, String> UNARY = method(MethodDescriptor.MethodType.UNARY, "Unary");
    public static final MethodDescriptor<String, String> LIST =
            method(MethodDescriptor.MethodType.SERVER_STREAMING, "List");
    public static final MethodDescriptor<String, String> COUNT =
            method(MethodDescriptor.MethodType.CLIENT_STREAMING, "Count");
    public static final MethodDescriptor<String, String> CHAT =
            method(MethodDescriptor.MethodType.BIDI_STREAMING, "Chat");
    /** The trailer {@code fail} sets. */
    public static final Metadata.Key<String> DETAIL = Metadata.Key.of("x-detail", Metadata.ASCII_STRING_MARSHALLER);

    /** Counted down when a {@code slow} call is cancelled (its client gave up, or a proxy reset the stream). */
    public final CountDownLatch cancelled = new CountDownLatch(1);
    /** The calls received. */
    public final AtomicInteger calls = new AtomicInteger();
    private final Server server;

    private GrpcBackend(Server server) {
        this.server = server;
    }

    /** Starts a server. */
    public static GrpcBackend start() {
        GrpcBackend[] self = new GrpcBackend[1];
        ServerServiceDefinition service = ServerServiceDefinition.builder(SERVICE)
                .addMethod(UNARY, ServerCalls.asyncUnaryCall((request, response) -> self[0].unary(request, response)))
                .addMethod(LIST, ServerCalls.asyncServerStreamingCall((request, response) -> {
                    self[0].calls.incrementAndGet();
                    for (int i = 0; i < Integer.parseInt(request); i++) {
                        response.onNext("item " + i);
                    }
                    response.onCompleted();
                }))
                .addMethod(COUNT, ServerCalls.asyncClientStreamingCall(response -> {
                    self[0].calls.incrementAndGet();
                    return new Observer(message -> { }, response, count -> "count " + count);
                }))
                .addMethod(CHAT, ServerCalls.asyncBidiStreamingCall(response -> {
                    self[0].calls.incrementAndGet();
                    return new Observer(message -> response.onNext("pong " + message), response, count -> null);
                }))
                .build();
        try {
            Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
                    InsecureServerCredentials.create()).addService(service).build().start();
            self[0] = new GrpcBackend(server);
            return self[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the URL a route names this backend by, with {@code protocol: h2c}. */
    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    private void unary(String request, StreamObserver<String> response) {
        calls.incrementAndGet();
        switch (request) {
            case "fail" -> {
                Metadata trailers = new Metadata();
                trailers.put(DETAIL, "kept");
                response.onError(Status.NOT_FOUND.withDescription("no such thing: \u00e9t\u00e9 100%")
                        .asRuntimeException(trailers));
            }
            case "slow" -> Context.current().addListener(context -> cancelled.countDown(), Runnable::run);
            default -> {
                response.onNext("echo " + request);
                response.onCompleted();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }

    private static MethodDescriptor<String, String> method(MethodDescriptor.MethodType type, String name) {
        return MethodDescriptor.<String, String>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(Text.INSTANCE)
                .setResponseMarshaller(Text.INSTANCE)
                .build();
    }

    /** Messages as UTF-8 text. */
    private enum Text implements MethodDescriptor.Marshaller<String> {
        INSTANCE;

        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A request stream: each message handed on, and at its end a last answer (if any) and the call completed. */
    private static final class Observer implements StreamObserver<String> {

        private final Consumer<String> each;
        private final StreamObserver<String> response;
        private final IntFunction<@Nullable String> last;
        private int count;

        Observer(Consumer<String> each, StreamObserver<String> response,
                IntFunction<@Nullable String> last) {
            this.each = each;
            this.response = response;
            this.last = last;
        }

        @Override
        public void onNext(String message) {
            count++;
            each.accept(message);
        }

        @Override
        public void onError(Throwable failure) {
            // The client cancelled: nothing more to answer.
        }

        @Override
        public void onCompleted() {
            String answer = last.apply(count);
            if (answer != null) {
                response.onNext(answer);
            }
            response.onCompleted();
        }
    }
}
