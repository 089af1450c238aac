package dev.junction.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.junction.core.config.AdminConfig;
import dev.junction.core.config.AffinityConfig;
import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.BackendProtocol;
import dev.junction.core.config.QueueConfig;
import dev.junction.core.config.RateLimitConfig;
import dev.junction.core.config.ReleaseConfig;
import dev.junction.core.config.BreakerConfig;
import dev.junction.core.config.ClientConfig;
import dev.junction.core.config.DnsConfig;
import dev.junction.core.config.ScalingConfig;
import dev.junction.core.config.HeaderRulesConfig;
import dev.junction.core.config.HealthCheckConfig;
import dev.junction.core.config.FieldMatch;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.MatchConfig;
import dev.junction.core.config.OutlierDetectionConfig;
import dev.junction.core.config.RetryConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.config.SharedLimitsConfig;
import dev.junction.core.config.TimeoutConfig;
import dev.junction.core.config.TlsConfig;

/**
 * Writes a {@link JunctionConfig} as the YAML the configuration loader reads, so an adapter configured only from a
 * file (the servlet filter's {@code config} init-param) runs the suites' configurations. The output is JSON-style
 * flow YAML: every text quoted, nothing left to YAML's type guessing.
 */
public final class ConfigYaml {

    private ConfigYaml() {
    }

    /** Returns {@code config} as YAML. */
    public static String write(JunctionConfig config) {
        List<String> routes = new ArrayList<>();
        for (RouteConfig route : config.routes()) {
            routes.add(route(route));
        }
        ClientConfig client = config.client();
        return "{\"routes\": [" + String.join(", ", routes) + "],\n"
                + " \"client\": {\"maxConnectionsPerBackend\": " + client.maxConnectionsPerBackend()
                + ", \"idleTimeout\": " + duration(client.idleTimeout())
                + (client.zone() == null ? "" : ", \"zone\": " + text(client.zone()))
                + (client.dns().equals(DnsConfig.DEFAULT) ? "" : ", \"dns\": " + dns(client.dns())) + "},\n"
                + " \"limits\": {\"maxRequestHeaderBytes\": " + config.limits().maxRequestHeaderBytes()
                + ", \"maxRequestTargetBytes\": " + config.limits().maxRequestTargetBytes()
                + ", \"maxExchanges\": " + config.limits().maxExchanges()
                + ", \"maxQueued\": " + config.limits().maxQueued() + "}"
                + admin(config.admin())
                + (config.accessLog().enabled()
                        ? ",\n \"accessLog\": {\"format\": " + text(config.accessLog().format().configName()) + "}"
                        : "")
                + sharedLimits(config.sharedLimits())
                + "}\n";
    }

    private static String sharedLimits(SharedLimitsConfig shared) {
        if (!shared.enabled()) {
            return "";
        }
        return ",\n \"sharedLimits\": {\"redis\": " + text(shared.redis()) + ", \"timeout\": "
                + duration(shared.timeout()) + ", \"instances\": " + shared.instances() + ", \"whenUnreachable\": "
                + text(shared.whenUnreachable().configName()) + ", \"keyPrefix\": " + text(shared.keyPrefix()) + "}";
    }

    private static String match(MatchConfig match) {
        if (match.isEmpty()) {
            return "";
        }
        return ", \"match\": {\"hosts\": " + texts(match.hosts()) + ", \"methods\": " + texts(match.methods())
                + ", \"headers\": " + fieldMatches(match.headers()) + ", \"query\": " + fieldMatches(match.query())
                + ", \"clients\": " + texts(match.clients()) + "}";
    }

    private static String release(ReleaseConfig release) {
        if (release.equals(ReleaseConfig.DEFAULT)) {
            return "";
        }
        StringBuilder shares = new StringBuilder("{");
        release.shares().forEach((group, share) -> shares.append(shares.length() > 1 ? ", " : "").append(text(group))
                .append(": ").append(share));
        ReleaseConfig.Rollout rollout = release.rollout();
        ReleaseConfig.Rollback rollback = release.rollback();
        return ", \"release\": {\"shares\": " + shares.append('}')
                + (release.baseline() == null ? "" : ", \"baseline\": " + text(release.baseline()))
                + ", \"key\": " + text(release.key())
                + (release.forceHeader() == null ? "" : ", \"forceHeader\": " + text(release.forceHeader()))
                + (release.forceCookie() == null ? "" : ", \"forceCookie\": " + text(release.forceCookie()))
                + ", \"sessions\": " + text(release.sessions().configName())
                + (rollout.enabled() ? ", \"rollout\": {" + (rollout.group() == null ? ""
                        : "\"group\": " + text(rollout.group()) + ", ") + "\"steps\": " + rollout.steps()
                        + ", \"interval\": " + duration(rollout.interval()) + ", \"start\": " + rollout.start() + "}"
                        : "")
                + (rollback.enabled() ? ", \"rollback\": {\"errorRateMargin\": " + rollback.errorRateMargin()
                        + ", \"latencyMargin\": " + rollback.latencyMargin() + ", \"minRequests\": "
                        + rollback.minRequests() + ", \"window\": " + duration(rollback.window()) + "}" : "")
                + "}";
    }

    private static String headerRules(String key, HeaderRulesConfig rules) {
        if (rules.isEmpty()) {
            return "";
        }
        return ", " + text(key) + ": {\"set\": " + mapping(rules.set()) + ", \"add\": " + mapping(rules.add())
                + ", \"remove\": " + texts(rules.remove()) + "}";
    }

    private static String fieldMatches(List<FieldMatch> fields) {
        List<String> written = new ArrayList<>();
        for (FieldMatch field : fields) {
            written.add("{\"name\": " + text(field.name()) + switch (field.kind()) {
                case PRESENT -> "";
                case ABSENT -> ", \"present\": false";
                case EXACT -> ", \"exact\": " + text(field.value());
                case REGEX -> ", \"regex\": " + text(field.value());
            } + "}");
        }
        return "[" + String.join(", ", written) + "]";
    }

    private static String texts(List<String> values) {
        return "[" + String.join(", ", values.stream().map(ConfigYaml::text).toList()) + "]";
    }

    private static String rateLimits(List<RateLimitConfig> limits) {
        if (limits.isEmpty()) {
            return "";
        }
        List<String> written = new ArrayList<>();
        for (RateLimitConfig limit : limits) {
            written.add("{\"name\": " + text(limit.name()) + ", \"key\": " + text(limit.key()) + ", \"limit\": "
                    + limit.limit() + ", \"period\": " + duration(limit.period()) + ", \"burst\": " + limit.burst()
                    + ", \"shared\": " + limit.shared() + "}");
        }
        return ", \"rateLimits\": [" + String.join(", ", written) + "]";
    }

    private static String admin(AdminConfig admin) {
        if (!admin.enabled()) {
            return "";
        }
        List<String> hosts = new ArrayList<>();
        admin.allowedHosts().forEach(host -> hosts.add(text(host)));
        return ",\n \"admin\": {\"path\": " + text(admin.path())
                + (admin.token() == null ? "" : ", \"token\": " + text(admin.token()))
                + ", \"allowedHosts\": [" + String.join(", ", hosts) + "], \"metrics\": " + admin.metrics()
                + ", \"readyRoutes\": ["
                + String.join(", ", admin.readyRoutes().stream().map(ConfigYaml::text).toList()) + "]}";
    }

    private static String route(RouteConfig route) {
        List<String> backends = new ArrayList<>();
        for (BackendConfig backend : route.backends()) {
            backends.add(backend(backend));
        }
        TimeoutConfig timeouts = route.timeouts();
        StringBuilder strategy = new StringBuilder("{\"name\": ").append(text(route.strategy().name()));
        for (Map.Entry<String, String> option : route.strategy().options().entrySet()) {
            strategy.append(", ").append(text(option.getKey())).append(": ").append(text(option.getValue()));
        }
        strategy.append('}');
        return "{\"name\": " + text(route.name())
                + ", \"prefix\": " + text(route.prefix())
                + ", \"stripPrefix\": " + route.stripPrefix()
                + (route.rewrite() == null ? "" : ", \"rewrite\": " + text(route.rewrite()))
                + ", \"strategy\": " + strategy
                + ", \"whenAllDown\": " + text(route.whenAllDown().configName())
                + ", \"timeouts\": {\"connect\": " + duration(timeouts.connect())
                + ", \"response\": " + duration(timeouts.response())
                + ", \"idle\": " + duration(timeouts.idle())
                + ", \"total\": " + duration(timeouts.total())
                + ", \"tunnelIdle\": " + duration(timeouts.tunnelIdle()) + "}"
                + ", \"preserveHost\": " + route.preserveHost()
                + ", \"forwarded\": " + route.forwarded()
                + ", \"via\": " + route.via()
                + ", \"trustedProxies\": [" + String.join(", ", route.trustedProxies().stream().map(ConfigYaml::text)
                        .toList()) + "]"
                + ", \"upgrades\": [" + String.join(", ", route.upgrades().stream().map(ConfigYaml::text).toList())
                        + "]"
                + tls(route.tls())
                + ", \"panicThreshold\": " + route.panicThreshold()
                + (route.slowStart().enabled() ? ", \"slowStart\": {\"window\": " + duration(route.slowStart().window())
                        + ", \"minWeightPercent\": " + route.slowStart().minWeightPercent() + "}" : "")
                + (route.queue().equals(QueueConfig.NONE) ? "" : ", \"queue\": " + queue(route.queue()))
                + (route.adaptiveConcurrency().enabled() ? ", \"adaptiveConcurrency\": {\"algorithm\": "
                        + text(route.adaptiveConcurrency().algorithm()) + ", \"initialLimit\": "
                        + route.adaptiveConcurrency().initialLimit() + ", \"minLimit\": "
                        + route.adaptiveConcurrency().minLimit() + ", \"maxLimit\": "
                        + route.adaptiveConcurrency().maxLimit() + "}" : "")
                + rateLimits(route.rateLimits())
                + match(route.match())
                + release(route.release())
                + (route.zoneAware().enabled() ? ", \"zoneAware\": {\"minHealthyPercent\": "
                        + route.zoneAware().minHealthyPercent() + ", \"loadMarginPercent\": "
                        + route.zoneAware().loadMarginPercent() + "}" : "")
                + scaling(route.scaling())
                + headerRules("requestHeaders", route.requestHeaders())
                + headerRules("responseHeaders", route.responseHeaders())
                + (route.healthCheck().enabled() ? ", \"healthCheck\": " + healthCheck(route.healthCheck()) : "")
                + outlierDetection(route.outlierDetection())
                + breaker(route.circuitBreaker())
                + affinity(route.affinity())
                + retries(route.retries())
                + ", \"fallback\": {\"status\": " + route.fallback().status()
                + (route.fallback().body() == null ? "" : ", \"body\": " + text(route.fallback().body()))
                + ", \"headers\": " + mapping(route.fallback().headers()) + "}"
                + ", \"backends\": [" + String.join(", ", backends) + "]}";
    }

    private static String tls(TlsConfig tls) {
        if (tls.equals(TlsConfig.DEFAULT)) {
            return "";
        }
        StringBuilder yaml = new StringBuilder(", \"tls\": {\"insecureSkipVerify\": " + tls.insecureSkipVerify());
        String[][] files = {{"caBundle", tls.caBundle()}, {"certificate", tls.certificate()}, {"key", tls.key()},
            {"keyStore", tls.keyStore()}, {"keyPasswordFile", tls.keyPasswordFile()},
            {"keyPasswordEnv", tls.keyPasswordEnv()}, {"serverName", tls.serverName()}};
        for (String[] file : files) {
            if (file[1] != null) {
                yaml.append(", ").append(text(file[0])).append(": ").append(text(file[1]));
            }
        }
        return yaml.append('}').toString();
    }

    private static String breaker(BreakerConfig breaker) {
        if (!breaker.enabled()) {
            return "";
        }
        return ", \"circuitBreaker\": {\"failureStatuses\": " + text(breaker.failureStatuses())
                + ", \"consecutiveFailures\": " + breaker.consecutiveFailures()
                + ", \"failureRatePercent\": " + breaker.failureRatePercent()
                + ", \"minimumCalls\": " + breaker.minimumCalls()
                + ", \"window\": " + duration(breaker.window())
                + ", \"delay\": " + duration(breaker.delay())
                + ", \"halfOpenTrials\": " + breaker.halfOpenTrials()
                + ", \"successesToClose\": " + breaker.successesToClose()
                + ", \"maxOpenPercent\": " + breaker.maxOpenPercent() + "}";
    }

    private static String affinity(AffinityConfig affinity) {
        if (!affinity.enabled()) {
            return "";
        }
        List<String> proxies = new ArrayList<>();
        affinity.trustedProxies().forEach(proxy -> proxies.add(text(proxy)));
        return ", \"affinity\": {\"mode\": " + text(affinity.mode().configName())
                + ", \"cookie\": {\"name\": " + text(affinity.cookieName())
                + ", \"path\": " + text(affinity.cookiePath())
                + ", \"maxAge\": " + duration(affinity.cookieMaxAge())
                + ", \"httpOnly\": " + affinity.cookieHttpOnly()
                + ", \"secure\": " + affinity.cookieSecure()
                + ", \"sameSite\": " + text(affinity.cookieSameSite()) + "}"
                + ", \"header\": " + text(affinity.header())
                + ", \"appCookie\": " + text(affinity.appCookie())
                + ", \"trustedProxies\": [" + String.join(", ", proxies) + "]"
                + ", \"boundedLoadPercent\": " + affinity.boundedLoadPercent()
                + ", \"ttl\": " + duration(affinity.ttl())
                + ", \"maxSessions\": " + affinity.maxSessions()
                + (affinity.secret() == null ? "" : ", \"secret\": " + text(affinity.secret())) + "}";
    }

    private static String retries(RetryConfig retries) {
        if (!retries.enabled()) {
            return "";
        }
        List<String> retryOn = new ArrayList<>();
        retries.retryOn().forEach(kind -> retryOn.add(text(kind.configName())));
        return ", \"retries\": {\"maxAttempts\": " + retries.maxAttempts()
                + ", \"backoffBase\": " + duration(retries.backoffBase())
                + ", \"backoffMax\": " + duration(retries.backoffMax())
                + ", \"retryOn\": [" + String.join(", ", retryOn) + "]"
                + ", \"retryStatuses\": " + text(retries.retryStatuses())
                + ", \"bufferBytes\": " + retries.bufferBytes()
                + ", \"budgetPercent\": " + retries.budgetPercent()
                + ", \"budgetMinPerSecond\": " + retries.budgetMinPerSecond()
                + ", \"deadline\": " + duration(retries.deadline())
                + ", \"attemptsHeader\": " + retries.attemptsHeader() + "}";
    }

    private static String outlierDetection(OutlierDetectionConfig detection) {
        if (!detection.enabled()) {
            return "";
        }
        return ", \"outlierDetection\": {\"consecutive5xx\": " + detection.consecutive5xx()
                + ", \"consecutiveConnectFailures\": " + detection.consecutiveConnectFailures()
                + ", \"baseEjectionTime\": " + duration(detection.baseEjectionTime())
                + ", \"maxEjectionTime\": " + duration(detection.maxEjectionTime())
                + ", \"maxEjectionPercent\": " + detection.maxEjectionPercent()
                + ", \"latencyPercentOfMedian\": " + detection.latencyPercentOfMedian() + "}";
    }

    private static String healthCheck(HealthCheckConfig check) {
        if (!check.enabled()) {
            return "false";
        }
        String custom = check.check();
        return "{\"method\": " + text(check.method())
                + (check.path() == null ? "" : ", \"path\": " + text(check.path()))
                + (custom == null ? "" : (custom.indexOf('.') > 0 ? ", \"class\": " : ", \"check\": ") + text(custom))
                + ", \"port\": " + check.port()
                + ", \"interval\": " + duration(check.interval())
                + ", \"jitter\": " + duration(check.effectiveJitter())
                + ", \"timeout\": " + duration(check.timeout())
                + ", \"expectedStatuses\": " + text(check.expectedStatuses())
                + (check.expectedBody() == null ? "" : ", \"expectedBody\": " + text(check.expectedBody()))
                + ", \"startHealthy\": " + check.startHealthy()
                + ", \"headers\": " + mapping(check.headers())
                + ", \"healthyThreshold\": " + check.healthyThreshold()
                + ", \"unhealthyThreshold\": " + check.unhealthyThreshold() + "}";
    }

    private static String queue(QueueConfig queue) {
        List<String> classes = new ArrayList<>();
        queue.classes().forEach(name -> classes.add(text(name)));
        return "{\"maxWaiting\": " + queue.maxWaiting() + ", \"timeout\": " + duration(queue.timeout())
                + ", \"classes\": [" + String.join(", ", classes) + "], \"defaultClass\": "
                + text(queue.defaultClass())
                + (queue.classHeader() == null ? "" : ", \"classHeader\": " + text(queue.classHeader()))
                + ", \"aging\": " + duration(queue.aging())
                + ", \"classByPrefix\": " + mapping(queue.classByPrefix())
                + ", \"classByMethod\": " + mapping(queue.classByMethod())
                + (queue.classResolver() == null ? "" : ", \"classResolver\": " + text(queue.classResolver())) + "}";
    }

    private static String scaling(ScalingConfig scaling) {
        if (!scaling.enabled()) {
            return "";
        }
        return ", \"scaling\": {\"utilisationHigh\": " + scaling.utilisationHigh() + ", \"utilisationLow\": "
                + scaling.utilisationLow() + ", \"queueHigh\": " + scaling.queueHigh() + ", \"latencyHigh\": "
                + duration(scaling.latencyHigh()) + ", \"sustain\": " + duration(scaling.sustain())
                + ", \"capacityPerBackend\": " + scaling.capacityPerBackend()
                + (scaling.webhook() == null ? "" : ", \"webhook\": " + text(scaling.webhook())) + "}";
    }

    private static String dns(DnsConfig dns) {
        List<String> servers = new ArrayList<>();
        dns.servers().forEach(server -> servers.add(text(server)));
        return "{\"servers\": [" + String.join(", ", servers) + "], \"minTtl\": " + duration(dns.minTtl())
                + ", \"maxTtl\": " + duration(dns.maxTtl()) + ", \"timeout\": " + duration(dns.timeout()) + "}";
    }

    private static String backend(BackendConfig backend) {
        StringBuilder yaml = new StringBuilder("{\"url\": ").append(text(backend.url()))
                .append(", \"id\": ").append(text(backend.id()))
                .append(", \"weight\": ").append(backend.weight())
                .append(", \"backup\": ").append(backend.backup())
                .append(", \"disabled\": ").append(backend.disabled());
        if (backend.maxConcurrent() > 0) {
            yaml.append(", \"maxConcurrent\": ").append(backend.maxConcurrent());
        }
        if (backend.maxTunnels() > 0) {
            yaml.append(", \"maxTunnels\": ").append(backend.maxTunnels());
        }
        if (backend.protocol() != BackendProtocol.HTTP_1_1) {
            yaml.append(", \"protocol\": ").append(text(backend.protocol().id()));
        }
        if (!backend.metadata().isEmpty()) {
            yaml.append(", \"metadata\": ").append(mapping(backend.metadata()));
        }
        if (backend.healthCheck() != null) {
            yaml.append(", \"healthCheck\": ").append(healthCheck(backend.healthCheck()));
        }
        if (backend.group() != null) {
            yaml.append(", \"group\": ").append(text(backend.group()));
        }
        if (backend.resolve() == BackendConfig.Resolve.DNS) {
            yaml.append(", \"resolve\": \"dns\"");
        }
        return yaml.append('}').toString();
    }

    private static String mapping(Map<String, String> entries) {
        StringBuilder yaml = new StringBuilder("{");
        String separator = "";
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            yaml.append(separator).append(text(entry.getKey())).append(": ").append(text(entry.getValue()));
            separator = ", ";
        }
        return yaml.append('}').toString();
    }

    private static String duration(Duration duration) {
        return duration.isZero() ? "\"0\"" : "\"" + duration.toMillis() + "ms\"";
    }

    private static String text(@Nullable String value) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : String.valueOf(value).toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
