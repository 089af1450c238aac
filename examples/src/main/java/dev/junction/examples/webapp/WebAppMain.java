package dev.junction.examples.webapp;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jspecify.annotations.Nullable;

import dev.junction.gateway.DemoBackend;

/**
 * The example web application ({@code examples/src/main/webapp}: a {@code web.xml} that registers Junction's
 * {@code ProxyFilter} for {@code /api} in front of the application's own servlet) deployed in an embedded Jetty 12.
 *
 * <pre>
 * java -jar examples/target/junction-examples.jar [options]
 *   (no options)             demo: three demo backends, the application on 127.0.0.1:8080
 *   --backends H:P,H:P,...   the filter's targets instead of the demo backends
 *   --prefix /PATH           the filter's prefix (default: web.xml's, /api)
 *   --port N, --host ADDR    where to listen (default 8080, 127.0.0.1)
 * </pre>
 *
 * <p>The options change the filter's init-params the way a deployment does without touching the application: an
 * override descriptor ({@code override-web.xml}) that Jetty applies over {@code web.xml}.
 */
public final class WebAppMain {

    static final String USAGE = """
            Usage: java -jar junction-examples.jar [options]
              (no options)             demo: three demo backends, the application on 127.0.0.1:8080
              --backends H:P,H:P,...   the filter's targets instead of the demo backends
              --prefix /PATH           the filter's prefix (default: the one in web.xml, /api)
              --port N                 the port to listen on (default 8080; 0 for any free port)
              --host ADDR              the address to listen on (default 127.0.0.1)
              --help                   this text""";

    private WebAppMain() {
    }

    public static void main(String[] args) throws Exception {
        // The demo backends (Undertow) log through JBoss Logging: send it to SLF4J, like the rest.
        if (System.getProperty("org.jboss.logging.provider") == null) {
            System.setProperty("org.jboss.logging.provider", "slf4j");
        }
        Running running;
        try {
            running = start(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (running == null) {
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "junction-shutdown"));
        stopped.await();
    }

    /** The application, running; closing it stops Jetty (and so the filter) and the demo backends. */
    public static final class Running implements AutoCloseable {

        private final Server server;
        private final ServerConnector connector;
        private final List<DemoBackend> demo;
        private final Path override;

        private Running(Server server, ServerConnector connector, List<DemoBackend> demo, Path override) {
            this.server = server;
            this.connector = connector;
            this.demo = demo;
            this.override = override;
        }

        /** Returns the port the application listens on. */
        public int port() {
            return connector.getLocalPort();
        }

        @Override
        public void close() {
            try {
                server.stop();
            } catch (Exception e) {
                throw new IllegalStateException("Jetty did not stop cleanly", e);
            } finally {
                demo.forEach(DemoBackend::close);
                try {
                    Files.deleteIfExists(override);
                } catch (IOException e) {
                    // A temporary file left behind; nothing to do about it on the way out.
                }
            }
        }
    }

    /** Starts the application; returns null if only the usage was asked for. Throws on bad arguments. */
    static @Nullable Running start(String[] args, PrintStream out) throws Exception {
        int port = 8080;
        String host = "127.0.0.1";
        @Nullable String prefix = null;
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                out.println(USAGE);
                return null;
            }
            if (i + 1 >= args.length || !List.of("--port", "--host", "--prefix", "--backends").contains(flag)) {
                throw new IllegalArgumentException(flag + ": unknown option, or no value");
            }
            String value = args[++i];
            switch (flag) {
                case "--port" -> port = Integer.parseInt(value);
                case "--host" -> host = value;
                case "--prefix" -> prefix = value;
                default -> {
                    for (String backend : value.split(",")) {
                        String address = backend.trim();
                        targets.add(address.contains("://") ? address : "http://" + address);
                    }
                }
            }
        }
        List<DemoBackend> demo = new ArrayList<>();
        if (targets.isEmpty()) {
            for (String name : List.of("a", "b", "c")) {
                DemoBackend backend = new DemoBackend(name);
                demo.add(backend);
                targets.add(backend.url());
            }
        }
        Path override = overrideDescriptor(String.join(", ", targets), prefix);

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/");
        webapp.setBaseResource(webapp.getResourceFactory().newClassLoaderResource("webapp"));
        webapp.addOverrideDescriptor(override.toString());
        // The application's classes are this jar's: load them from here rather than from a WEB-INF/lib.
        webapp.setParentLoaderPriority(true);
        // A filter that fails its init (bad configuration) stops the start instead of leaving a broken application.
        webapp.setThrowUnavailableOnStartupException(true);
        server.setHandler(webapp);
        Running running = new Running(server, connector, demo, override);
        try {
            server.start();
        } catch (Exception e) {
            running.close();
            throw e;
        }
        out.printf("Web application on http://%s:%d/ with ProxyFilter in front of%n  %s%n", host,
                connector.getLocalPort(), String.join("\n  ", targets));
        if (!demo.isEmpty()) {
            out.printf("Try:%n  curl -i http://%s:%d%s/hello%n  curl -i http://%s:%d/%n", host,
                    connector.getLocalPort(), prefix == null ? "/api" : prefix, host, connector.getLocalPort());
        }
        return running;
    }

    /** Writes an override descriptor that sets the filter's targets and, if given, its prefix. */
    private static Path overrideDescriptor(String targets, @Nullable String prefix) {
        StringBuilder params = new StringBuilder(param("targets", targets));
        if (prefix != null) {
            params.append(param("prefix", prefix));
        }
        try {
            Path file = Files.createTempFile("junction-override-web", ".xml");
            Files.writeString(file, """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                        <filter>
                            <filter-name>junction</filter-name>
                    %s    </filter>
                    </web-app>
                    """.formatted(params));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String param(String name, String value) {
        return "        <init-param><param-name>" + name + "</param-name><param-value>" + value.replace("&", "&amp;")
                .replace("<", "&lt;") + "</param-value></init-param>\n";
    }
}
