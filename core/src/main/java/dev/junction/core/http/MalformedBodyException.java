package dev.junction.core.http;

/** A client's request body whose framing is malformed; the message says what is wrong. */
public final class MalformedBodyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    MalformedBodyException(String message) {
        super(message, null, false, false);
    }
}
