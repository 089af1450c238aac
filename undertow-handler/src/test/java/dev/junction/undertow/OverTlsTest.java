package dev.junction.undertow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

import dev.junction.core.config.JunctionConfig;
import dev.junction.testkit.AccessLogSuite;
import dev.junction.testkit.FailureHandlingSuite;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.ProxyBasicsSuite;
import dev.junction.testkit.ResilienceSuite;
import dev.junction.testkit.StreamingSuite;
import dev.junction.testkit.TestCertificates;
import dev.junction.testkit.TimeoutsSuite;

/**
 * The behavioural suites whose clients speak HTTP through {@link Gateway#uri}, once more with the gateway's server on
 * HTTPS: TLS between client and gateway changes nothing they hold (forwarding, streaming with back-pressure,
 * timeouts, failures and retries, the access log). The suites' clients take the JVM's default SSL context, which trusts the test authority
 * while these run. Run in the build's first test run only (one transport is enough: TLS is the server's here).
 */
class OverTlsTest {

    private static SSLContext previous;
    private static SSLContext server;

    @BeforeAll
    static void trustTheTestAuthority() throws NoSuchAlgorithmException {
        Path files;
        try {
            files = Files.createTempDirectory("junction-over-tls");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestCertificates authority = TestCertificates.authority(files, "over-tls");
        server = TestCertificates.serverContext(authority.server("gateway"));
        previous = SSLContext.getDefault();
        SSLContext.setDefault(authority.clientContext());
    }

    @AfterAll
    static void trustTheJdkAgain() {
        SSLContext.setDefault(previous);
    }

    private static Gateway start(JunctionConfig config) {
        return UndertowGateway.startTls(config, server);
    }

    @Nested
    class Basics extends ProxyBasicsSuite {
        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return start(config);
        }
    }

    @Nested
    class Streaming extends StreamingSuite {
        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return start(config);
        }
    }

    @Nested
    class Timeouts extends TimeoutsSuite {
        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return start(config);
        }
    }

    @Nested
    class Failures extends FailureHandlingSuite {
        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return start(config);
        }
    }

    @Nested
    class Resilience extends ResilienceSuite {
        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return start(config);
        }
    }

    @Nested
    class AccessLog extends AccessLogSuite {
        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return start(config);
        }
    }
}
