package dev.junction.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

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
            """;

    @Test
    void theYamlFileAndTheFlatKeysGiveTheSameQueue() {
        QueueConfig yaml = YamlConfigLoader.load(YAML).routes().get(0).queue();
        QueueConfig flat = FlatConfigLoader.load(Map.of("prefix", "/", "targets", "http://10.0.0.1:8080",
                "maxConcurrent", "10", "queue.maxWaiting", "50", "queue.timeout", "2s",
                "queue.classes", "critical, default, bulk", "queue.classHeader", "X-Priority",
                "queue.aging", "500ms", "queue.classByPrefix./admin", "critical", "queue.classByMethod.DELETE",
                "bulk")).routes().get(0).queue();

        assertThat(yaml).isEqualTo(flat).isEqualTo(QueueConfig.of(50, Duration.ofSeconds(2))
                .withClasses(List.of("critical", "default", "bulk"), "default", "X-Priority", Duration.ofMillis(500))
                .withClassRules(Map.of("/admin", "critical"), Map.of("DELETE", "bulk")));
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
