package dev.junction.undertow.transport;

/**
 * A backend's response that cannot be read for certain: a malformed line, conflicting framing, a head or a chunk
 * line over its limit. The connection it came on is closed, and nothing of the response reaches the client. Not an
 * {@link java.io.IOException}: the backend answered, badly, and sending the request again would not help.
 */
final class BadResponseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    BadResponseException(String what) {
        super("bad response from the backend: " + what, null, false, false);
    }
}
