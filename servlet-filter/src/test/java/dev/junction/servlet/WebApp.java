package dev.junction.servlet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import dev.junction.core.config.JunctionConfig;
import dev.junction.testkit.ConfigYaml;

/**
 * A web application directory as a container deploys it: {@code WEB-INF/web.xml} registering {@link ProxyFilter}
 * for {@code /*} in front of {@link NextServlet}, with a security constraint that denies everything under
 * {@code /private}, and the filter's configuration beside it.
 */
final class WebApp implements AutoCloseable {

    final Path root;

    private WebApp(Path root) {
        this.root = root;
    }

    /** A web application whose filter reads {@code config} from {@code /WEB-INF/junction.yaml}. */
    static WebApp of(JunctionConfig config) {
        WebApp app = create(true, Map.of(FilterSettings.CONFIG, "/WEB-INF/junction.yaml"));
        app.write("WEB-INF/junction.yaml", ConfigYaml.write(config));
        return app;
    }

    /** A web application of {@code webXml} alone (its classes are the tests'). */
    static WebApp withWebXml(String webXml) {
        try {
            WebApp app = new WebApp(Files.createTempDirectory("junction-webapp"));
            app.write("WEB-INF/web.xml", webXml);
            return app;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A web application whose filter has {@code params} as its init-params. */
    static WebApp create(boolean asyncSupported, Map<String, String> params) {
        try {
            WebApp app = new WebApp(Files.createTempDirectory("junction-webapp"));
            StringBuilder initParams = new StringBuilder();
            params.forEach((name, value) -> initParams.append("        <init-param><param-name>").append(name)
                    .append("</param-name><param-value>").append(value).append("</param-value></init-param>\n"));
            app.write("WEB-INF/web.xml", """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                        <filter>
                            <filter-name>junction</filter-name>
                            <filter-class>dev.junction.servlet.ProxyFilter</filter-class>
                            <async-supported>%s</async-supported>
                    %s    </filter>
                        <filter-mapping>
                            <filter-name>junction</filter-name>
                            <url-pattern>/*</url-pattern>
                        </filter-mapping>
                        <servlet>
                            <servlet-name>next</servlet-name>
                            <servlet-class>dev.junction.servlet.NextServlet</servlet-class>
                            <async-supported>true</async-supported>
                        </servlet>
                        <servlet-mapping>
                            <servlet-name>next</servlet-name>
                            <url-pattern>/</url-pattern>
                        </servlet-mapping>
                        <security-constraint>
                            <web-resource-collection>
                                <web-resource-name>private</web-resource-name>
                                <url-pattern>/private/*</url-pattern>
                            </web-resource-collection>
                            <auth-constraint/>
                        </security-constraint>
                    </web-app>
                    """.formatted(asyncSupported, initParams));
            return app;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void write(String path, String content) {
        try {
            Path file = root.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        delete(root);
    }

    /** Deletes a directory tree. */
    static void delete(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
