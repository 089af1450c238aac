package dev.junction.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ByteArrayResource;

/** How {@code junction.*} of a Spring Environment becomes the tree Junction's loader reads. */
class EnvironmentTreeTest {

    private final StandardEnvironment environment = new StandardEnvironment();

    /** Adds a source below those added before it, as a later file is below an earlier one in Boot. */
    private void add(PropertySource<?> source) {
        environment.getPropertySources().addLast(source);
    }

    private void add(String name, Object... keysAndValues) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        add(new MapPropertySource(name, properties));
    }

    private Map<String, Object> read() {
        ConfigurationPropertySources.attach(environment);
        return EnvironmentTree.read(environment);
    }

    @Test
    void applicationYamlReadsAsTheTreeItWrites() throws IOException {
        String yaml = """
                junction:
                  enabled: true
                  filter: {order: 5}
                  routes:
                    - name: api
                      prefix: /api
                      health-check: {path: /health, interval: 2s}
                      backends:
                        - http://10.0.0.1:8080
                        - url: http://10.0.0.2:8080
                          weight: 3
                          max-concurrent:
                """;
        for (PropertySource<?> source : new YamlPropertySourceLoader().load("application.yaml",
                new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)))) {
            add(source);
        }

        Map<String, Object> backup = new LinkedHashMap<>();
        backup.put("url", "http://10.0.0.2:8080");
        backup.put("weight", 3);
        backup.put("max-concurrent", null);
        assertThat(read()).isEqualTo(Map.of("routes", List.of(Map.of(
                "name", "api",
                "prefix", "/api",
                "health-check", Map.of("path", "/health", "interval", "2s"),
                "backends", List.of("http://10.0.0.1:8080", backup)))));
    }

    @Test
    void aValueComesFromTheSourceOfHighestPrecedenceSpeltAsTheLowestSpellsIt() {
        add(new SystemEnvironmentPropertySource("systemEnvironment", Map.of("JUNCTION_CLIENT_IDLETIMEOUT", "5s")));
        add("application.properties", "junction.client.idle-timeout", "30s", "junction.client.zone", "eu-1");

        assertThat(read()).isEqualTo(Map.of("client", Map.of("idle-timeout", "5s", "zone", "eu-1")));
    }

    @Test
    void theGatewaysAndTheSupervisorsVariablesAreNotConfiguration() {
        // A Boot application run as a cluster worker has these; the gateway reads JUNCTION_<OPTION> for its options.
        add(new SystemEnvironmentPropertySource("systemEnvironment", Map.of("JUNCTION_WORKER_ID", "0",
                "JUNCTION_WORKER_PORT", "9000", "JUNCTION_SUPERVISOR_PID", "42", "JUNCTION_LOG_FORMAT", "json",
                "JUNCTION_ROUTES_0_PREFIX", "/api")));

        assertThat(read()).isEqualTo(Map.of("routes", List.of(Map.of("prefix", "/api"))));
    }

    @Test
    void anApplicationWithOnlyTheSupervisorsVariablesHasNoJunctionConfiguration() {
        add(new SystemEnvironmentPropertySource("systemEnvironment", Map.of("JUNCTION_WORKER_ID", "1",
                "JUNCTION_WORKER_PORT", "9001", "JUNCTION_SUPERVISOR_PID", "42")));

        assertThat(read()).isEmpty();
    }

    @Test
    void aListComesWholeFromTheFirstSourceThatHasIt() {
        add("commandLineArgs", "junction.routes[0].prefix", "/web", "junction.routes[0].backends[0]", "http://b");
        add("application.properties", "junction.routes[0].prefix", "/api",
                "junction.routes[0].strip-prefix", "true", "junction.routes[1].prefix", "/other");

        assertThat(read()).isEqualTo(Map.of("routes", List.of(Map.of("prefix", "/web",
                "backends", List.of("http://b")))));
    }

    @Test
    void namesTheUserChoosesKeepTheirCaseAndBracketsKeepWhatBootWouldDrop() {
        add("application.properties",
                "junction.routes[0].request-headers.set.X-Api-Key", "k",
                "junction.routes[0].queue.class-by-prefix.[/admin]", "critical",
                "junction.routes[0].queue.class-by-prefix./reports", "bulk");

        Map<?, ?> route = (Map<?, ?>) ((List<?>) read().get("routes")).get(0);
        assertThat(route.get("request-headers")).isEqualTo(Map.of("set", Map.of("X-Api-Key", "k")));
        // Outside brackets Boot keeps only letters, digits and dashes of a name.
        assertThat(route.get("queue")).isEqualTo(Map.of("class-by-prefix", Map.of("/admin", "critical",
                "reports", "bulk")));
    }

    @Test
    void placeholdersAreResolvedAndJunctionsOwnVariablesLeftAlone() {
        add("application.properties",
                "backend.port", "8080",
                "junction.routes[0].backends[0]", "http://10.0.0.1:${backend.port}",
                "junction.routes[0].request-headers.set.X-Client", "${client}");

        Map<?, ?> route = (Map<?, ?>) ((List<?>) read().get("routes")).get(0);
        assertThat(route.get("backends")).isEqualTo(List.of("http://10.0.0.1:8080"));
        assertThat(route.get("request-headers")).isEqualTo(Map.of("set", Map.of("X-Client", "${client}")));
    }

    @Test
    void theStartersOwnKeysAreNotJunctionsConfiguration() {
        add("application.properties", "junction.enabled", "true", "junction.filter.order", "5");

        assertThat(read()).isEmpty();
    }

    @Test
    void aMissingListIndexIsAValueLeftOut() {
        add("application.properties", "junction.routes[1].prefix", "/api");

        List<?> routes = (List<?>) read().get("routes");
        assertThat(routes).hasSize(2);
        assertThat(routes.get(0)).isNull();
    }
}
