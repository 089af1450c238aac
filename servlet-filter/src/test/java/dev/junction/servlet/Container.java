package dev.junction.servlet;

import jakarta.servlet.ServletContext;

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

        /** Returns whether the container refuses a request with both Content-Length and Transfer-Encoding. */
        default boolean refusesConflictingFraming() {
            return true;
        }

        /** Returns whether the container checks every byte of a chunked body's framing. */
        default boolean checksChunkedFramingStrictly() {
            return true;
        }

        /** Returns whether the container tells {@code /x?} from {@code /x} (its getQueryString is "" or null). */
        default boolean keepsAnEmptyQuery() {
            return true;
        }

        /** Returns whether the container passes field values on with their inner whitespace as sent. */
        default boolean keepsWhitespaceInFieldValues() {
            return true;
        }
    }
}
