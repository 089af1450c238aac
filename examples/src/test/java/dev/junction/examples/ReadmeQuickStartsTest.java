package dev.junction.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.junction.core.Junction;
import dev.junction.gateway.GatewayMain;
import dev.junction.testkit.Readme;
import dev.junction.testkit.TestBackend;
import dev.junction.testkit.WorkerServer;

/**
 * Runs the README's quick starts as they are written, with two real backends in place of {@code 127.0.0.1:9001} and
 * {@code :9002}: the YAML file served by the gateway's main class, the Undertow application compiled and run as a
 * program of its own on that file, the {@code web.xml} deployed in Jetty; and every dependency it shows is a
 * published artifact at the project's version.
 */
class ReadmeQuickStartsTest {

    private static final Path README = Path.of("../README.md");
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");
    private static final Pattern DEPENDENCY = Pattern.compile(
            "<groupId>(.+?)</groupId>\\s*<artifactId>(.+?)</artifactId>\\s*<version>(.+?)</version>");

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> processes = new ArrayList<>();
    private TestBackend first;
    private TestBackend second;
    @TempDir
    Path directory;

    @BeforeEach
    void startBackends() {
        first = TestBackend.start("first");
        second = TestBackend.start("second");
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (Process process : processes) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        for (TestBackend backend : new TestBackend[] {first, second}) {
            if (backend != null) {
                backend.close();
            }
        }
    }

    @Test
    void theGatewayServesTheYamlFile() throws Exception {
        String yaml = block("The gateway, with a YAML file", "yaml");
        Files.writeString(directory.resolve("junction.yaml"), withBackends(yaml));
        Path log = start(directory, GatewayMain.class.getName(), "--config", "junction.yaml", "--port", "0");
        int port = await("the gateway's port").atMost(Duration.ofSeconds(60))
                .until(() -> listeningPort(log), found -> found > 0);

        assertThat(spreadOver(port, "/api/orders")).containsOnly("first", "second");
        assertThat(get(port, "/_junction").statusCode()).isEqualTo(200);
        assertThat(block("The gateway, with a YAML file", "bash"))
                .contains("bin/junction --config junction.yaml", "junction-gateway-" + version() + "-dist.tar.gz");
    }

    @Test
    void theUndertowApplicationCompilesAndServesBoth() throws Exception {
        String source = block("In an Undertow server", "java");
        int port = WorkerServer.freePorts(1);
        Path sources = Files.createDirectories(directory.resolve("src"));
        Files.writeString(sources.resolve("App.java"), source.replace("8080", Integer.toString(port)));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int compiled = javac.run(null, null, null, "-d", directory.toString(),
                "-classpath", System.getProperty("java.class.path"), sources.resolve("App.java").toString());
        assertThat(compiled).as("javac of the README's App").isZero();
        Files.writeString(directory.resolve("junction.yaml"),
                withBackends(block("The gateway, with a YAML file", "yaml")));
        start(directory, "App");
        await("App listening on " + port).atMost(Duration.ofSeconds(60)).until(() -> listens(port));

        assertThat(spreadOver(port, "/api/orders")).containsOnly("first", "second");
        HttpResponse<String> own = get(port, "/about");
        assertThat(own.body()).isEqualTo("Hello from the application");
    }

    @Test
    void theWebXmlFilterProxiesItsPrefixInJetty() throws Exception {
        String webXml = blocks("In a web application (`web.xml`)", "xml").stream()
                .filter(text -> text.contains("<web-app")).findFirst().orElseThrow();
        Path webInf = Files.createDirectories(directory.resolve("webapp/WEB-INF"));
        Files.writeString(webInf.resolve("web.xml"), withBackends(webXml));
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        WebAppContext application = new WebAppContext();
        application.setContextPath("/");
        application.setBaseResource(ResourceFactory.of(server).newResource(directory.resolve("webapp")));
        server.setHandler(application);
        server.start();
        try {
            int port = connector.getLocalPort();
            assertThat(spreadOver(port, "/api/orders")).containsOnly("first", "second");
            int proxied = first.requests.get() + second.requests.get();
            assertThat(get(port, "/index.html").statusCode()).as("not under /api: the application's").isEqualTo(404);
            assertThat(first.requests.get() + second.requests.get()).isEqualTo(proxied);
        } finally {
            server.stop();
        }
    }

    @Test
    void everyDependencyShownIsAPublishedArtifactAtTheProjectsVersion() throws IOException {
        String bom = Files.readString(Path.of("../bom/pom.xml"));
        Matcher dependency = DEPENDENCY.matcher(Files.readString(README));
        int shown = 0;
        while (dependency.find()) {
            shown++;
            assertThat(dependency.group(1)).isEqualTo("dev.junction");
            assertThat(bom).as("junction-bom lists %s", dependency.group(2))
                    .contains("<artifactId>" + dependency.group(2) + "</artifactId>");
            assertThat(dependency.group(3)).isEqualTo(version());
        }
        assertThat(shown).isGreaterThanOrEqualTo(2);
    }

    /** Sends eight requests; returns the backends that answered them. */
    private List<String> spreadOver(int port, String path) throws Exception {
        List<String> backends = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            HttpResponse<String> response = get(port, path);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            backends.add(response.headers().firstValue("X-Backend").orElseThrow());
        }
        return backends;
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Runs {@code mainClass} with the test's class path in {@code directory}; returns the file of its output. */
    private Path start(Path directory, String mainClass, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path") + File.pathSeparator + directory, mainClass));
        command.addAll(List.of(arguments));
        Path log = directory.resolve(mainClass + ".log");
        processes.add(new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start());
        return log;
    }

    /** The port the gateway says it listens on in {@code log}, or 0 before it says so. */
    private static int listeningPort(Path log) throws IOException {
        Matcher listening = LISTENING.matcher(Files.readString(log));
        return listening.find() ? Integer.parseInt(listening.group(1)) : 0;
    }

    private static boolean listens(int port) {
        try {
            new Socket("127.0.0.1", port).close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String withBackends(String text) {
        return text.replace("http://127.0.0.1:9001", first.url()).replace("http://127.0.0.1:9002", second.url());
    }

    private static String version() {
        return Junction.version();
    }

    /** The one block of {@code language} under the README's heading {@code ### title}. */
    private static String block(String title, String language) throws IOException {
        List<String> found = blocks(title, language);
        assertThat(found).as("%s blocks under '### %s'", language, title).hasSize(1);
        return found.get(0);
    }

    private static List<String> blocks(String title, String language) throws IOException {
        return Readme.blocks(README, title, language);
    }
}
