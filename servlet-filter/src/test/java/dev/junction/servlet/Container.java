package dev.junction.servlet;

import jakarta.servlet.ServletContext;

import dev.junction.testkit.ParserQuirks;

/** A real servlet container serving one web application on 127.0.0.1 and an ephemeral port. */
interface Container extends AutoCloseable {

    /** Returns the port it listens on. */
    int port();

    /** Returns the web application's context. */
    ServletContext servletContext();

    /** Stops the container: the web application's filters are destroyed. */
    @Override
    void close();

    /** Deploys web applications in one kind of container. */
    interface Kind {

        /**
         * Starts a container serving {@code app}; throws if the application does not start (a filter's init
         * failed).
         */
        Container deploy(WebApp app);

        /** Returns what the container's parser does where servers differ. */
        default ParserQuirks quirks() {
            return ParserQuirks.NONE;
        }
    }
}
