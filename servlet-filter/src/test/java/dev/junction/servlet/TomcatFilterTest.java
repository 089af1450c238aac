package dev.junction.servlet;

import org.junit.jupiter.api.Nested;

import dev.junction.core.config.JunctionConfig;
import dev.junction.testkit.AccessLogSuite;
import dev.junction.testkit.AdminSuite;
import dev.junction.testkit.WebSocketSuite;
import dev.junction.testkit.AffinitySuite;
import dev.junction.testkit.BackendRestartSuite;
import dev.junction.testkit.ClientFaultSuite;
import dev.junction.testkit.FailureHandlingSuite;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.HealthCheckSuite;
import dev.junction.testkit.HostileInputSuite;
import dev.junction.testkit.KeepAliveRaceSuite;
import dev.junction.testkit.LiveStateSuite;
import dev.junction.testkit.MetricsSuite;
import dev.junction.testkit.OutlierDetectionSuite;
import dev.junction.testkit.ProxyBasicsSuite;
import dev.junction.testkit.ProxyProtocolSuite;
import dev.junction.testkit.ResilienceSuite;
import dev.junction.testkit.StreamingSuite;
import dev.junction.testkit.TimeoutsSuite;

/**
 * The engine's behavioural suites through {@link ProxyFilter}, declared in {@code web.xml}, in Apache Tomcat 10.1.
 */
class TomcatFilterTest {

    @Nested
    class Offloads extends OffloadFilterSuite {

        @Override
        protected Container.Kind kind() {
            return TomcatContainer.KIND;
        }

        @Override
        protected boolean startFailureCarriesTheCause() {
            return false;
        }
    }

    @Nested
    class Basics extends ProxyBasicsSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(TomcatContainer.KIND, config);
        }
    }

    @Nested
    class Protocol extends ProxyProtocolSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(TomcatContainer.KIND, config);
        }
    }

    @Nested
    class Streaming extends StreamingSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(TomcatContainer.KIND, config);
        }
    }

    @Nested
    class Failures extends FailureHandlingSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(TomcatContainer.KIND, config);
        }
    }

    @Nested
    class Timeouts extends TimeoutsSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(TomcatContainer.KIND, config);
        }
    }

    @Nested
    class KeepAliveRace extends KeepAliveRaceSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(TomcatContainer.KIND, config);
        }
    }

    @Nested
    class LiveState extends LiveStateSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(TomcatContainer.KIND, config);
        }
    }

    @Nested
    class Health extends HealthCheckSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(TomcatContainer.KIND, config);
        }
    }

    @Nested
    class Outliers extends OutlierDetectionSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(TomcatContainer.KIND, config);
        }
    }

    @Nested
    class ClientFaults extends ClientFaultSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(TomcatContainer.KIND, config);
        }
    }

    @Nested
    class Admin extends AdminSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(TomcatContainer.KIND, config);
        }
    }

    @Nested
    class AccessLog extends AccessLogSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(TomcatContainer.KIND, config);
        }
    }

    @Nested
    class Metrics extends MetricsSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(TomcatContainer.KIND, config);
        }
    }

    @Nested
    class Resilience extends ResilienceSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(TomcatContainer.KIND, config);
        }
    }

    @Nested
    class Affinity extends AffinitySuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(TomcatContainer.KIND, config);
        }
    }

    @Nested
    class AuthorisedPaths extends AuthorisedPathSuite {

        @Override
        Container.Kind kind() {
            return TomcatContainer.KIND;
        }
    }

    @Nested
    class HostileInput extends HostileInputSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(TomcatContainer.KIND, config);
        }
    }

    @Nested
    class BackendRestart extends BackendRestartSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(TomcatContainer.KIND, config);
        }

        @Override
        protected String setup() {
            return "ProxyFilter in Tomcat";
        }
    }

    @Nested
    class WebSockets extends WebSocketSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(TomcatContainer.KIND, config);
        }
    }
}
