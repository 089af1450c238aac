package dev.junction.testkit;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Stops every server a test started, newest first, whatever the test's outcome. */
public final class StartedServers implements AfterEachCallback {

    private final List<AutoCloseable> started = new ArrayList<>();

    /** Returns the server, to be stopped after the test. */
    public <T extends AutoCloseable> T add(T server) {
        started.add(server);
        return server;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception failure = null;
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                failure = failure == null ? e : failure;
            }
        }
        started.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
