package dev.junction.core.spi;

import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

import org.jspecify.annotations.Nullable;

import dev.junction.core.config.AddressRange;
import dev.junction.core.config.TlsConfig;
import dev.junction.core.tls.TlsFileException;
import dev.junction.core.tls.TlsFiles;

/**
 * How a transport speaks TLS to a route's {@code https://} backends, made once from the route's {@link TlsConfig}:
 * the SSL context (trusted authorities, Junction's client certificate) and the engine settings every connection gets
 * ({@link #newEngine}): TLS 1.3 and 1.2 only, the certificate verified with its host name (RFC 6125, as browsers do)
 * unless verification is off, and SNI.
 *
 * <p>Immutable and thread-safe. Transports may key their connection pools by it (identity): one instance per route.
 */
public final class BackendTls {

    /** The protocols offered: TLS 1.3 and 1.2, as Mozilla's "intermediate" profile and nginx's default. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final SSLContext context;
    private final @Nullable String serverName;
    private final boolean verifies;
    /** {@link #PROTOCOLS} as far as the context supports them. */
    private final String[] protocols;

    private BackendTls(SSLContext context, @Nullable String serverName, boolean verifies) {
        this.context = context;
        this.serverName = serverName;
        this.verifies = verifies;
        List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getProtocols());
        this.protocols = PROTOCOLS.stream().filter(supported::contains).toArray(String[]::new);
    }

    /**
     * Builds the TLS of a configuration, reading its files; each file that cannot be used is reported to
     * {@code problems} with the name of its key ({@code caBundle}, {@code key}, ...), and null is returned.
     *
     * @param config the route's TLS settings
     * @param environment where {@code keyPasswordEnv} is read ({@code System::getenv})
     * @param problems told each problem: the settings key at fault and what is wrong
     * @return the TLS of the route, or null if a problem was reported
     */
    public static @Nullable BackendTls of(TlsConfig config, Function<String, @Nullable String> environment,
            BiConsumer<String, String> problems) {
        TrustManager[] trust = null;
        KeyManager[] keys = null;
        boolean failed = false;
        try {
            trust = config.insecureSkipVerify() ? new TrustManager[] {new TrustingAll()}
                    : TlsFiles.trustManagers(config.caBundle() == null ? null
                            : TlsFiles.trustStore(Path.of(config.caBundle())));
        } catch (TlsFileException e) {
            problems.accept("caBundle", e.getMessage());
            failed = true;
        }
        try {
            keys = keyManagers(config, environment);
        } catch (KeyProblem e) {
            problems.accept(e.key, e.getMessage());
            failed = true;
        }
        if (failed) {
            return null;
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            return new BackendTls(context, config.serverName(), !config.insecureSkipVerify());
        } catch (GeneralSecurityException e) {
            problems.accept("certificate", "the JDK cannot make a TLS context of it: " + e.getMessage());
            return null;
        }
    }

    /**
     * Returns the TLS of a route with no settings of its own: the JDK's trust store, no client certificate. Made once,
     * when first asked for (an {@code https://} backend added at run time to a route that had none).
     *
     * @return the default TLS, the same instance on every call
     */
    public static BackendTls defaults() {
        return Defaults.TLS;
    }

    /** Holds the default TLS, made on first use. */
    private static final class Defaults {
        static final BackendTls TLS = Objects.requireNonNull(of(TlsConfig.DEFAULT, name -> null, (key, problem) -> {
            throw new IllegalStateException("the JDK's default trust store cannot be used: " + problem);
        }));
    }

    /** {@return the SSL context: the trusted authorities and Junction's client certificate, if any} */
    public SSLContext context() {
        return context;
    }

    /** {@return the name sent in SNI and verified in place of the backend's host, or null for the host} */
    public @Nullable String serverName() {
        return serverName;
    }

    /** {@return whether backends' certificates are verified (false only with {@code insecureSkipVerify})} */
    public boolean verifies() {
        return verifies;
    }

    /**
     * Returns a client engine for a connection to {@code host}: TLS 1.3 and 1.2, the certificate checked against the
     * server name (or {@code host}) unless verification is off, and that name sent in SNI when it is not an IP address.
     *
     * @param host the backend's host, name or address
     * @param port the backend's port
     * @return a new engine in client mode
     */
    public SSLEngine newEngine(String host, int port) {
        String name = serverName != null ? serverName : host;
        SSLEngine engine = context.createSSLEngine(name, port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(protocols);
        if (verifies) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!AddressRange.isLiteral(name)) {
            parameters.setServerNames(List.of(new SNIHostName(name)));
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    private static KeyManager @Nullable [] keyManagers(TlsConfig config, Function<String, @Nullable String> env) {
        if (!config.clientCertificate()) {
            return null;
        }
        char[] password;
        try {
            password = TlsFiles.password(config.keyPasswordFile(), config.keyPasswordEnv(), env);
        } catch (TlsFileException e) {
            throw new KeyProblem(config.keyPasswordFile() != null ? "keyPasswordFile" : "keyPasswordEnv", e);
        }
        KeyStore store;
        char[] storePassword = password != null ? password : new char[0];
        if (config.keyStore() != null) {
            try {
                store = TlsFiles.pkcs12(Path.of(config.keyStore()), storePassword);
            } catch (TlsFileException e) {
                throw new KeyProblem("keyStore", e);
            }
        } else {
            try {
                TlsFiles.certificates(Path.of(config.certificate()));
            } catch (TlsFileException e) {
                throw new KeyProblem("certificate", e);
            }
            try {
                store = TlsFiles.keyStore(Path.of(config.certificate()), Path.of(config.key()), storePassword,
                        password);
            } catch (TlsFileException e) {
                throw new KeyProblem("key", e);
            }
        }
        try {
            return TlsFiles.keyManagers(store, storePassword);
        } catch (TlsFileException e) {
            throw new KeyProblem(config.keyStore() != null ? "keyStore" : "key", e);
        }
    }

    /** A client-key file that cannot be used, with the key that names it. */
    private static final class KeyProblem extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String key;

        KeyProblem(String key, TlsFileException cause) {
            super(cause.getMessage(), cause, false, false);
            this.key = key;
        }
    }

    /** {@code insecureSkipVerify}: every certificate accepted, no name checked. */
    private static final class TrustingAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
