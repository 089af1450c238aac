package dev.junction.spring;

import org.springframework.boot.web.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;

import dev.junction.core.Junction;

/**
 * Closes the application's Junction between Spring Boot's graceful shutdown of the web server and the web server's
 * stop, so the proxied requests still in flight finish before Junction and then the server let go of their
 * connections.
 *
 * <p>On shutdown Boot stops lifecycle beans from the highest phase down: first the web server's graceful shutdown
 * ({@code server.shutdown=graceful}, the default: no new connections, and a wait for the requests in flight, proxied
 * ones included since they are asynchronous requests the server counts), then this bean, whose
 * {@link Junction#close()} waits for any exchange still in flight up to its grace (the application's
 * {@code spring.lifecycle.timeout-per-shutdown-phase}) and stops Junction's checks and client, then the web server.
 * With {@code server.shutdown=immediate}, Junction's own wait is the only one. Junction is started when its bean is
 * made, before the web server takes requests, so {@link #start()} has nothing to do; a Junction closed by a stop of
 * the application context cannot start again, and a later start of the context says so instead of serving requests
 * through a closed Junction.
 *
 * <p>Thread-safe, as Junction is.
 */
final class JunctionLifecycle implements SmartLifecycle {

    /** Between the web server's graceful shutdown and its stop; see the class doc. */
    static final int PHASE = WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 512;

    private final Junction junction;

    JunctionLifecycle(Junction junction) {
        this.junction = junction;
    }

    @Override
    public void start() {
        // Started when made (then Spring finds it running and does not call this); see the class doc.
        if (!junction.isRunning()) {
            throw new IllegalStateException("Junction was closed when the application context stopped and does not"
                    + " start again: restart the application");
        }
    }

    @Override
    public void stop() {
        junction.close();
    }

    @Override
    public boolean isRunning() {
        return junction.isRunning();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
