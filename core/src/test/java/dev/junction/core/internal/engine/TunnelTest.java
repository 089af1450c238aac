package dev.junction.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.junction.core.http.WriteCallback;
import dev.junction.core.internal.FakeTicker;
import dev.junction.core.spi.TunnelEnd;

/** The pump between two tunnel ends, over ends in memory that answer at once (the narrow seam; adapters test real ones). */
class TunnelTest {

    private final FakeTicker ticker = new FakeTicker();
    private final Deadlines deadlines = new Deadlines(10, ticker);
    private final AtomicReference<Object> ended = new AtomicReference<>();

    /** An end whose peer's bytes are queued in {@code incoming}; what is written to it lands in {@code written}. */
    private static final class MemoryEnd implements TunnelEnd {
        final Deque<Object> incoming = new ArrayDeque<>();
        final StringBuilder written = new StringBuilder();
        boolean outputShut;
        boolean closed;
        int released;
        @Nullable Reader waiting;

        void arrive(Object bytesOrEnd) {
            incoming.add(bytesOrEnd);
            Reader reader = waiting;
            if (reader != null) {
                waiting = null;
                read(reader);
            }
        }

        @Override
        public void read(Reader reader) {
            Object next = incoming.poll();
            if (next == null) {
                waiting = reader;
            } else if (next instanceof String text) {
                reader.bytes(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), () -> released++);
            } else if (next instanceof IOException failure) {
                reader.failed(failure);
            } else {
                reader.ended();
            }
        }

        @Override
        public void write(ByteBuffer bytes, WriteCallback callback) {
            written.append(StandardCharsets.UTF_8.decode(bytes));
            callback.succeeded();
        }

        @Override
        public void shutdownOutput() {
            outputShut = true;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private Tunnel start(MemoryEnd client, MemoryEnd backend, Duration idle) {
        Tunnel tunnel = Tunnel.open(client, backend, deadlines, ticker, idle.toNanos(),
                (closed, cause) -> ended.set(cause == null ? "clean" : cause));
        tunnel.pump();
        return tunnel;
    }

    @Test
    void pumpsBothWaysAndPassesAHalfCloseOn() {
        MemoryEnd client = new MemoryEnd();
        MemoryEnd backend = new MemoryEnd();
        Tunnel tunnel = start(client, backend, Duration.ofMinutes(1));

        client.arrive("hello ");
        client.arrive("backend");
        backend.arrive("hello client");
        assertThat(backend.written).hasToString("hello backend");
        assertThat(client.written).hasToString("hello client");
        assertThat(client.released + backend.released).as("every buffer given back").isEqualTo(3);

        client.arrive(Boolean.TRUE);
        assertThat(backend.outputShut).as("the client's end of stream reaches the backend").isTrue();
        assertThat(tunnel.closed()).as("the backend may still answer").isFalse();
        backend.arrive("last words");
        assertThat(client.written).hasToString("hello clientlast words");
        backend.arrive(Boolean.TRUE);
        assertThat(tunnel.closed()).isTrue();
        assertThat(client.closed && backend.closed).isTrue();
        assertThat(ended.get()).isEqualTo("clean");
    }

    @Test
    void endsEverySideWhenOneFails() {
        MemoryEnd client = new MemoryEnd();
        MemoryEnd backend = new MemoryEnd();
        start(client, backend, Duration.ofMinutes(1));
        IOException reset = new IOException("connection reset");
        backend.arrive(reset);
        assertThat(client.closed && backend.closed).isTrue();
        assertThat(ended.get()).isSameAs(reset);
    }

    @Test
    void endsWhenNothingMovesForItsIdleTimeout() {
        MemoryEnd client = new MemoryEnd();
        MemoryEnd backend = new MemoryEnd();
        Tunnel tunnel = start(client, backend, Duration.ofSeconds(30));
        ticker.advance(Duration.ofSeconds(20));
        client.arrive("still here");
        ticker.advance(Duration.ofSeconds(20));
        assertThat(ticker.nanos() - tunnel.deadlineNanos()).as("moved 20 s ago").isNegative();
        ticker.advance(Duration.ofSeconds(11));
        tunnel.expired(tunnel.deadlineNanos());
        assertThat(client.closed && backend.closed).isTrue();
        assertThat(ended.get()).isInstanceOf(TimeoutException.class);
        assertThat(tunnel.deadlineNanos()).as("nothing left to watch").isZero();
    }

    @Test
    void anEndThatAnswersAtOnceDoesNotGrowTheStack() {
        MemoryEnd client = new MemoryEnd();
        MemoryEnd backend = new MemoryEnd();
        for (int i = 0; i < 200_000; i++) {
            client.incoming.add("x");
        }
        start(client, backend, Duration.ofMinutes(1));
        assertThat(backend.written.length()).isEqualTo(200_000);
    }
}
