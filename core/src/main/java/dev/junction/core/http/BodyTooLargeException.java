package dev.junction.core.http;

import java.io.IOException;

/**
 * A client's request body over a limit of the server in front of Junction (Undertow's {@code MAX_ENTITY_SIZE}, for
 * one): an adapter fails the body with it, and the client gets {@code 413} with this message.
 */
public final class BodyTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * A body over {@code limit} bytes; the message says {@code request body over <limit> bytes}.
     *
     * @param limit the most bytes the server takes
     */
    public BodyTooLargeException(long limit) {
        super("request body over " + limit + " bytes");
    }
}
