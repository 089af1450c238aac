package dev.junction.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import brave.Span;
import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import brave.sampler.Sampler;
import io.micrometer.observation.Observation;
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

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;

import dev.junction.core.Junction;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.testkit.StartedServers;
import dev.junction.testkit.TestBackend;

/**
 * The filter behind a server observation of the application's own, as Spring's {@code ServerHttpObservationFilter}
 * opens one around the chain: Junction's attempts are children of it, and Junction starts no exchange observation.
 */
class ServerObservationTest {

    @RegisterExtension
    final StartedServers servers = new StartedServers();

    private final List<MutableSpan> spans = new CopyOnWriteArrayList<>();
    private final Tracing tracing = Tracing.newBuilder()
            .traceId128Bit(true)
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

    @AfterEach
    void closeTracing() {
        tracing.close();
    }

    @Test
    void attemptsAreChildrenOfTheApplicationsServerObservation() throws Exception {
        BraveTracer tracer = new BraveTracer(tracing.tracer(),
                new BraveCurrentTraceContext(tracing.currentTraceContext()), new BraveBaggageManager());
        BravePropagator propagator = new BravePropagator(tracing);
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer)));
        TestBackend backend = servers.add(TestBackend.start("a"));
        Junction junction = servers.add(Junction.builder().observationRegistry(registry).build(JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/api").backend(backend.url()).build())
                .build()).start());

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        // The application's server observation, in scope while the chain runs, as Spring's filter opens it.
        Filter observing = (request, response, chain) -> {
            Observation observation = Observation.start("http.server.requests", registry);
            try (Observation.Scope scope = observation.openScope()) {
                chain.doFilter(request, response);
            } finally {
                observation.stop();
            }
        };
        FilterHolder outer = new FilterHolder(observing);
        outer.setAsyncSupported(true);
        context.addFilter(outer, "/*", EnumSet.of(DispatcherType.REQUEST));
        FilterHolder proxy = new FilterHolder(new ProxyFilter(junction));
        proxy.setAsyncSupported(true);
        context.addFilter(proxy, "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new NextServlet()), "/");
        server.setHandler(context);
        server.start();
        servers.add(server::stop);

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/api/x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(5)).until(() -> spans.size() == 2);
        MutableSpan application = spans.stream().filter(span -> span.kind() == null).findFirst().orElseThrow();
        MutableSpan attempt = spans.stream().filter(span -> span.kind() == Span.Kind.CLIENT).findFirst()
                .orElseThrow();
        assertThat(attempt.traceId()).isEqualTo(application.traceId());
        assertThat(attempt.parentId()).isEqualTo(application.id());
        assertThat(spans).noneMatch(span -> span.kind() == Span.Kind.SERVER);
        assertThat(response.body()).contains("traceparent: 00-" + application.traceId() + "-" + attempt.id());
    }
}
