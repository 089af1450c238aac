package dev.junction.core.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import org.jspecify.annotations.Nullable;

/**
 * Reads the files TLS is configured with: PEM certificates and private keys, PKCS#12 key stores, and key passwords
 * from a file or an environment variable. Every failure is a {@link TlsFileException} whose message says which file
 * and what is wrong with it, for a configuration problem.
 *
 * <p>PEM keys: PKCS#8 ({@code BEGIN PRIVATE KEY}), encrypted PKCS#8 ({@code BEGIN ENCRYPTED PRIVATE KEY}) and PKCS#1
 * RSA ({@code BEGIN RSA PRIVATE KEY}); other forms (SEC1 {@code EC PRIVATE KEY}) are refused with the command that
 * converts them. Stateless and thread-safe.
 */
public final class TlsFiles {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final String CONVERT = "convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8";

    private TlsFiles() {
    }

    /**
     * Returns the certificates of a PEM file, in order; other PEM blocks in it are skipped.
     *
     * @param file the PEM file
     * @return the certificates, never empty
     * @throws TlsFileException if it cannot be read or holds no certificate
     */
    public static List<X509Certificate> certificates(Path file) {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block block : blocks(file)) {
                if (block.type().equals("CERTIFICATE")) {
                    certificates.add((X509Certificate) factory.generateCertificate(
                            new java.io.ByteArrayInputStream(block.der())));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new TlsFileException(file + ": not a valid PEM certificate (" + e.getMessage() + ")");
        }
        if (certificates.isEmpty()) {
            throw new TlsFileException(file + ": no certificate in it (expected: PEM, -----BEGIN CERTIFICATE-----)");
        }
        return certificates;
    }

    /**
     * Returns the private key of a PEM file: the first key block in it.
     *
     * @param file the PEM file
     * @param password the password of an encrypted key, or null
     * @return the key, RSA, EC or EdDSA
     * @throws TlsFileException if it cannot be read, holds no key, is encrypted without a password given, or the
     *     password is wrong
     */
    public static PrivateKey privateKey(Path file, char @Nullable [] password) {
        for (Block block : blocks(file)) {
            switch (block.type()) {
                case "PRIVATE KEY":
                    return pkcs8(file, block.der());
                case "ENCRYPTED PRIVATE KEY":
                    if (password == null) {
                        throw new TlsFileException(file + ": the key is encrypted and no password is given (expected:"
                                + " keyPasswordFile or keyPasswordEnv)");
                    }
                    return pkcs8(file, decrypt(file, block.der(), password));
                case "RSA PRIVATE KEY":
                    return pkcs8(file, Pkcs1.toPkcs8(block.der()));
                case "EC PRIVATE KEY":
                    throw new TlsFileException(file + ": an EC key in SEC1 form is not read; " + CONVERT);
                default:
                    break;
            }
        }
        throw new TlsFileException(file + ": no private key in it (expected: PEM, -----BEGIN PRIVATE KEY-----)");
    }

    /**
     * Returns a trust store of every certificate in a PEM file: the authorities a peer's certificate may be signed by.
     *
     * @param caBundle the PEM file of the authorities' certificates
     * @return a new in-memory PKCS#12 store with one certificate entry per certificate
     * @throws TlsFileException if it cannot be read or holds no certificate
     */
    public static KeyStore trustStore(Path caBundle) {
        List<X509Certificate> authorities = certificates(caBundle);
        KeyStore store = emptyStore();
        try {
            for (int i = 0; i < authorities.size(); i++) {
                store.setCertificateEntry("ca-" + i, authorities.get(i));
            }
        } catch (GeneralSecurityException e) {
            throw new TlsFileException(caBundle + ": " + e.getMessage());
        }
        return store;
    }

    /**
     * Returns the trust managers of {@code authorities}, or of the JDK's trust store when it is null.
     *
     * @param authorities the trusted authorities, or null for the JDK's default ones
     * @return the trust managers of the default algorithm
     * @throws TlsFileException if the store cannot be used
     */
    public static TrustManager[] trustManagers(@Nullable KeyStore authorities) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(authorities);
            return factory.getTrustManagers();
        } catch (GeneralSecurityException e) {
            throw new TlsFileException("the trust store cannot be used: " + e.getMessage());
        }
    }

    /**
     * Returns the key managers of a key store whose key is under {@code password}.
     *
     * @param keys the key store holding the key and its certificate chain
     * @param password the password of the key in the store
     * @return the key managers of the default algorithm
     * @throws TlsFileException if the key cannot be used
     */
    public static KeyManager[] keyManagers(KeyStore keys, char[] password) {
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, password);
            return factory.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw new TlsFileException("the key cannot be used: " + e.getMessage());
        }
    }

    /**
     * Returns a key store of one certificate chain and its key, under {@code password}.
     *
     * @param certificate the PEM file of the certificate chain, the leaf first
     * @param key the PEM file of the leaf certificate's private key
     * @param password the password the key is put under in the returned store
     * @param keyPassword the password of an encrypted key file, or null
     * @return a new in-memory PKCS#12 store with the one key entry
     * @throws TlsFileException if a file cannot be read or the key does not match the certificate
     */
    public static KeyStore keyStore(Path certificate, Path key, char[] password, char @Nullable [] keyPassword) {
        List<X509Certificate> chain = certificates(certificate);
        PrivateKey privateKey = privateKey(key, keyPassword);
        if (!belongs(privateKey, chain.get(0).getPublicKey())) {
            throw new TlsFileException("the key does not belong to the certificate: " + key + " is not the key of "
                    + certificate);
        }
        KeyStore store = emptyStore();
        try {
            store.setKeyEntry("key", privateKey, password, chain.toArray(new Certificate[0]));
        } catch (GeneralSecurityException e) {
            throw new TlsFileException(key + ": " + e.getMessage());
        }
        return store;
    }

    /**
     * Returns a PKCS#12 key store read from a file.
     *
     * @param file the PKCS#12 file
     * @param password the password of the store
     * @return the loaded store
     * @throws TlsFileException if it cannot be read, is not PKCS#12, or the password is wrong
     */
    public static KeyStore pkcs12(Path file, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        } catch (IOException e) {
            if (e.getCause() instanceof java.security.UnrecoverableKeyException) {
                throw new TlsFileException(file + ": wrong password");
            }
            throw new TlsFileException(file + ": cannot be read as PKCS#12 (" + describe(e) + ")");
        } catch (GeneralSecurityException e) {
            throw new TlsFileException(file + ": cannot be read as PKCS#12 (" + e.getMessage() + ")");
        }
    }

    /**
     * Returns a key's password: the first line of {@code file}, or the value of the environment variable {@code env};
     * null when neither is named. The file wins when both are named.
     *
     * @param file the path of a file whose first line is the password (empty if the file is), or null
     * @param env the name of an environment variable holding the password, or null
     * @param environment the environment to read {@code env} from ({@code System::getenv})
     * @return the password, or null when neither {@code file} nor {@code env} is given
     * @throws TlsFileException if the file cannot be read or the variable is not set
     */
    public static char @Nullable [] password(@Nullable String file, @Nullable String env,
            Function<String, @Nullable String> environment) {
        if (file != null) {
            try {
                List<String> lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
                return (lines.isEmpty() ? "" : lines.get(0)).toCharArray();
            } catch (IOException e) {
                throw new TlsFileException(file + ": cannot be read (" + describe(e) + ")");
            }
        }
        if (env != null) {
            String value = environment.apply(env);
            if (value == null) {
                throw new TlsFileException("environment variable " + env + " is not set");
            }
            return value.toCharArray();
        }
        return null;
    }

    /** Whether a private key is the one of a public key: what it signs, the public key verifies. */
    private static boolean belongs(PrivateKey key, PublicKey certified) {
        if (!key.getAlgorithm().equals(certified.getAlgorithm())) {
            return false;
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        byte[] probe = "junction".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // An algorithm the probe cannot sign with: the handshake will tell.
            return true;
        }
    }

    private static PrivateKey pkcs8(Path file, byte[] der) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // Not this algorithm: the next one.
            }
        }
        throw new TlsFileException(file + ": not an RSA, EC or EdDSA private key");
    }

    private static byte[] decrypt(Path file, byte[] der, char[] password) {
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            // PBES2 (what openssl writes) is named by its parameters: PBEWithHmacSHA256AndAES_256 and the like.
            String algorithm = info.getAlgName().equals("PBES2") || info.getAlgName().equals("1.2.840.113549.1.5.13")
                    ? info.getAlgParameters().toString() : info.getAlgName();
            SecretKeyFactory factory = SecretKeyFactory.getInstance(algorithm);
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(new PBEKeySpec(password)),
                    info.getAlgParameters());
            return info.getKeySpec(cipher).getEncoded();
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsFileException(file + ": cannot decrypt the key (wrong password, or " + describe(e) + ")");
        }
    }

    private static List<Block> blocks(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new TlsFileException(file + ": cannot be read (" + describe(e) + ")");
        }
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = PEM.matcher(text);
        while (matcher.find()) {
            try {
                blocks.add(new Block(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2))));
            } catch (IllegalArgumentException e) {
                throw new TlsFileException(file + ": a " + matcher.group(1) + " block is not valid base64");
            }
        }
        if (blocks.isEmpty()) {
            throw new TlsFileException(file + ": not a PEM file (expected: -----BEGIN ...----- blocks)");
        }
        return blocks;
    }

    private static KeyStore emptyStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the JDK has no PKCS12 key store", e);
        }
    }

    private static String describe(Exception e) {
        String name = Map.of(java.nio.file.NoSuchFileException.class, "no such file",
                java.nio.file.AccessDeniedException.class, "access denied").get(e.getClass());
        return name != null ? name : e.toString();
    }

    private record Block(String type, byte[] der) {
    }
}
