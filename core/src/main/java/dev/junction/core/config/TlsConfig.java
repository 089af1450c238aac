package dev.junction.core.config;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * How a route's {@code https://} backends are reached: which certificate authorities are trusted, whether Junction
 * shows a certificate of its own (mutual TLS), and the name the backend's certificate must carry. The backend's
 * certificate is always verified, with its host name, unless {@link #insecureSkipVerify} says otherwise.
 *
 * <p>Immutable. Built with {@link #builder()}; checked as part of {@link JunctionConfig}, and its files read when the
 * Junction is built (a file that cannot be read or parsed is a problem reported with the rest).
 *
 * @param caBundle a PEM file of the certificate authorities that may sign a backend's certificate, in place of the
 *     JDK's trust store; null for the JDK's (nginx {@code proxy_ssl_trusted_certificate})
 * @param certificate a PEM file of the client certificate Junction shows (and its chain), with {@link #key}; null for
 *     none (nginx {@code proxy_ssl_certificate})
 * @param key the PEM file of {@link #certificate}'s private key, PKCS#8 (encrypted or not) or PKCS#1 RSA; null for none
 *     (nginx {@code proxy_ssl_certificate_key})
 * @param keyStore a PKCS#12 file holding the client certificate and its key, in place of {@link #certificate} and
 *     {@link #key}; null for none
 * @param keyPasswordFile a file whose first line is the password of {@link #key} or {@link #keyStore}; null for none
 *     (nginx {@code proxy_ssl_password_file})
 * @param keyPasswordEnv an environment variable holding that password, in place of {@link #keyPasswordFile}; null for
 *     none
 * @param serverName the name sent in SNI and that the backend's certificate must carry, in place of the backend URL's
 *     host; null for the host (nginx {@code proxy_ssl_name} with {@code proxy_ssl_server_name on})
 * @param insecureSkipVerify whether any certificate is accepted, unverified: for development only, logged as a
 *     warning when the Junction starts; default false (nginx {@code proxy_ssl_verify off})
 */
public record TlsConfig(
        @Nullable String caBundle,
        @Nullable String certificate,
        @Nullable String key,
        @Nullable String keyStore,
        @Nullable String keyPasswordFile,
        @Nullable String keyPasswordEnv,
        @Nullable String serverName,
        boolean insecureSkipVerify) {

    /** The JDK's trust store, no client certificate, the backend's own host name. */
    public static final TlsConfig DEFAULT = new TlsConfig(null, null, null, null, null, null, null, false);

    /** {@return whether Junction shows a client certificate} */
    public boolean clientCertificate() {
        return certificate != null || keyStore != null;
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link TlsConfig}. Not thread-safe. */
    public static final class Builder {
        private @Nullable String caBundle;
        private @Nullable String certificate;
        private @Nullable String key;
        private @Nullable String keyStore;
        private @Nullable String keyPasswordFile;
        private @Nullable String keyPasswordEnv;
        private @Nullable String serverName;
        private boolean insecureSkipVerify;

        private Builder() {
        }

        /**
         * Sets {@link TlsConfig#caBundle()}.
         *
         * @param caBundle a PEM file of the certificate authorities that may sign a backend's certificate, in place of
         *     the JDK's trust store
         * @return this builder
         */
        public Builder caBundle(String caBundle) {
            this.caBundle = Objects.requireNonNull(caBundle, "caBundle");
            return this;
        }

        /**
         * Sets {@link TlsConfig#certificate()}.
         *
         * @param certificate a PEM file of the client certificate Junction shows (and its chain), with {@link #key}
         * @return this builder
         */
        public Builder certificate(String certificate) {
            this.certificate = Objects.requireNonNull(certificate, "certificate");
            return this;
        }

        /**
         * Sets {@link TlsConfig#key()}.
         *
         * @param key the PEM file of the certificate's private key, PKCS#8 (encrypted or not) or PKCS#1 RSA
         * @return this builder
         */
        public Builder key(String key) {
            this.key = Objects.requireNonNull(key, "key");
            return this;
        }

        /**
         * Sets {@link TlsConfig#keyStore()}.
         *
         * @param keyStore a PKCS#12 file holding the client certificate and its key, in place of {@link #certificate}
         *     and {@link #key}
         * @return this builder
         */
        public Builder keyStore(String keyStore) {
            this.keyStore = Objects.requireNonNull(keyStore, "keyStore");
            return this;
        }

        /**
         * Sets {@link TlsConfig#keyPasswordFile()}.
         *
         * @param keyPasswordFile a file whose first line is the password of the key or key store
         * @return this builder
         */
        public Builder keyPasswordFile(String keyPasswordFile) {
            this.keyPasswordFile = Objects.requireNonNull(keyPasswordFile, "keyPasswordFile");
            return this;
        }

        /**
         * Sets {@link TlsConfig#keyPasswordEnv()}.
         *
         * @param keyPasswordEnv an environment variable holding the password of the key or key store, in place of
         *     {@link #keyPasswordFile}
         * @return this builder
         */
        public Builder keyPasswordEnv(String keyPasswordEnv) {
            this.keyPasswordEnv = Objects.requireNonNull(keyPasswordEnv, "keyPasswordEnv");
            return this;
        }

        /**
         * Sets {@link TlsConfig#serverName()}.
         *
         * @param serverName the name sent in SNI and that the backend's certificate must carry, in place of the backend
         *     URL's host
         * @return this builder
         */
        public Builder serverName(String serverName) {
            this.serverName = Objects.requireNonNull(serverName, "serverName");
            return this;
        }

        /**
         * Sets {@link TlsConfig#insecureSkipVerify()}.
         *
         * @param insecureSkipVerify whether any certificate is accepted, unverified: for development only, logged as a
         *     warning when the Junction starts; default false (nginx {@code proxy_ssl_verify off})
         * @return this builder
         */
        public Builder insecureSkipVerify(boolean insecureSkipVerify) {
            this.insecureSkipVerify = insecureSkipVerify;
            return this;
        }

        /** {@return the TLS settings, from this builder's settings} */
        public TlsConfig build() {
            return new TlsConfig(caBundle, certificate, key, keyStore, keyPasswordFile, keyPasswordEnv, serverName,
                    insecureSkipVerify);
        }
    }
}
