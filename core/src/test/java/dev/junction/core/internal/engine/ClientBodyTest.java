package dev.junction.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.junction.core.http.BodyHandOver;
import dev.junction.core.http.Chunk;

class ClientBodyTest {

    /** The client's side: fills only when the test delivers. */
    private final List<String> fills = new ArrayList<>();
    private final BodyHandOver client = new BodyHandOver(5, () -> fills.add("fill"));

    @Test
    void aRetryTakesOverTheDemandItsPredecessorLeftWaiting() {
        ClientBody body = new ClientBody(client, 0, failure -> { });
        List<String> told = new ArrayList<>();

        // The first attempt asks, and fails (its backend refused the connection) before the client sent anything.
        body.demand(() -> told.add("first"));
        body.attemptEnded();
        assertThat(body.awaitingClient()).isFalse();
        // The retry asks too: the client's source allows one demand at a time.
        body.demand(() -> told.add("retry"));
        client.deliver(Chunk.of(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)), true));

        assertThat(told).containsExactly("retry");
        assertThat(fills).as("the client was asked once").hasSize(1);
        assertThat(body.read().last()).isTrue();
    }
}
