package dev.junction.servlet;

import java.nio.file.Path;

import org.junit.jupiter.api.Nested;

import dev.junction.core.config.JunctionConfig;
import dev.junction.testkit.AccessLogSuite;
import dev.junction.testkit.AdminSuite;
import dev.junction.testkit.BackendTlsSuite;
import dev.junction.testkit.DnsDiscoverySuite;
import dev.junction.testkit.AdaptiveConcurrencySuite;
import dev.junction.testkit.GatewayLimitsSuite;
import dev.junction.testkit.HeaderRulesSuite;
import dev.junction.testkit.ReleaseSuite;
import dev.junction.testkit.ReloadSuite;
import dev.junction.testkit.RoutingSuite;
import dev.junction.testkit.ScalingSuite;
import dev.junction.testkit.ZoneSuite;
import dev.junction.testkit.QueueSuite;
import dev.junction.testkit.RateLimitSuite;
import dev.junction.testkit.SharedRateLimitSuite;
import dev.junction.testkit.WebSocketSuite;
import dev.junction.testkit.AffinitySuite;
import dev.junction.testkit.BackendRestartSuite;
import dev.junction.testkit.ClientFaultSuite;
import dev.junction.testkit.ClusterSuite;
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
 * The engine's behavioural suites through {@link ProxyFilter}, declared in {@code web.xml}, in Jetty 12 (ee10).
 */
class JettyFilterTest {

    @Nested
    class Offloads extends OffloadFilterSuite {

        @Override
        protected Container.Kind kind() {
            return JettyContainer.KIND;
        }
    }

    @Nested
    class Basics extends ProxyBasicsSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(JettyContainer.KIND, config);
        }
    }

    @Nested
    class Protocol extends ProxyProtocolSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(JettyContainer.KIND, config);
        }
    }

    @Nested
    class Streaming extends StreamingSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(JettyContainer.KIND, config);
        }
    }

    @Nested
    class Failures extends FailureHandlingSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(JettyContainer.KIND, config);
        }
    }

    @Nested
    class Timeouts extends TimeoutsSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(JettyContainer.KIND, config);
        }
    }

    @Nested
    class KeepAliveRace extends KeepAliveRaceSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(JettyContainer.KIND, config);
        }
    }

    @Nested
    class LiveState extends LiveStateSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(JettyContainer.KIND, config);
        }
    }

    @Nested
    class Health extends HealthCheckSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(JettyContainer.KIND, config);
        }
    }

    @Nested
    class Outliers extends OutlierDetectionSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(JettyContainer.KIND, config);
        }
    }

    @Nested
    class ClientFaults extends ClientFaultSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(JettyContainer.KIND, config);
        }
    }

    @Nested
    class Admin extends AdminSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(JettyContainer.KIND, config);
        }
    }

    @Nested
    class AccessLog extends AccessLogSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(JettyContainer.KIND, config);
        }
    }

    @Nested
    class Metrics extends MetricsSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(JettyContainer.KIND, config);
        }
    }

    @Nested
    class Resilience extends ResilienceSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(JettyContainer.KIND, config);
        }
    }

    @Nested
    class Affinity extends AffinitySuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(JettyContainer.KIND, config);
        }
    }

    @Nested
    class AuthorisedPaths extends AuthorisedPathSuite {

        @Override
        Container.Kind kind() {
            return JettyContainer.KIND;
        }
    }

    @Nested
    class HostileInput extends HostileInputSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(JettyContainer.KIND, config);
        }
    }

    @Nested
    class BackendRestart extends BackendRestartSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(JettyContainer.KIND, config);
        }

        @Override
        protected String setup() {
            return "ProxyFilter in Jetty";
        }
    }

    @Nested
    class WebSockets extends WebSocketSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(JettyContainer.KIND, config);
        }
    }

    @Nested
    class BackendTls extends BackendTlsSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(JettyContainer.KIND, config);
        }
    }

    @Nested
    class Queue extends QueueSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(JettyContainer.KIND, config);
        }
    }

    @Nested
    class AdaptiveConcurrency extends AdaptiveConcurrencySuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(JettyContainer.KIND, config);
        }
    }

    @Nested
    class Routing extends RoutingSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(JettyContainer.KIND, config);
        }
    }

    @Nested
    class HeaderRules extends HeaderRulesSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(JettyContainer.KIND, config);
        }
    }

    @Nested
    class Release extends ReleaseSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(JettyContainer.KIND, config);
        }
    }

    @Nested
    class DnsDiscovery extends DnsDiscoverySuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(JettyContainer.KIND, config);
        }
    }

    @Nested
    class Scaling extends ScalingSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(JettyContainer.KIND, config);
        }
    }

    @Nested
    class Cluster extends ClusterSuite {

        @Override
        protected Gateway startGateway(Path file) {
            return ServletGateway.start(JettyContainer.KIND, file);
        }
    }

    @Nested
    class Reloads extends ReloadSuite {

        @Override
        protected Gateway startGateway(Path file) {
            return ServletGateway.start(JettyContainer.KIND, file);
        }
    }

    @Nested
    class Zones extends ZoneSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(JettyContainer.KIND, config);
        }
    }

    @Nested
    class GatewayLimits extends GatewayLimitsSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(JettyContainer.KIND, config);
        }
    }

    @Nested
    class SharedRateLimits extends SharedRateLimitSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(JettyContainer.KIND, config);
        }
    }

    @Nested
    class RateLimits extends RateLimitSuite {

        @Override
        protected Gateway startGateway(JunctionConfig config) {
            return ServletGateway.start(JettyContainer.KIND, config);
        }
    }
}
