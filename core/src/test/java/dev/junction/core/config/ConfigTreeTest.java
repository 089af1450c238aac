package dev.junction.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** A configuration given as a tree of Java values (Spring Boot's {@code junction.*}) through the YAML loader. */
class ConfigTreeTest {

    @Test
    void aTreeReadsAsTheYamlTextItStandsFor() {
        JunctionConfig fromText = YamlConfigLoader.load("""
                routes:
                  - name: api
                    prefix: /api
                    stripPrefix: true
                    strategy: {name: consistent-hash, key: "header:X-User-Id"}
                    healthCheck: {path: /health, interval: 2s, unhealthyThreshold: 2}
                    requestHeaders: {set: {X-Env: prod}}
                    backends:
                      - url: http://10.0.0.1:8080
                        weight: 3
                        maxConcurrent: 10
                      - http://10.0.0.2:8080
                client: {maxConnectionsPerBackend: 64}
                """);

        JunctionConfig fromTree = YamlConfigLoader.load(map(
                "routes", List.of(map(
                        "name", "api",
                        "prefix", "/api",
                        "strip-prefix", true,
                        "strategy", map("name", "consistent-hash", "key", "header:X-User-Id"),
                        "healthcheck", map("path", "/health", "interval", Duration.ofSeconds(2),
                                "UNHEALTHY_THRESHOLD", 2),
                        "request-headers", map("set", map("X-Env", "prod")),
                        "backends", List.of(
                                map("url", "http://10.0.0.1:8080", "weight", 3, "max-concurrent", "10"),
                                "http://10.0.0.2:8080"))),
                "client", map("max-connections-per-backend", 64)), "application.yaml", ConfigCheck.NONE);

        assertThat(fromTree).isEqualTo(fromText);
    }

    @Test
    void theSameMistakesGetTheSameProblems() {
        ConfigException fromText = catchThrowableOfType(ConfigException.class, () -> YamlConfigLoader.load("""
                routes:
                  - name: api
                    prefix: api
                    strategi: least-connections
                    backends:
                      - url: http://10.0.0.1:8080
                        weight: 0
                      - url: 10.0.0.2:8080
                        weight: heavy
                      - weight: 2
                      - url: http://10.0.0.3:8080
                        maxConcurrent:
                  - name: api
                    prefix: /web
                    backends: []
                """));

        ConfigException fromTree = catchThrowableOfType(ConfigException.class, () -> YamlConfigLoader.load(map(
                "routes", List.of(
                        map("name", "api", "prefix", "api", "strategi", "least-connections", "backends", List.of(
                                map("url", "http://10.0.0.1:8080", "weight", 0),
                                map("url", "10.0.0.2:8080", "weight", "heavy"),
                                map("weight", 2),
                                map("url", "http://10.0.0.3:8080", "max-concurrent", null))),
                        map("name", "api", "prefix", "/web", "backends", List.of()))),
                "application.yaml", ConfigCheck.NONE));

        assertThat(fromTree.problems()).isEqualTo(fromText.problems()).hasSize(9);
    }

    @Test
    void namesTheUserChoosesAreTakenAsWritten() {
        JunctionConfig config = YamlConfigLoader.load(map("routes", List.of(map(
                "prefix", "/api",
                "strategy", map("name", "consistent-hash", "key", "path", "ALGORITHM", "maglev"),
                "request-headers", map("set", map("max-age", "1", "Health-Check", "on")),
                "backends", List.of(map("url", "http://10.0.0.1:8080", "metadata", map("health-check", "x")))))),
                "application.yaml", ConfigCheck.NONE);

        RouteConfig route = config.routes().get(0);
        assertThat(route.requestHeaders().set()).containsOnlyKeys("max-age", "Health-Check");
        assertThat(route.backends().get(0).metadata()).containsOnlyKeys("health-check");
        assertThat(route.strategy().options()).containsOnlyKeys("key", "ALGORITHM");
    }

    @Test
    void twoSpellingsOfOneKeyAreAProblem() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> YamlConfigLoader.load(map(
                "routes", List.of(map("prefix", "/api", "stripPrefix", true, "strip-prefix", false,
                        "backends", List.of("http://10.0.0.1:8080")))), "application.yaml", ConfigCheck.NONE));

        assertThat(e.problems()).containsExactly(new ConfigProblem("routes[0].stripPrefix",
                "duplicate key: 'stripPrefix' and 'strip-prefix' name the same key"));
    }

    @Test
    void anUnknownKeyIsReportedAsWritten() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> YamlConfigLoader.load(map(
                "routes", List.of(map("prefix", "/api", "strip-prefixes", true,
                        "backends", List.of("http://10.0.0.1:8080")))), "application.yaml", ConfigCheck.NONE));

        assertThat(e.problems()).extracting(ConfigProblem::path).containsExactly("routes[0].strip-prefixes");
    }

    @Test
    void extensionKeysAreIgnoredAndTheirStandInIsNoKey() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> YamlConfigLoader.load(map(
                "x-defaults", map("weight", 2), "xname", 1,
                "routes", List.of(map("prefix", "/api", "backends", List.of("http://10.0.0.1:8080")))),
                "application.yaml", ConfigCheck.NONE));

        assertThat(e.problems()).extracting(ConfigProblem::path).containsExactly("xname");
    }

    @Test
    void anEmptyTreeHasNoRoutes() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> YamlConfigLoader.load(Map.of(), "application.yaml", ConfigCheck.NONE));

        assertThat(e.problems()).containsExactly(new ConfigProblem("routes", "required"));
    }

    /** Returns a mapping with its keys in the order given, as a YAML document's are. */
    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
