package dev.junction.undertow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.junction.core.Junction;
import dev.junction.core.config.ConfigException;
import dev.junction.core.config.ConfigProblem;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.config.TlsConfig;
import dev.junction.core.tls.TlsFileException;
import dev.junction.core.tls.TlsFiles;
import dev.junction.testkit.TestCertificates;

/** The TLS files an operator hands Junction: the forms of keys read, and every unusable file named at start. */
class TlsFilesTest {

    @TempDir
    Path files;

    @Test
    void readsPkcs8Pkcs1AndEncryptedKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();

        Path pkcs1 = write("rsa.key", pair);
        assertThat(Files.readString(pkcs1)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(TlsFiles.privateKey(pkcs1, null).getEncoded()).isEqualTo(pair.getPrivate().getEncoded());

        Path pkcs8 = write("pkcs8.key", new JcaPKCS8Generator(pair.getPrivate(), null));
        assertThat(TlsFiles.privateKey(pkcs8, null).getEncoded()).isEqualTo(pair.getPrivate().getEncoded());

        Path encrypted = write("encrypted.key", new JcaPKCS8Generator(pair.getPrivate(),
                new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                        .setProvider(new BouncyCastleProvider()).setPassword("secret".toCharArray()).build()));
        assertThat(Files.readString(encrypted)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        PrivateKey decrypted = TlsFiles.privateKey(encrypted, "secret".toCharArray());
        assertThat(decrypted.getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
        assertThatThrownBy(() -> TlsFiles.privateKey(encrypted, null)).isInstanceOf(TlsFileException.class)
                .hasMessage(encrypted + ": the key is encrypted and no password is given (expected: keyPasswordFile"
                        + " or keyPasswordEnv)");
        assertThatThrownBy(() -> TlsFiles.privateKey(encrypted, "wrong".toCharArray()))
                .hasMessageStartingWith(encrypted + ": cannot decrypt the key (wrong password");
    }

    @Test
    void everyUnusableFileIsAProblemAtStartWithItsPath() throws Exception {
        TestCertificates authority = TestCertificates.authority(files, "internal");
        TestCertificates.Issued client = authority.client("client", "junction");
        TestCertificates.Issued other = authority.client("other", "other");
        Path notPem = Files.writeString(files.resolve("ca.txt"), "not a certificate");
        JunctionConfig config = JunctionConfig.builder()
                .route(RouteConfig.builder().name("a").prefix("/a").backend("https://127.0.0.1:8443")
                        .tls(TlsConfig.builder().caBundle(files.resolve("missing.pem").toString()).build()).build())
                .route(RouteConfig.builder().name("b").prefix("/b").backend("https://127.0.0.1:8443")
                        .tls(TlsConfig.builder().caBundle(notPem.toString()).certificate(client.certificateFile()
                                .toString()).key(other.keyFile().toString()).build()).build())
                .route(RouteConfig.builder().name("c").prefix("/c").backend("https://127.0.0.1:8443")
                        .tls(TlsConfig.builder().keyStore(client.keyStoreFile().toString())
                                .keyPasswordEnv("JUNCTION_TEST_UNSET_VARIABLE").build()).build())
                .route(RouteConfig.builder().name("d").prefix("/d").backend("https://127.0.0.1:8443")
                        .tls(TlsConfig.builder().keyStore(client.keyStoreFile().toString())
                                .keyPasswordFile(Files.writeString(files.resolve("wrong"), "wrong").toString())
                                .build()).build())
                .build();

        assertThatThrownBy(() -> Junction.builder().build(config)).isInstanceOf(ConfigException.class)
                .extracting(e -> ((ConfigException) e).problems()).asList().containsExactly(
                        new ConfigProblem("routes[0].tls.caBundle", files.resolve("missing.pem")
                                + ": cannot be read (no such file)"),
                        new ConfigProblem("routes[1].tls.caBundle", notPem
                                + ": not a PEM file (expected: -----BEGIN ...----- blocks)"),
                        new ConfigProblem("routes[1].tls.key", "the key does not belong to the certificate: "
                                + other.keyFile() + " is not the key of " + client.certificateFile()),
                        new ConfigProblem("routes[2].tls.keyPasswordEnv",
                                "environment variable JUNCTION_TEST_UNSET_VARIABLE is not set"),
                        new ConfigProblem("routes[3].tls.keyStore", client.keyStoreFile() + ": wrong password"));
    }

    @Test
    void theModelsRulesAreCheckedBeforeAnyFileIsRead() {
        assertThatThrownBy(() -> JunctionConfig.builder()
                .route(RouteConfig.builder().prefix("/").backend("https://127.0.0.1:8443")
                        .tls(TlsConfig.builder().certificate("/c.pem").keyStore("/k.p12").keyPasswordFile("/p")
                                .keyPasswordEnv("P").insecureSkipVerify(true).caBundle("/ca.pem")
                                .serverName("not a name").build()).build())
                .build()).isInstanceOf(ConfigException.class)
                .extracting(e -> ((ConfigException) e).problems()).asList().containsExactly(
                        new ConfigProblem("routes[0].tls.key", "required with certificate (its private key)"),
                        new ConfigProblem("routes[0].tls.keyStore", "cannot be combined with certificate and key (it"
                                + " holds both)"),
                        new ConfigProblem("routes[0].tls.keyPasswordEnv", "cannot be combined with keyPasswordFile"),
                        new ConfigProblem("routes[0].tls.insecureSkipVerify", "cannot be combined with caBundle,"
                                + " which only verification uses"),
                        new ConfigProblem("routes[0].tls.serverName", "'not a name' is not a host name"));
    }

    private Path write(String name, Object pem) throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(pem);
        }
        return Files.writeString(files.resolve(name), text.toString());
    }
}
