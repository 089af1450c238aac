package dev.junction.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Sequence;
import org.xnio.SslClientAuthMode;

import dev.junction.core.tls.TlsFileException;
import dev.junction.core.tls.TlsFiles;

/**
 * The gateway's own HTTPS: its certificate and key (PEM, or one PKCS#12 file), the key's password from a file or the
 * environment, optional client certificates verified against a CA bundle, modern protocol and cipher defaults, and
 * the certificate read again when its files change, so a renewed certificate is served without a restart.
 *
 * <p>Thread-safe: the watch runs on a daemon thread of its own and hands each new context to the listener.
 */
final class GatewayTls implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayTls.class);

    /** TLS 1.3 and 1.2 only, as Mozilla's "intermediate" profile and nginx's default since 1.23. */
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    /** Mozilla's "intermediate" suites: forward secrecy and AEAD only; TLS 1.3's own three first. */
    static final List<String> CIPHER_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /** How the gateway asks for client certificates: not at all, if the client has one, or always. */
    enum ClientAuth {
        NONE, WANT, NEED
    }

    /**
     * What {@code --tls-*} options say.
     *
     * @param certificate a PEM certificate chain, or a PKCS#12 file ({@code .p12}, {@code .pfx}) holding the key too
     * @param key the PEM private key of a PEM certificate, or null for PKCS#12
     * @param passwordFile a file whose first line is the key's (or the PKCS#12 file's) password, or null
     * @param passwordEnv an environment variable holding it, or null
     * @param clientAuth whether clients show certificates
     * @param clientCa the PEM authorities client certificates must chain to, with {@code WANT} or {@code NEED}
     */
    record Settings(Path certificate, @Nullable Path key, @Nullable String passwordFile, @Nullable String passwordEnv,
            ClientAuth clientAuth, @Nullable Path clientCa) {

        /** Whether the certificate is a PKCS#12 file rather than PEM. */
        boolean pkcs12() {
            String name = certificate.getFileName().toString().toLowerCase(Locale.ROOT);
            return name.endsWith(".p12") || name.endsWith(".pfx");
        }

        /** Returns the files whose change means a new certificate: the certificate, its key, the client CA. */
        List<Path> watched() {
            List<Path> files = new ArrayList<>(List.of(certificate));
            if (key != null) {
                files.add(key);
            }
            if (clientCa != null) {
                files.add(clientCa);
            }
            return files;
        }
    }

    private final Settings settings;
    private final ScheduledExecutorService watch;
    private volatile List<Long> stamps;

    private GatewayTls(Settings settings, ScheduledExecutorService watch, List<Long> stamps) {
        this.settings = settings;
        this.watch = watch;
        this.stamps = stamps;
    }

    /**
     * Reads the certificate and builds the context a listener starts with.
     *
     * @throws TlsFileException naming the file and the problem, if one cannot be used
     */
    static SSLContext context(Settings settings) {
        try {
            char[] password = TlsFiles.password(settings.passwordFile(), settings.passwordEnv(), System::getenv);
            char[] storePassword = password != null ? password : new char[0];
            KeyStore keys = settings.pkcs12() ? TlsFiles.pkcs12(settings.certificate(), storePassword)
                    : TlsFiles.keyStore(settings.certificate(), Objects.requireNonNull(settings.key(), "key"),
                            storePassword, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(TlsFiles.keyManagers(keys, storePassword), settings.clientCa() == null ? null
                    : TlsFiles.trustManagers(TlsFiles.trustStore(settings.clientCa())), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new TlsFileException(settings.certificate() + ": cannot be used for TLS: " + e.getMessage());
        }
    }

    /** Returns the listener options: TLS 1.3 and 1.2, the intermediate suites the JDK has, client auth as asked. */
    static OptionMap options(Settings settings, SSLContext context) {
        SSLEngine probe = context.createSSLEngine();
        List<String> supported = Arrays.asList(probe.getSupportedCipherSuites());
        return OptionMap.builder()
                .setSequence(Options.SSL_ENABLED_PROTOCOLS, PROTOCOLS.toArray(new String[0]))
                .set(Options.SSL_ENABLED_CIPHER_SUITES, Sequence.of(CIPHER_SUITES.stream()
                        .filter(supported::contains).toList()))
                .set(Options.SSL_CLIENT_AUTH_MODE, switch (settings.clientAuth()) {
                    case NONE -> SslClientAuthMode.NOT_REQUESTED;
                    case WANT -> SslClientAuthMode.REQUESTED;
                    case NEED -> SslClientAuthMode.REQUIRED;
                })
                .getMap();
    }

    /**
     * Watches the certificate's files every {@code periodMillis}: when one changed and the whole set reads, the new
     * context goes to {@code reloaded}; a set that does not read yet (a renewal half-written) is tried again on the
     * next tick, the old certificate served meanwhile.
     */
    static GatewayTls watch(Settings settings, long periodMillis, Consumer<SSLContext> reloaded) {
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "junction-tls-watch");
            thread.setDaemon(true);
            return thread;
        });
        GatewayTls tls = new GatewayTls(settings, watch, stamps(settings));
        watch.scheduleWithFixedDelay(() -> tls.check(reloaded), periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        return tls;
    }

    private void check(Consumer<SSLContext> reloaded) {
        List<Long> now = stamps(settings);
        if (now.equals(stamps)) {
            return;
        }
        try {
            SSLContext context = context(settings);
            reloaded.accept(context);
            stamps = now;
            LOG.info("TLS certificate {} read again: new connections get it", settings.certificate());
        } catch (RuntimeException e) {
            LOG.warn("TLS certificate {} changed but cannot be used yet, still serving the previous one: {}",
                    settings.certificate(), e.getMessage());
        }
    }

    /** Each watched file's modification time and size, which any rewrite changes. */
    private static List<Long> stamps(Settings settings) {
        List<Long> stamps = new ArrayList<>();
        for (Path file : settings.watched()) {
            try {
                stamps.add(Files.getLastModifiedTime(file).toMillis());
                stamps.add(Files.size(file));
            } catch (IOException e) {
                stamps.add(-1L);
                stamps.add(-1L);
            }
        }
        return stamps;
    }

    @Override
    public void close() {
        watch.shutdownNow();
    }
}
