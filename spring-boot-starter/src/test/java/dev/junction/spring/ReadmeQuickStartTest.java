package dev.junction.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.junction.spring.app.TestApplication;
import dev.junction.testkit.Readme;
import dev.junction.testkit.TestBackend;

/**
 * The README's Spring Boot quick start as it is written: its {@code application.yaml} in a Boot application on
 * embedded Tomcat, with two real backends in place of {@code 127.0.0.1:9001} and {@code :9002}.
 */
class ReadmeQuickStartTest {

    private static final Path README = Path.of("../README.md");

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
        List<String> yaml = Readme.blocks(README, "In a Spring Boot application", "yaml");
        assertThat(yaml).as("yaml blocks under the README's Spring Boot quick start").hasSize(1);
        return yaml.get(0);
    }
}
