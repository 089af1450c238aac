package dev.junction.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.junction.core.config.ConfigException;
import dev.junction.core.config.ConfigProblem;
import dev.junction.core.config.YamlConfigLoader;
import dev.junction.spring.app.TestApplication;

/** A Boot application whose {@code junction.*} is wrong does not start, and its failure report lists every problem. */
@ExtendWith(OutputCaptureExtension.class)
class BadConfigurationTest {

    /**
     * The mistakes of docs/configuration.md's wrong file, and a value left out, as a Junction YAML file holds them.
     * Not {@code backends: []}: Boot reads an empty list as an empty value, reported as no value rather than as an
     * empty list (docs/spring-boot.md).
     */
    private static final String ROUTES = """
            routes:
              - name: api
                prefix: api
                strategi: least-connections
                backends:
                  - url: http://127.0.0.1:9
                    weight: 0
                  - url: 127.0.0.1:8080
                    weight: heavy
                  - weight: 2
                  - url: http://127.0.0.1:10
                    maxConcurrent:
              - name: api
                prefix: /web
            """;

    @Test
    void theStartFailsListingEveryProblemAsTheYamlLoaderWordsIt(@TempDir Path directory, CapturedOutput output)
            throws Exception {
        List<ConfigProblem> expected = catchThrowableOfType(ConfigException.class, () -> YamlConfigLoader.load(ROUTES))
                .problems();
        // The same mistakes in the application's own application.yaml, under junction, in Boot's kebab case.
        Path yaml = directory.resolve("application.yaml");
        Files.writeString(yaml, "server: {address: 127.0.0.1, port: 0}\njunction:\n"
                + ROUTES.indent(2).replace("maxConcurrent", "max-concurrent"));

        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(TestApplication.class)
                .properties("spring.config.location=" + yaml.toUri())
                .run());

        assertThat(failure).isNotNull();
        assertThat(expected).hasSize(9);
        String report = output.getOut() + output.getErr();
        assertThat(report).contains("APPLICATION FAILED TO START")
                .contains("Junction's configuration (junction.* in the Spring Environment) has 9 problems"
                        + " (each path is under junction):")
                .contains("Correct the junction.* properties named above");
        for (ConfigProblem problem : expected) {
            assertThat(report).contains("    " + problem);
        }
    }
}
