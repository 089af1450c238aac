package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.HealthCheckConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.config.TlsConfig;
import dev.junction.core.status.BackendStatus;

/**
 * {@code https://} backends with real certificates made at test time: verified against the route's CA bundle with
 * their host name, refused with a 502 that says why (an unknown authority, an expired certificate, a name that does not
 * match, a refused client certificate), Junction's own client certificate shown when a backend requires one (PEM or
 * PKCS#12), {@code insecureSkipVerify}, and health checks over the same TLS.
 */
public abstract class BackendTlsSuite {

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    @RegisterExtension
    protected final StartedServers servers = new StartedServers();

    @TempDir
    Path files;

    private final HttpClient http = HttpClient.newHttpClient();

    private Gateway gateway(String backendUrl, TlsConfig tls) {
        return servers.add(startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().name("secure").prefix("/").backend(backendUrl).tls(tls).build())
                .build()));
    }

    private HttpResponse<String> get(Gateway gateway, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
    }

    @Test
    void reachesABackendItsCaBundleTrustsAndChecksItsHealthOverTheSameTls() throws Exception {
        TestCertificates authority = TestCertificates.authority(files, "internal");
        TestBackend backend = servers.add(TestBackend.startTls("a",
                TestCertificates.serverContext(authority.server("backend")), false));
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().name("secure").prefix("/").backend(backend.url())
                        .tls(TlsConfig.builder().caBundle(authority.caBundle().toString()).build())
                        .healthCheck(HealthCheckConfig.builder().path("/health").interval(Duration.ofMillis(100))
                                .build())
                        .build())
                .build()));

        HttpResponse<String> answer = get(gateway, "/hello");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("target: /hello");
        assertThat(get(gateway, "/client-certificate").body()).as("no client certificate configured")
                .isEqualTo("none");
        await("a health check over TLS").atMost(5, TimeUnit.SECONDS).until(() -> backend.healthChecks.get() > 0);
        BackendStatus status = gateway.junction().status().get(0).backends().get(0);
        assertThat(status.lastCheckError()).isNull();
        assertThat(status.available()).isTrue();
    }

    @Test
    void aBackendSignedByAnotherAuthorityIsRefusedWithA502SayingWhy() throws Exception {
        TestCertificates trusted = TestCertificates.authority(files, "trusted");
        TestCertificates other = TestCertificates.authority(files, "other");
        TestBackend backend = servers.add(TestBackend.startTls("a",
                TestCertificates.serverContext(other.server("backend")), false));
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().name("secure").prefix("/").backend(backend.url())
                        .tls(TlsConfig.builder().caBundle(trusted.caBundle().toString()).build())
                        .healthCheck(HealthCheckConfig.builder().path("/health").interval(Duration.ofMillis(200))
                                .startHealthy(true).build())
                        .build())
                .build()));

        HttpResponse<String> answer = get(gateway, "/hello");
        assertThat(answer.statusCode()).isEqualTo(502);
        assertThat(answer.body()).contains("TLS with the backend failed: the backend's certificate is not signed by a"
                + " trusted authority");
        assertThat(backend.requests).as("nothing reached the backend").hasValue(0);
        await("the health check's verdict").atMost(5, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(gateway.junction().status().get(0).backends().get(0).lastCheckError())
                        .isEqualTo("TLS failed: the backend's certificate is not signed by a trusted authority"));
    }

    @Test
    void anExpiredCertificateIsRefused() throws Exception {
        TestCertificates authority = TestCertificates.authority(files, "internal");
        TestBackend backend = servers.add(TestBackend.startTls("a",
                TestCertificates.serverContext(authority.expiredServer("expired")), false));
        Gateway gateway = gateway(backend.url(), TlsConfig.builder().caBundle(authority.caBundle().toString())
                .build());

        HttpResponse<String> answer = get(gateway, "/hello");
        assertThat(answer.statusCode()).isEqualTo(502);
        assertThat(answer.body()).contains("the backend's certificate has expired");
    }

    @Test
    void theCertificateMustNameTheBackendOrTheServerNameGiven() throws Exception {
        TestCertificates authority = TestCertificates.authority(files, "internal");
        TestBackend backend = servers.add(TestBackend.startTls("a",
                TestCertificates.serverContext(authority.server("named", "backend.internal")), false));
        String bundle = authority.caBundle().toString();

        HttpResponse<String> unnamed = get(gateway(backend.url(), TlsConfig.builder().caBundle(bundle).build()),
                "/hello");
        assertThat(unnamed.statusCode()).isEqualTo(502);
        assertThat(unnamed.body()).contains("the backend's certificate does not name it");

        HttpResponse<String> named = get(gateway(backend.url(), TlsConfig.builder().caBundle(bundle)
                .serverName("backend.internal").build()), "/hello");
        assertThat(named.statusCode()).isEqualTo(200);
    }

    @Test
    void showsItsClientCertificateToABackendThatRequiresOne() throws Exception {
        TestCertificates servers = TestCertificates.authority(files, "servers");
        TestCertificates clients = TestCertificates.authority(files, "clients");
        TestBackend backend = this.servers.add(TestBackend.startTls("a",
                TestCertificates.serverContext(servers.server("backend"), clients), true));
        TestCertificates.Issued junction = clients.client("junction", "junction-gateway");
        String bundle = servers.caBundle().toString();

        HttpResponse<String> pem = get(gateway(backend.url(), TlsConfig.builder().caBundle(bundle)
                .certificate(junction.certificateFile().toString()).key(junction.keyFile().toString()).build()),
                "/client-certificate");
        assertThat(pem.statusCode()).isEqualTo(200);
        assertThat(pem.body()).isEqualTo("CN=junction-gateway");

        Path password = Files.writeString(files.resolve("password"), TestCertificates.PASSWORD + "\n");
        HttpResponse<String> pkcs12 = get(gateway(backend.url(), TlsConfig.builder().caBundle(bundle)
                .keyStore(junction.keyStoreFile().toString()).keyPasswordFile(password.toString()).build()),
                "/client-certificate");
        assertThat(pkcs12.body()).isEqualTo("CN=junction-gateway");

        HttpResponse<String> without = get(gateway(backend.url(), TlsConfig.builder().caBundle(bundle).build()),
                "/client-certificate");
        assertThat(without.statusCode()).isEqualTo(502);
        assertThat(without.body()).contains("the backend refused Junction's client certificate");
        assertThat(backend.requests).as("only the two requests with a certificate arrived").hasValue(2);
    }

    @Test
    void insecureSkipVerifyTakesAnyCertificate() throws Exception {
        TestCertificates unknown = TestCertificates.authority(files, "unknown");
        TestBackend backend = servers.add(TestBackend.startTls("a",
                TestCertificates.serverContext(unknown.expiredServer("anything")), false));
        Gateway gateway = gateway(backend.url(), TlsConfig.builder().insecureSkipVerify(true).build());

        assertThat(get(gateway, "/hello").statusCode()).isEqualTo(200);
    }

    @Test
    void anHttpsBackendAddedAtRunTimeIsReachedOverVerifiedTls() throws Exception {
        TestBackend plain = servers.add(TestBackend.start("plain"));
        TestCertificates authority = TestCertificates.authority(files, "private");
        TestBackend secure = servers.add(TestBackend.startTls("secure",
                TestCertificates.serverContext(authority.server("backend")), false));
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().name("mixed").prefix("/").backend(plain.url()).build())
                .build()));

        gateway.junction().routes().get(0).pool().add(BackendConfig.of(secure.url()));
        gateway.junction().routes().get(0).pool().remove(BackendConfig.defaultId(plain.url()));
        HttpResponse<String> answer = get(gateway, "/hello");
        assertThat(answer.statusCode()).as("the JDK's trust store, which knows no test authority").isEqualTo(502);
        assertThat(answer.body()).contains("the backend's certificate is not signed by a trusted authority");
        assertThat(secure.requests).as("never sent in clear text").hasValue(0);
    }
}
