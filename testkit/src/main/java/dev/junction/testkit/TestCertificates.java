package dev.junction.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made at test time, and the certificates it issues, written as real files (PEM and PKCS#12)
 * into a directory: what an operator would hand Junction. EC P-256 keys, SHA-256 signatures. Server certificates name
 * {@code localhost} and {@code 127.0.0.1} unless told otherwise.
 */
public final class TestCertificates {

    /** The password of every PKCS#12 file and encrypted key written. */
    public static final String PASSWORD = "test-password";

    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private final Path directory;
    private final String name;
    private final KeyPair keys;
    private final X509Certificate certificate;
    private final Path bundle;

    /** A certificate, its key, and the files they were written to. */
    public record Issued(X509Certificate certificate, PrivateKey key, Path certificateFile, Path keyFile,
            Path keyStoreFile) {
    }

    private TestCertificates(Path directory, String name) throws IOException, GeneralSecurityException {
        this.directory = directory;
        this.name = name;
        this.keys = keyPair();
        X500Name subject = new X500Name("CN=" + name);
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), subject,
                keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        this.certificate = sign(builder, keys.getPrivate());
        this.bundle = directory.resolve(name + "-ca.pem");
        Files.writeString(bundle, pem(certificate), StandardCharsets.US_ASCII);
    }

    /** Makes an authority called {@code name}; its certificate is written to {@code <name>-ca.pem} in a directory. */
    public static TestCertificates authority(Path directory, String name) {
        try {
            return new TestCertificates(directory, name);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("test authority " + name + " cannot be made", e);
        }
    }

    /** Returns the PEM file of the authority's certificate: a CA bundle that trusts what it issues. */
    public Path caBundle() {
        return bundle;
    }

    /** Issues a server certificate for {@code names} (DNS names or IP addresses), valid from yesterday for 30 days. */
    public Issued server(String file, String... names) {
        Instant now = Instant.now();
        return issue(file, names.length == 0 ? new String[] {"localhost", "127.0.0.1"} : names,
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), KeyPurposeId.id_kp_serverAuth);
    }

    /** Issues a server certificate for {@code localhost} and {@code 127.0.0.1} that expired yesterday. */
    public Issued expiredServer(String file) {
        Instant now = Instant.now();
        return issue(file, new String[] {"localhost", "127.0.0.1"}, now.minus(Duration.ofDays(30)),
                now.minus(Duration.ofDays(1)), KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth);
    }

    /** Issues a client certificate whose subject is {@code CN=<commonName>}. */
    public Issued client(String file, String commonName) {
        Instant now = Instant.now();
        return issue(file, new String[] {commonName}, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)),
                KeyPurposeId.id_kp_clientAuth);
    }

    /**
     * Returns a server context showing {@code issued}; with {@code clientAuthorities}, client certificates are
     * verified against them.
     */
    public static SSLContext serverContext(Issued issued, TestCertificates... clientAuthorities) {
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry("key", issued.key(), PASSWORD.toCharArray(),
                    new Certificate[] {issued.certificate()});
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keyStore, PASSWORD.toCharArray());
            TrustManagerFactory trust = null;
            if (clientAuthorities.length > 0) {
                KeyStore trusted = KeyStore.getInstance("PKCS12");
                trusted.load(null, null);
                for (TestCertificates authority : clientAuthorities) {
                    trusted.setCertificateEntry(authority.name, authority.certificate);
                }
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(trusted);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("test server context cannot be made", e);
        }
    }

    /** Returns a client context that trusts this authority, showing {@code client} when it is given. */
    public SSLContext clientContext(Issued... client) {
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry(name, certificate);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            KeyManagerFactory keyManagers = null;
            if (client.length > 0) {
                KeyStore keyStore = KeyStore.getInstance("PKCS12");
                keyStore.load(null, null);
                keyStore.setKeyEntry("key", client[0].key(), PASSWORD.toCharArray(),
                        new Certificate[] {client[0].certificate()});
                keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keyManagers.init(keyStore, PASSWORD.toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("test client context cannot be made", e);
        }
    }

    private Issued issue(String file, String[] names, Instant from, Instant until, KeyPurposeId... purposes) {
        try {
            KeyPair pair = keyPair();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=" + name),
                    serial(), Date.from(from), Date.from(until), new X500Name("CN=" + names[0]), pair.getPublic());
            List<GeneralName> alternatives = new ArrayList<>();
            for (String alternative : names) {
                alternatives.add(alternative.chars().allMatch(c -> c == '.' || Character.isDigit(c))
                        ? new GeneralName(GeneralName.iPAddress, InetAddress.getByName(alternative).getHostAddress())
                        : new GeneralName(GeneralName.dNSName, alternative));
            }
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(alternatives.toArray(new GeneralName[0])));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
            X509Certificate issued = sign(builder, keys.getPrivate());
            Path certificateFile = directory.resolve(file + ".pem");
            Path keyFile = directory.resolve(file + ".key");
            Path keyStoreFile = directory.resolve(file + ".p12");
            Files.writeString(certificateFile, pem(issued) + pem(certificate), StandardCharsets.US_ASCII);
            Files.writeString(keyFile, pem(new JcaPKCS8Generator(pair.getPrivate(), null)),
                    StandardCharsets.US_ASCII);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", pair.getPrivate(), PASSWORD.toCharArray(),
                    new Certificate[] {issued, certificate});
            try (OutputStream out = Files.newOutputStream(keyStoreFile)) {
                store.store(out, PASSWORD.toCharArray());
            }
            return new Issued(issued, pair.getPrivate(), certificateFile, keyFile, keyStoreFile);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("test certificate " + file + " cannot be issued", e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuer)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }
}
