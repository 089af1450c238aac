package dev.junction.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.junction.core.Junction;

class QueueConfigTest {

    private static final String YAML = """
            routes:
              - prefix: /
                backends: [{url: "http://10.0.0.1:8080", maxConcurrent: 10}]
                queue:
                  maxWaiting: 50
                  timeout: 2s
                  classes: [critical, default, bulk]
                  classHeader: X-Priority
                  aging: 500ms
                  classByPrefix: {/admin: critical}
                  classByMethod: {DELETE: bulk}
                  classResolver: plan
            """;

    @Test
    void theYamlFileAndTheFlatKeysGiveTheSameQueue() {
        QueueConfig yaml = YamlConfigLoader.load(YAML).routes().get(0).queue();
        QueueConfig flat = FlatConfigLoader.load(Map.ofEntries(Map.entry("prefix", "/"),
                Map.entry("targets", "http://10.0.0.1:8080"), Map.entry("maxConcurrent", "10"),
                Map.entry("queue.maxWaiting", "50"), Map.entry("queue.timeout", "2s"),
                Map.entry("queue.classes", "critical, default, bulk"), Map.entry("queue.classHeader", "X-Priority"),
                Map.entry("queue.aging", "500ms"), Map.entry("queue.classByPrefix./admin", "critical"),
                Map.entry("queue.classByMethod.DELETE", "bulk"), Map.entry("queue.classResolver", "plan")))
                .routes().get(0).queue();

        assertThat(yaml).isEqualTo(flat).isEqualTo(QueueConfig.of(50, Duration.ofSeconds(2))
                .withClasses(List.of("critical", "default", "bulk"), "default", "X-Priority", Duration.ofMillis(500))
                .withClassRules(Map.of("/admin", "critical"), Map.of("DELETE", "bulk")).withClassResolver("plan"));
    }

    @Test
    void aClassResolverMustBeRegisteredUnderAProperName() {
        JunctionConfig config = YamlConfigLoader.load(YAML);

        assertThatThrownBy(() -> Junction.builder().build(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("routes[0].queue.classResolver: no priority resolver named 'plan' is registered"
                        + " (registered: none)");
        assertThat(Junction.builder().priorityResolver("plan", request -> "critical").configCheck().problems(config))
                .isEmpty();
        assertThatThrownBy(() -> JunctionConfig.builder().route(RouteConfig.builder().prefix("/")
                .backend("http://10.0.0.1:8080").queue(QueueConfig.of(5, Duration.ofSeconds(1))
                        .withClassResolver("My Plan")).build()).build())
                .hasMessageContaining("routes[0].queue.classResolver: 'My Plan' is not a resolver's name");
    }

    @Test
    void withoutADefaultClassTheLowestIsTheDefaultUnlessOneIsCalledDefault() {
        assertThat(QueueConfig.defaultClassOf(List.of("high", "low"), null)).isEqualTo("low");
        assertThat(QueueConfig.defaultClassOf(List.of("high", "default", "low"), null)).isEqualTo("default");
        assertThat(QueueConfig.defaultClassOf(null, null)).isEqualTo("default");
        assertThat(QueueConfig.defaultClassOf(List.of("high", "low"), "high")).isEqualTo("high");
    }

    @Test
    void everyProblemOfAQueueIsNamed() {
        assertThatThrownBy(() -> JunctionConfig.builder().route(RouteConfig.builder().prefix("/")
                .backend("http://10.0.0.1:8080")
                .queue(QueueConfig.of(-1, Duration.ZERO).withClasses(List.of("high", "high", "no good"), "normal",
                        "X Priority", Duration.ofSeconds(-1)).withClassRules(Map.of("admin", "top"),
                        Map.of("GET", "high")))
                .build()).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("routes[0].queue.maxWaiting: must be from 0 (no queue) to 100000 (was -1)")
                .hasMessageContaining("routes[0].queue.timeout: must be > 0")
                .hasMessageContaining("routes[0].queue.classes[1]: 'high' is listed twice")
                .hasMessageContaining("routes[0].queue.classes[2]: 'no good' is not a class name")
                .hasMessageContaining("routes[0].queue.defaultClass: 'normal' is not one of the classes")
                .hasMessageContaining("routes[0].queue.classHeader: 'X Priority' is not a header name")
                .hasMessageContaining("routes[0].queue.aging: must be 0 (strict priority) or more")
                .hasMessageContaining("routes[0].queue.classByPrefix: 'admin' is not a path prefix")
                .hasMessageContaining("routes[0].queue.classByPrefix.admin: 'top' is not one of the classes");
    }
}
