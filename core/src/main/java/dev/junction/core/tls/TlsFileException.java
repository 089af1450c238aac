package dev.junction.core.tls;

/** A TLS file that cannot be used; the message names the file and says what is wrong with it. */
public final class TlsFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TlsFileException(String message) {
        super(message);
    }
}
