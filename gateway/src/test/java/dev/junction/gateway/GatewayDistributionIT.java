package dev.junction.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.junction.testkit.TestBackend;

/**
 * The distribution archive as an operator meets it: unpacked with {@code tar}, started with {@code bin/junction}
 * against real backends, stopped with {@code SIGTERM}. Runs after {@code package} built the archive
 * ({@code junction.distribution} names it).
 */
class GatewayDistributionIT {

    private static final String VERSION = System.getProperty("junction.version");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path unpacked;
    private static Path archive;
    private static Path home;
    private static TestBackend a;
    private static TestBackend b;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void unpack() throws Exception {
        archive = Path.of(System.getProperty("junction.distribution"));
        assertThat(archive).as("the distribution archive, built by package").isRegularFile();
        Result tar = run(new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", unpacked.toString()));
        assertThat(tar.exitCode()).as(tar.output()).isZero();
        home = unpacked.resolve("junction-gateway-" + VERSION);
        a = TestBackend.start("a");
        b = TestBackend.start("b");
    }

    @AfterAll
    static void stopBackends() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    @Test
    void holdsTheLauncherTheSampleConfigurationAndEveryLibrary() throws IOException {
        assertThat(Files.getPosixFilePermissions(home.resolve("bin/junction")))
                .contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
        assertThat(Files.readString(home.resolve("bin/junction.bat"))).contains("\r\n");
        assertThat(home.resolve("conf/junction.yaml")).isRegularFile();
        assertThat(home.resolve("conf/logback.xml")).isRegularFile();
        assertThat(home.resolve("README.md")).isRegularFile();
        assertThat(home.resolve("LICENSE")).isRegularFile();
        try (var lib = Files.list(home.resolve("lib"))) {
            assertThat(lib.map(jar -> jar.getFileName().toString()).toList()).contains(
                    "junction-gateway-" + VERSION + ".jar", "junction-core-" + VERSION + ".jar",
                    "junction-undertow-handler-" + VERSION + ".jar")
                    .anyMatch(jar -> jar.startsWith("logback-classic-"))
                    .noneMatch(jar -> jar.startsWith("junction-testkit") || jar.startsWith("junit"));
        }
    }

    @Test
    void theZipHoldsWhatTheTarHolds() throws Exception {
        Result tar = run(new ProcessBuilder("tar", "-tzf", archive.toString()));
        Set<String> tarEntries = tar.output().lines().filter(name -> !name.endsWith("/"))
                .collect(Collectors.toSet());
        Path zip = archive.resolveSibling(archive.getFileName().toString().replace(".tar.gz", ".zip"));
        Set<String> zipEntries = new HashSet<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : Collections.list(file.entries())) {
                if (!entry.isDirectory()) {
                    zipEntries.add(entry.getName());
                }
            }
        }
        assertThat(zipEntries).isEqualTo(tarEntries).contains("junction-gateway-" + VERSION + "/bin/junction");
    }

    @Test
    void servesTheSampleConfigurationAgainstRealBackendsAndStopsCleanly() throws Exception {
        GatewayProcess gateway = GatewayProcess.start(junction("--config", "conf/junction.yaml", "--port", "0"));
        List<String> servedBy = new ArrayList<>();
        try (gateway) {
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> response = get(gateway.port, "/hello");
                assertThat(response.statusCode()).isEqualTo(200);
                servedBy.add(response.headers().firstValue("X-Backend").orElseThrow());
            }
            assertThat(get(gateway.port, "/_junction/ready").statusCode()).isEqualTo(200);
        }
        assertThat(servedBy).contains("a", "b");
        assertThat(gateway.process.exitValue()).as("exit code after SIGTERM").isIn(0, 143);
        // The access log (combined) on standard output, and the last line of the drain: the asynchronous
        // appenders were emptied before the JVM ended.
        List<String> output = gateway.output;
        int lastAccess = -1;
        for (int i = 0; i < output.size(); i++) {
            if (output.get(i).contains("\"GET /hello HTTP/1.1\" 200")) {
                lastAccess = i;
            }
        }
        assertThat(lastAccess).as(String.join("\n", output)).isNotNegative();
        assertThat(output.subList(lastAccess, output.size())).as(String.join("\n", output))
                .anyMatch(line -> line.contains("Junction stopped"));
    }

    @Test
    void writesJsonLogsWhenAsked() throws Exception {
        List<String> output = oneRequestLogged("json", "/json");
        List<JsonNode> records = new ArrayList<>();
        for (String line : output) {
            if (line.startsWith("{")) {
                records.add(JSON.readTree(line));
            }
        }
        assertThat(records).anyMatch(record -> record.path("loggerName").asText().equals("junction.access")
                && record.path("formattedMessage").asText().contains("\"GET /json HTTP/1.1\" 200"));
        assertThat(records).anyMatch(record -> record.path("level").asText().equals("INFO")
                && record.path("formattedMessage").asText().equals("Junction stopped"));
        // No log line in text, and no Logback status lines: the plain lines are what the gateway prints itself.
        assertThat(output).filteredOn(line -> !line.startsWith("{"))
                .noneMatch(line -> line.matches("\\d{4}-\\d\\d-\\d\\d .*") || line.contains("|-"));
    }

    @Test
    void writesTextLogsWhenTheFormatIsNotOneItKnows() throws Exception {
        assertThat(oneRequestLogged("xml", "/text"))
                .anyMatch(line -> line.contains("JUNCTION_LOG_FORMAT: 'xml' is not a log format "
                        + "(expected: text or json); writing text"))
                .anyMatch(line -> line.contains("\"GET /text HTTP/1.1\" 200"))
                .anyMatch(line -> line.matches("\\d{4}-\\d\\d-\\d\\d .* Junction stopped"));
    }

    @Test
    void printsItsVersionAndChecksAConfigurationWithoutStarting() throws Exception {
        Result version = run(junction("--version"));
        assertThat(version.exitCode()).isZero();
        assertThat(version.output().strip()).isEqualTo("Junction gateway " + VERSION);

        Result sample = run(junction("--check-config", "--config", "conf/junction.yaml"));
        assertThat(sample.exitCode()).as(sample.output()).isZero();

        Path broken = unpacked.resolve("broken.yaml");
        Files.writeString(broken, """
                routes:
                  - prefix: api
                    backends: []
                """);
        Result problems = run(junction("--check-config", "--config", broken.toString()));
        assertThat(problems.exitCode()).isEqualTo(2);
        assertThat(problems.output()).contains("routes[0].prefix", "routes[0].backends");
    }

    @Test
    void saysWhatIsWrongWithJavaHome() throws Exception {
        ProcessBuilder command = junction("--version");
        command.environment().put("JAVA_HOME", unpacked.resolve("no-java").toString());
        Result result = run(command);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("JAVA_HOME is " + unpacked.resolve("no-java"), "is not a program");
    }

    /** Runs the gateway with {@code JUNCTION_LOG_FORMAT=format}, sends it one request, stops it; returns its output. */
    private List<String> oneRequestLogged(String format, String path) throws Exception {
        ProcessBuilder command = junction("--backends", a.url(), "--port", "0");
        command.environment().put("JUNCTION_LOG_FORMAT", format);
        GatewayProcess gateway = GatewayProcess.start(command);
        try (gateway) {
            assertThat(get(gateway.port, path).statusCode()).isEqualTo(200);
        }
        return gateway.output;
    }

    /** {@code bin/junction} with {@code arguments}, run in the distribution's directory, with the test's Java. */
    private static ProcessBuilder junction(String... arguments) {
        List<String> line = new ArrayList<>(List.of(home.resolve("bin/junction").toString()));
        line.addAll(List.of(arguments));
        ProcessBuilder command = new ProcessBuilder(line).directory(home.toFile());
        Map<String, String> environment = command.environment();
        environment.keySet().removeIf(name -> name.startsWith("JUNCTION_") || name.equals("JAVA_OPTS"));
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.put("APP_BACKEND_1", a.url());
        environment.put("APP_BACKEND_2", b.url());
        return command;
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private record Result(int exitCode, String output) {
    }

    /** Runs {@code command} to its end (at most 60 s), its output and error together. */
    private static Result run(ProcessBuilder command) throws Exception {
        Path output = Files.createTempFile(unpacked, "run", ".log");
        Process process = command.redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException(command.command() + " did not end: " + Files.readString(output));
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }
}
