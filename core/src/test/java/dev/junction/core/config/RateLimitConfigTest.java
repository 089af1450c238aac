package dev.junction.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.junction.core.Junction;

class RateLimitConfigTest {

    private static final String YAML = """
            sharedLimits:
              redis: redis://10.0.0.9:6379/2
              timeout: 50ms
              instances: 3
              whenUnreachable: closed
              keyPrefix: "edge:"
            routes:
              - prefix: /
                backends: [{url: "http://10.0.0.1:8080"}]
                rateLimits:
                  - {name: burst, key: "header:X-Api-Key", limit: 100, period: 1s, burst: 200, shared: true}
                  - {name: daily, key: client, limit: 10000, period: 24h}
            """;

    @Test
    void theYamlFileAndTheFlatKeysGiveTheSameLimits() {
        JunctionConfig yaml = YamlConfigLoader.load(YAML);
        JunctionConfig flat = FlatConfigLoader.load(Map.ofEntries(Map.entry("prefix", "/"),
                Map.entry("targets", "http://10.0.0.1:8080"),
                Map.entry("sharedLimits.redis", "redis://10.0.0.9:6379/2"),
                Map.entry("sharedLimits.timeout", "50ms"), Map.entry("sharedLimits.instances", "3"),
                Map.entry("sharedLimits.whenUnreachable", "closed"), Map.entry("sharedLimits.keyPrefix", "edge:"),
                Map.entry("rateLimit.burst.key", "header:X-Api-Key"), Map.entry("rateLimit.burst.limit", "100"),
                Map.entry("rateLimit.burst.period", "1s"), Map.entry("rateLimit.burst.burst", "200"),
                Map.entry("rateLimit.burst.shared", "true"), Map.entry("rateLimit.daily.key", "client"),
                Map.entry("rateLimit.daily.limit", "10000"), Map.entry("rateLimit.daily.period", "24h")));

        List<RateLimitConfig> expected = List.of(
                RateLimitConfig.of("header:X-Api-Key", 100, Duration.ofSeconds(1)).withBurst(200).withShared(true)
                        .withName("burst"),
                RateLimitConfig.of("client", 10000, Duration.ofHours(24)).withName("daily"));
        assertThat(yaml.routes().get(0).rateLimits()).isEqualTo(flat.routes().get(0).rateLimits())
                .isEqualTo(expected);
        SharedLimitsConfig shared = new SharedLimitsConfig("redis://10.0.0.9:6379/2", Duration.ofMillis(50), 3,
                SharedLimitsConfig.WhenUnreachable.CLOSED, "edge:");
        assertThat(yaml.sharedLimits()).isEqualTo(flat.sharedLimits()).isEqualTo(shared);
    }

    @Test
    void aLimitWithoutANameIsNamedByItsKeyAndRate() {
        JunctionConfig config = YamlConfigLoader.load("""
                routes:
                  - prefix: /
                    backends: [{url: "http://10.0.0.1:8080"}]
                    rateLimits: [{key: client, limit: 5, period: 1m}]
                """);

        assertThat(config.routes().get(0).rateLimits().get(0).name()).isEqualTo("client 5/1m");
        assertThat(config.routes().get(0).rateLimits().get(0).burst()).isEqualTo(5);
    }

    @Test
    void everyProblemOfALimitAndOfItsStoreIsNamed() {
        assertThatThrownBy(() -> YamlConfigLoader.load("""
                sharedLimits: {redis: "http://10.0.0.9", instances: 0, timeout: 0, whenUnreachable: maybe}
                routes:
                  - prefix: /
                    backends: [{url: "http://10.0.0.1:8080"}]
                    rateLimits:
                      - {name: a, key: ip, limit: 0, period: 0, burst: -1}
                      - {name: a, key: "header:X Key", limit: 1, period: 1s, color: red}
                      - {key: client}
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sharedLimits.redis: 'http://10.0.0.9' (expected: a redis:// or rediss:// URI)")
                .hasMessageContaining("sharedLimits.instances: must be from 1 to 10000 (was 0)")
                .hasMessageContaining("sharedLimits.timeout: must be from 1ms to 10s (was 0s)")
                .hasMessageContaining("sharedLimits.whenUnreachable: 'maybe' (expected: local, open or closed)")
                .hasMessageContaining("routes[0].rateLimits[0].key: 'ip' (expected: route, client, header:<name>,"
                        + " cookie:<name> or resolver:<name>)")
                .hasMessageContaining("routes[0].rateLimits[0].limit: must be from 1 to 1000000000 (was 0)")
                .hasMessageContaining("routes[0].rateLimits[0].period: must be from 1ms to 8784h (366 days) (was 0s)")
                .hasMessageContaining("routes[0].rateLimits[0].burst: must be from 1 to 1000000000 (was -1)")
                .hasMessageContaining("routes[0].rateLimits[1].name: duplicate name 'a' (also routes[0].rateLimits[0])")
                .hasMessageContaining("routes[0].rateLimits[1].key: 'header:X Key'")
                .hasMessageContaining("routes[0].rateLimits[1].color: unknown key")
                .hasMessageContaining("routes[0].rateLimits[2].limit: required")
                .hasMessageContaining("routes[0].rateLimits[2].period: required");
    }

    @Test
    void aSharedLimitNeedsAStore() {
        assertThatThrownBy(() -> JunctionConfig.builder().route(RouteConfig.builder().prefix("/")
                .backend("http://10.0.0.1:8080")
                .rateLimit(RateLimitConfig.of("route", 10, Duration.ofSeconds(1)).withShared(true)).build()).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("routes[0].rateLimits[0].shared: needs a store to share it through:"
                        + " sharedLimits.redis");
    }

    @Test
    void aResolverKeyMustNameARegisteredResolver() {
        JunctionConfig config = JunctionConfig.builder().route(RouteConfig.builder().prefix("/")
                .backend("http://10.0.0.1:8080")
                .rateLimit(RateLimitConfig.of("resolver:tenant", 10, Duration.ofSeconds(1))).build()).build();

        assertThatThrownBy(() -> Junction.builder().keyResolver("account", request -> null).build(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("routes[0].rateLimits[0].key: no key resolver named 'tenant' is registered"
                        + " (registered: account)");
        assertThat(Junction.builder().keyResolver("tenant", request -> null).configCheck().problems(config))
                .isEmpty();
    }
}
