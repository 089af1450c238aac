package dev.junction.undertow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import brave.Span;
import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import brave.sampler.Sampler;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.brave.bridge.W3CPropagation;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;

import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RetryConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.StartedServers;
import dev.junction.testkit.TestBackend;

/**
 * Junction's observations with Micrometer Tracing over Brave, W3C propagation, as a Spring Boot application sets them
 * up: a server span per exchange continuing the client's trace, a client span per attempt, and the attempt's context
 * in the backend request.
 */
class TracingTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN = "00f067aa0ba902b7";

    @RegisterExtension
    final StartedServers servers = new StartedServers();

    private final List<MutableSpan> spans = new CopyOnWriteArrayList<>();
    private final Tracing tracing = Tracing.newBuilder()
            .localServiceName("junction")
            .sampler(Sampler.ALWAYS_SAMPLE)
            .propagationFactory(new W3CPropagation(new BraveBaggageManager(), Collections.emptyList()))
            .addSpanHandler(new SpanHandler() {
                @Override
                public boolean end(TraceContext context, MutableSpan span, Cause cause) {
                    spans.add(span);
                    return true;
                }
            })
            .build();
    private final HttpClient client = HttpClient.newHttpClient();

    @AfterEach
    void closeTracing() {
        tracing.close();
    }

    private ObservationRegistry registry() {
        BraveTracer tracer = new BraveTracer(tracing.tracer(),
                new BraveCurrentTraceContext(tracing.currentTraceContext()), new BraveBaggageManager());
        BravePropagator propagator = new BravePropagator(tracing);
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer)));
        return registry;
    }

    @Test
    void anExchangeContinuesTheClientsTraceAndEachAttemptIsASpanTheBackendContinues() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        Gateway gateway = servers.add(UndertowGateway.start(
                JunctionHandler.junctionBuilder().observationRegistry(registry()),
                JunctionConfig.builder().route(RouteConfig.builder().name("api").prefix("/api").stripPrefix(true)
                        .backend(backend.url())
                        .retries(RetryConfig.builder().maxAttempts(2).retryStatuses("503")
                                .backoff(Duration.ofMillis(5), Duration.ofMillis(10)).build())
                        .build()).build()));
        backend.failNext(1, 503);

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri("/api/x"))
                .header("traceparent", "00-" + TRACE + "-" + CLIENT_SPAN + "-01").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(5)).until(() -> spans.size() == 3);
        MutableSpan exchange = spans.stream().filter(span -> span.kind() == Span.Kind.SERVER).findFirst()
                .orElseThrow();
        List<MutableSpan> attempts = spans.stream().filter(span -> span.kind() == Span.Kind.CLIENT).toList();
        assertThat(exchange.traceId()).isEqualTo(TRACE);
        assertThat(exchange.parentId()).isEqualTo(CLIENT_SPAN);
        assertThat(exchange.tag("junction.route")).isEqualTo("api");
        assertThat(exchange.tag("http.status_code")).isEqualTo("200");
        assertThat(attempts).hasSize(2).allSatisfy(attempt -> {
            assertThat(attempt.traceId()).isEqualTo(TRACE);
            assertThat(attempt.parentId()).isEqualTo(exchange.id());
        });
        assertThat(attempts).extracting(attempt -> attempt.tag("http.status_code")).containsExactlyInAnyOrder("503",
                "200");

        // The backend got the last attempt's context: the client's trace, the attempt's span as parent.
        Matcher sent = Pattern.compile("traceparent: 00-(\\w{32})-(\\w{16})-01").matcher(response.body());
        assertThat(sent.find()).as(response.body()).isTrue();
        assertThat(sent.group(1)).isEqualTo(TRACE);
        MutableSpan succeeded = attempts.stream().filter(attempt -> "200".equals(attempt.tag("http.status_code")))
                .findFirst().orElseThrow();
        assertThat(sent.group(2)).isEqualTo(succeeded.id());
    }

    @Test
    void withoutARegistryTheClientsTraceContextPassesUnchanged() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        Gateway gateway = servers.add(UndertowGateway.start(JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/api").backend(backend.url()).build()).build()));
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri("/api/x"))
                .header("traceparent", "00-" + TRACE + "-" + CLIENT_SPAN + "-01")
                .header("tracestate", "vendor=1").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).contains("traceparent: 00-" + TRACE + "-" + CLIENT_SPAN + "-01")
                .contains("tracestate: vendor=1");
        assertThat(spans).isEmpty();
    }
}
