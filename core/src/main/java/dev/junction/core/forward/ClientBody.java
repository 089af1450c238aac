package dev.junction.core.forward;

import org.eclipse.jetty.io.Content;
import org.jspecify.annotations.Nullable;

/**
 * The client's request body as each attempt towards a backend reads it. The attempt's sender fails its content when
 * the attempt fails; that must not fail the client's body, which the next attempt may still send if nothing of it
 * was read (a backend that refused the connection saw nothing). So failures stop here: when the exchange ends, the
 * adapter disposes of whatever the client has not sent.
 *
 * <p>Used by one attempt at a time, as the {@link Content.Source} contract requires.
 */
final class ClientBody implements Content.Source {

    private final Content.Source source;
    private volatile boolean consumed;

    ClientBody(Content.Source source) {
        this.source = source;
    }

    /** Returns whether any chunk was read: the body can no longer be sent again. */
    boolean consumed() {
        return consumed;
    }

    @Override
    public Content.@Nullable Chunk read() {
        Content.Chunk chunk = source.read();
        if (chunk != null) {
            consumed = true;
        }
        return chunk;
    }

    @Override
    public void demand(Runnable demandCallback) {
        source.demand(demandCallback);
    }

    @Override
    public void fail(Throwable failure) {
        // Deliberately not passed on: see the class comment.
    }

    @Override
    public long getLength() {
        return source.getLength();
    }
}
