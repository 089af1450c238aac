package dev.junction.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.junction.core.Junction;
import dev.junction.core.Match;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.config.TimeoutConfig;
import dev.junction.core.http.BodySource;
import dev.junction.core.http.Chunk;
import dev.junction.core.http.Fields;
import dev.junction.core.http.WriteCallback;
import dev.junction.core.internal.FakeTicker;
import dev.junction.core.internal.ManualScheduler;
import dev.junction.core.spi.BackendRequest;
import dev.junction.core.spi.ResponseListener;
import dev.junction.core.spi.ServerExchange;
import dev.junction.core.spi.Transport;

/**
 * A client that stops taking the response once the backend has sent all of it: the backend's transport is done, so
 * only the engine can end the exchange, and it does so at the route's idle timeout, releasing the in-flight count and
 * counting nothing against the backend.
 */
class StalledClientTest {

    private final FakeTicker ticker = new FakeTicker();
    private final ManualScheduler scheduler = new ManualScheduler(ticker);
    private @Nullable Junction junction;

    @AfterEach
    void close() {
        if (junction != null) {
            junction.close();
        }
    }

    /** A backend that answers every request at once and completely: one chunk, the last. */
    private static final Transport ANSWERS_AT_ONCE = new Transport() {
        @Override
        public void start() {
        }

        @Override
        public void stop() {
        }

        @Override
        public Exchange send(BackendRequest request, ResponseListener listener) {
            listener.requestBegun();
            listener.requestSent();
            listener.responseBegun();
            listener.head(200, new Fields().add("Content-Length", "5"));
            Chunk whole = Chunk.of(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)), true, () -> { });
            listener.body(new BodySource() {
                private boolean read;

                @Override
                public @Nullable Chunk read() {
                    if (read) {
                        return null;
                    }
                    read = true;
                    return whole;
                }

                @Override
                public void demand(Runnable callback) {
                }

                @Override
                public long length() {
                    return 5;
                }
            });
            listener.completed(null);
            return cause -> { };
        }
    };

    @Test
    void aClientThatTakesNoneOfTheLastBytesIsCutOffAtTheIdleTimeout() {
        junction = Junction.builder().ticker(ticker).scheduler(scheduler).transport(ANSWERS_AT_ONCE)
                .build(JunctionConfig.builder().route(RouteConfig.builder().name("api").prefix("/")
                        .backend("http://10.0.0.1:8080")
                        .timeouts(TimeoutConfig.builder().idle(Duration.ofSeconds(2)).build()).build()).build())
                .start();
        StalledClient client = new StalledClient();
        Match match = junction.match(client);
        assertThat(match).isNotNull();

        match.serve(client);
        assertThat(client.writes).as("the head and the body, written; never taken").hasSize(1);
        assertThat(junction.inFlight()).isEqualTo(1);
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(client.aborted).isEmpty();

        scheduler.advance(Duration.ofMillis(1500));

        assertThat(client.aborted).singleElement().asString().contains("took no response bytes for 2000 ms");
        assertThat(junction.inFlight()).isZero();
        assertThat(junction.status().get(0).backends().get(0).failures()).isZero();
        assertThat(junction.status().get(0).backends().get(0).inFlight()).isZero();
    }

    /** A client whose connection takes the head and the body and then never says it has. */
    private static final class StalledClient implements ServerExchange {
        final List<String> writes = new CopyOnWriteArrayList<>();
        final List<Throwable> aborted = new CopyOnWriteArrayList<>();

        @Override
        public String method() {
            return "GET";
        }

        @Override
        public String rawPath() {
            return "/x";
        }

        @Override
        public @Nullable String rawQuery() {
            return null;
        }

        @Override
        public String protocol() {
            return "HTTP/1.1";
        }

        @Override
        public String scheme() {
            return "http";
        }

        @Override
        public Fields requestHeaders() {
            return new Fields().add("Host", "gw.test");
        }

        @Override
        public String clientAddress() {
            return "192.0.2.7";
        }

        @Override
        public int localPort() {
            return 8080;
        }

        @Override
        public BodySource requestBody() {
            throw new AssertionError("a GET has no body to read");
        }

        @Override
        public void writeHead(int status, Fields headers, boolean last, ByteBuffer content, WriteCallback callback) {
            writes.add(status + " last=" + last);
        }

        @Override
        public void write(boolean last, ByteBuffer content, WriteCallback callback) {
            writes.add("body last=" + last);
        }

        @Override
        public void abort(Throwable cause) {
            aborted.add(cause);
        }

        @Override
        public void onClientGone(Consumer<Throwable> listener) {
        }
    }
}
