package dev.junction.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.junction.core.offload.Offload;
import dev.junction.core.status.OffloadStatus;

/**
 * The offload filter in a real container: the servlet after it runs on the pool's threads, a request above its
 * threads and queue gets 503 with Retry-After at once, the pool is published for its status, and invalid init-params
 * fail the application's start, each named.
 */
abstract class OffloadFilterSuite {

    /** The container the suite deploys into. */
    protected abstract Container.Kind kind();

    /**
     * Whether the container's failure to start carries the filter's exception; Tomcat only logs it and says the
     * application did not start.
     */
    protected boolean startFailureCarriesTheCause() {
        return true;
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        HeavyServlet.open();
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    private static String webXml(String threads, String queue, String retryAfter) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                    <filter>
                        <filter-name>reports</filter-name>
                        <filter-class>dev.junction.servlet.OffloadFilter</filter-class>
                        <init-param><param-name>threads</param-name><param-value>%s</param-value></init-param>
                        <init-param><param-name>queue</param-name><param-value>%s</param-value></init-param>
                        <init-param><param-name>retryAfter</param-name><param-value>%s</param-value></init-param>
                    </filter>
                    <filter-mapping>
                        <filter-name>reports</filter-name>
                        <url-pattern>/reports/*</url-pattern>
                    </filter-mapping>
                    <servlet>
                        <servlet-name>heavy</servlet-name>
                        <servlet-class>dev.junction.servlet.HeavyServlet</servlet-class>
                        <async-supported>true</async-supported>
                    </servlet>
                    <servlet-mapping>
                        <servlet-name>heavy</servlet-name>
                        <url-pattern>/</url-pattern>
                    </servlet-mapping>
                </web-app>
                """.formatted(threads, queue, retryAfter);
    }

    private Container deploy(String webXml) {
        WebApp app = WebApp.withWebXml(webXml);
        started.add(app);
        Container container = kind().deploy(app);
        started.add(container);
        return container;
    }

    private static URI uri(Container container, String target) {
        return URI.create("http://127.0.0.1:" + container.port() + target);
    }

    @Test
    void runsTheServletOnThePoolAndRefusesAboveItsBoundWith503() throws Exception {
        Container container = deploy(webXml("1", "1", "3s"));
        Offload offload = (Offload) container.servletContext().getAttribute(OffloadFilter.ATTRIBUTE_PREFIX
                + "reports");
        assertThat(offload).as("the pool published").isNotNull();

        HeavyServlet.shut();
        List<CompletableFuture<HttpResponse<String>>> admitted = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            admitted.add(http.sendAsync(HttpRequest.newBuilder(uri(container, "/reports/year?hold"))
                    .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString("x".repeat(50_000)))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        await("one running, one waiting").atMost(Duration.ofSeconds(10)).until(() -> offload.status().running() == 1
                && offload.status().queued() == 1);
        long heldFrom = System.nanoTime();
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(uri(container, "/reports/day")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("3");
        assertThat(refused.body()).isEqualTo("overloaded: the reports pool is full (1 running, 1 waiting)\n");
        // Paths the filter is not mapped to stay on the container's threads.
        HttpResponse<String> other = http.send(HttpRequest.newBuilder(uri(container, "/home")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.headers().firstValue("X-Thread").orElseThrow()).doesNotStartWith("junction-offload-");
        long heldMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - heldFrom);
        HeavyServlet.open();

        for (CompletableFuture<HttpResponse<String>> request : admitted) {
            HttpResponse<String> response = request.get(30, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("read 50000 bytes\n");
            assertThat(response.headers().firstValue("X-Thread")).hasValue("junction-offload-reports-1");
        }
        // A task counts as completed when its run returns, which may be just after its response went out.
        await("both counted as completed").atMost(Duration.ofSeconds(10))
                .until(() -> offload.status().completed() == 2);
        OffloadStatus status = offload.status();
        assertThat(status.refused()).isEqualTo(1);
        assertThat(status.maxWaitMillis()).as("the second waited for the first, held until the gate opened")
                .isGreaterThanOrEqualTo(heldMillis);
    }

    @Test
    void invalidInitParamsFailTheStartEachNamed() {
        Throwable failure = catchThrowable(() -> deploy(webXml("none", "-1", "0")));
        assertThat(failure).as("the application did not start").isNotNull();
        if (!startFailureCarriesTheCause()) {
            assertThat(failure).hasMessageContaining("did not start");
            return;
        }
        assertThat(failure).hasStackTraceContaining("Offload filter 'reports': threads: 'none' (expected: an integer"
                + " from 1 to 1024); queue: '-1' (expected: an integer from 0 to 1000000); retryAfter: '0' (expected:"
                + " whole seconds from 1, such as 5 or 5s)");
    }
}
