package dev.junction.core.tls;

/** A TLS file that cannot be used; the message names the file and says what is wrong with it. */
public final class TlsFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, naming the file (or the environment variable) it is about
     */
    public TlsFileException(String message) {
        super(message);
    }
}
