package dev.junction.core.tls;

import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;

import javax.net.ssl.SSLHandshakeException;

import org.jspecify.annotations.Nullable;

/** Says in plain words why a TLS handshake with a backend failed. Stateless and thread-safe. */
public final class TlsFailures {

    private TlsFailures() {
    }

    /**
     * Returns why a TLS handshake with a backend failed, in words for the client's 502, health checks and the logs,
     * or null if {@code failure} (or a cause of it) is no handshake failure.
     *
     * @param failure the failure of a request or a health check, walked down its causes
     * @return the reason in words, or null when no {@link SSLHandshakeException} is among the causes
     */
    public static @Nullable String describe(Throwable failure) {
        SSLHandshakeException handshake = null;
        for (Throwable cause = failure; cause != null && handshake == null; cause = cause.getCause()) {
            if (cause instanceof SSLHandshakeException found) {
                handshake = found;
            }
        }
        if (handshake == null) {
            return null;
        }
        for (Throwable cause = handshake; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateExpiredException) {
                return "the backend's certificate has expired";
            }
            if (cause instanceof CertificateNotYetValidException) {
                return "the backend's certificate is not valid yet";
            }
            if (cause.getClass().getSimpleName().equals("SunCertPathBuilderException")) {
                return "the backend's certificate is not signed by a trusted authority";
            }
        }
        String message = String.valueOf(handshake.getMessage());
        if (message.startsWith("No subject alternative") || message.startsWith("No name matching")) {
            return "the backend's certificate does not name it (" + message + ")";
        }
        if (message.startsWith("Received fatal alert: ")) {
            String alert = message.substring("Received fatal alert: ".length());
            return alert.startsWith("certificate_required") || alert.startsWith("bad_certificate")
                    || alert.startsWith("unknown_ca") || alert.startsWith("certificate_unknown")
                    ? "the backend refused Junction's client certificate (" + alert + ")"
                    : "the backend refused the handshake (" + alert + ")";
        }
        return message;
    }
}
