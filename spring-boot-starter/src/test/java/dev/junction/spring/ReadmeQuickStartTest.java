package dev.junction.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.junction.spring.app.TestApplication;
import dev.junction.testkit.TestBackend;

/**
 * The README's Spring Boot quick start as it is written: its {@code application.yaml} in a Boot application on
 * embedded Tomcat, with two real backends in place of {@code 127.0.0.1:9001} and {@code :9002}.
 */
class ReadmeQuickStartTest {

    private static final Path README = Path.of("../README.md");
    private static final String SECTION = "### In a Spring Boot application\n";
    private static final Pattern YAML = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path directory;

    @Test
    void theApplicationYamlProxiesItsPrefixAndLeavesTheRestToTheApplication() throws Exception {
        String yaml = readmeYaml();
        try (TestBackend first = TestBackend.start("first"); TestBackend second = TestBackend.start("second")) {
            Path file = directory.resolve("application.yaml");
            Files.writeString(file, yaml.replace("http://127.0.0.1:9001", first.url())
                    .replace("http://127.0.0.1:9002", second.url()));
            try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
                    .properties("spring.config.location=file:" + file, "server.address=127.0.0.1",
                            "server.port=0")
                    .run()) {
                int port = ((WebServerApplicationContext) context).getWebServer().getPort();
                HttpClient client = HttpClient.newHttpClient();
                List<String> servedBy = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    HttpResponse<String> response = client.send(request(port, "/api/orders"),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).isEqualTo(200);
                    servedBy.add(response.headers().firstValue("X-Backend").orElseThrow());
                }
                assertThat(servedBy).containsOnly("first", "second").contains("first", "second");
                HttpResponse<String> own = client.send(request(port, "/own"), HttpResponse.BodyHandlers.ofString());
                assertThat(own.body()).isEqualTo("own");
            }
        }
    }

    private static HttpRequest request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build();
    }

    private static String readmeYaml() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int start = readme.indexOf(SECTION);
        assertThat(start).as("README section '%s'", SECTION.strip()).isNotNegative();
        int end = readme.indexOf("\n##", start + 1);
        Matcher yaml = YAML.matcher(readme.substring(start, end));
        assertThat(yaml.find()).as("a yaml block under '%s'", SECTION.strip()).isTrue();
        return yaml.group(1);
    }
}
