package dev.junction.core.internal.engine;

import java.util.concurrent.TimeoutException;

/** A route's timeout ran out while waiting for a backend: connecting, or for the response head. */
final class BackendTimeoutException extends TimeoutException {

    private static final long serialVersionUID = 1L;

    BackendTimeoutException(String phase, long millis) {
        super(phase + " timeout of " + millis + " ms elapsed");
    }
}
