package dev.junction.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.junction.testkit.TestBackend;
import dev.junction.testkit.TestCertificates;

/**
 * The gateway on HTTPS with certificates made at test time: the handshake and what the backend learns of it, modern
 * protocols only, client certificates asked for and checked, PKCS#12 with a password file, a renewed certificate
 * served without a restart, and files that cannot be used refused at start.
 */
class GatewayTlsTest extends GatewayCommandTest {

    @TempDir
    Path files;

    private static HttpResponse<String> get(SSLContext client, Gateway gateway, String path) throws Exception {
        return HttpClient.newBuilder().sslContext(client).build().send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + gateway.port() + path))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Opens a TLS connection limited to {@code protocols} and returns the certificate the gateway showed. */
    private static X509Certificate handshake(SSLContext client, Gateway gateway, String... protocols)
            throws IOException {
        try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(10_000);
            if (protocols.length > 0) {
                socket.setEnabledProtocols(protocols);
            }
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    @Test
    void servesHttpsAndTellsTheBackendTheClientsConnectionWasTls() throws Exception {
        TestCertificates authority = TestCertificates.authority(files, "gateway-ca");
        TestCertificates.Issued certificate = authority.server("gateway");
        TestBackend backend = backend();
        Gateway gateway = start("--port", "0", "--backends", backend.url(), "--access-log", "off",
                "--tls-cert", certificate.certificateFile().toString(), "--tls-key", certificate.keyFile().toString());

        HttpResponse<String> answer = get(authority.clientContext(), gateway, "/hello");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("X-Forwarded-Proto: https");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Junction gateway listening on https://");
        try (SSLSocket socket = (SSLSocket) authority.clientContext().getSocketFactory()
                .createSocket("127.0.0.1", gateway.port())) {
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void offersNoProtocolOrSuiteBelowTheModernDefaults() throws Exception {
        TestCertificates authority = TestCertificates.authority(files, "gateway-ca");
        TestCertificates.Issued certificate = authority.server("gateway");
        Gateway gateway = start("--port", "0", "--backends", backend().url(), "--access-log", "off",
                "--tls-cert", certificate.certificateFile().toString(), "--tls-key", certificate.keyFile().toString());
        SSLContext client = authority.clientContext();

        assertThat(handshake(client, gateway, "TLSv1.2").getSerialNumber())
                .isEqualTo(certificate.certificate().getSerialNumber());
        try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(10_000);
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"});
            assertThatThrownBy(socket::startHandshake).as("a CBC suite").isInstanceOf(IOException.class);
        }
    }

    @Test
    void asksForClientCertificatesAndRefusesAClientWithoutOne() throws Exception {
        TestCertificates authority = TestCertificates.authority(files, "gateway-ca");
        TestCertificates clients = TestCertificates.authority(files, "clients");
        TestCertificates.Issued certificate = authority.server("gateway");
        Gateway gateway = start("--port", "0", "--backends", backend().url(), "--access-log", "off",
                "--tls-cert", certificate.certificateFile().toString(), "--tls-key", certificate.keyFile().toString(),
                "--tls-client-auth", "need", "--tls-client-ca", clients.caBundle().toString());

        HttpResponse<String> known = get(authority.clientContext(clients.client("alice", "alice")), gateway, "/x");
        assertThat(known.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> get(authority.clientContext(), gateway, "/x")).as("no client certificate")
                .isInstanceOf(IOException.class);
        TestCertificates strangers = TestCertificates.authority(files, "strangers");
        assertThatThrownBy(() -> get(authority.clientContext(strangers.client("mallory", "mallory")), gateway, "/x"))
                .as("a certificate of another authority").isInstanceOf(IOException.class);
    }

    @Test
    void readsAPkcs12FileWithItsPasswordFromAFile() throws Exception {
        TestCertificates authority = TestCertificates.authority(files, "gateway-ca");
        TestCertificates.Issued certificate = authority.server("gateway");
        Path password = Files.writeString(files.resolve("password.txt"), TestCertificates.PASSWORD + "\n");
        Gateway gateway = start("--port", "0", "--backends", backend().url(), "--access-log", "off",
                "--tls-cert", certificate.keyStoreFile().toString(), "--tls-key-password-file", password.toString());

        assertThat(get(authority.clientContext(), gateway, "/x").statusCode()).isEqualTo(200);
    }

    @Test
    void aRenewedCertificateIsServedWithoutARestart() throws Exception {
        TestCertificates authority = TestCertificates.authority(files, "gateway-ca");
        TestCertificates.Issued first = authority.server("first");
        Path certificateFile = files.resolve("live.pem");
        Path keyFile = files.resolve("live.key");
        Files.copy(first.certificateFile(), certificateFile);
        Files.copy(first.keyFile(), keyFile);
        Gateway gateway = start("--port", "0", "--backends", backend().url(), "--access-log", "off",
                "--tls-cert", certificateFile.toString(), "--tls-key", keyFile.toString());
        SSLContext client = authority.clientContext();
        assertThat(handshake(client, gateway).getSerialNumber()).isEqualTo(first.certificate().getSerialNumber());

        TestCertificates.Issued renewed = authority.server("renewed");
        // As certbot and cert-manager do: the key first, then the certificate, each replaced whole.
        Files.copy(renewed.keyFile(), keyFile, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(renewed.certificateFile(), certificateFile, StandardCopyOption.REPLACE_EXISTING);
        BigInteger expected = renewed.certificate().getSerialNumber();
        await("the renewed certificate served").atMost(15, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200))
                .until(() -> handshake(client, gateway).getSerialNumber().equals(expected));
        assertThat(get(client, gateway, "/x").statusCode()).isEqualTo(200);
    }

    @Test
    void optionsAndFilesThatCannotBeUsedStopTheStartSayingWhy() throws Exception {
        TestCertificates authority = TestCertificates.authority(files, "gateway-ca");
        TestCertificates.Issued certificate = authority.server("gateway");
        TestCertificates.Issued other = authority.server("other");

        GatewayMain.Outcome noKey = run(new String[] {"--port", "0", "--tls-cert",
            certificate.certificateFile().toString(), "--tls-client-auth", "need"});
        assertThat(noKey.exitCode()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--tls-key: required with a PEM --tls-cert (its private key)")
                .contains("--tls-client-ca: required with --tls-client-auth need");

        err.reset();
        GatewayMain.Outcome wrongKey = run(new String[] {"--port", "0", "--tls-cert",
            certificate.certificateFile().toString(), "--tls-key", other.keyFile().toString()});
        assertThat(wrongKey.exitCode()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Cannot use the TLS certificate: the key does not"
                + " belong to the certificate: " + other.keyFile() + " is not the key of "
                + certificate.certificateFile());

        err.reset();
        Path wrong = Files.writeString(files.resolve("wrong.txt"), "wrong");
        GatewayMain.Outcome wrongPassword = run(new String[] {"--port", "0", "--tls-cert",
            certificate.keyStoreFile().toString(), "--tls-key-password-file", wrong.toString()});
        assertThat(wrongPassword.exitCode()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(certificate.keyStoreFile() + ": wrong password");
    }

    @Test
    void helpShowsTheTlsOptions() {
        GatewayMain.Outcome help = run(new String[] {"--help"});
        assertThat(help.exitCode()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--tls-cert FILE", "--tls-key FILE",
                "--tls-key-password-file FILE", "--tls-key-password-env VAR", "--tls-client-auth MODE",
                "--tls-client-ca FILE");
    }
}
