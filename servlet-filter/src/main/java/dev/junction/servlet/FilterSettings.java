package dev.junction.servlet;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;

import dev.junction.core.config.ConfigCheck;
import dev.junction.core.config.ConfigException;
import dev.junction.core.config.ConfigProblem;
import dev.junction.core.config.ConfigSource;
import dev.junction.core.config.FlatConfigLoader;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.YamlConfigLoader;

/**
 * What a {@link ProxyFilter}'s init-params say. Either {@code config}, naming a YAML file of any number of routes:
 * {@code classpath:junction.yaml} (the web application's class loader), {@code /WEB-INF/junction.yaml} (a resource
 * of the web application) or a file path ({@code /etc/junction.yaml}, {@code file:/etc/junction.yaml}); or the flat
 * keys of one route ({@code prefix}, {@code targets}, {@code strategy}, ...), as {@link FlatConfigLoader} reads them.
 * Not both.
 */
final class FilterSettings {

    static final String CONFIG = "config";

    private FilterSettings() {
    }

    /**
     * Returns the configuration the init-params describe, checked with {@code check} too (the strategies and checks it
     * names); throws {@link ConfigException} listing every problem.
     */
    static JunctionConfig read(FilterConfig filter, ConfigCheck check) {
        Map<String, String> params = new LinkedHashMap<>();
        for (Enumeration<String> names = filter.getInitParameterNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            params.put(name, filter.getInitParameter(name));
        }
        String location = params.remove(CONFIG);
        if (location == null) {
            return FlatConfigLoader.load(params, check);
        }
        if (!params.isEmpty()) {
            throw new ConfigException(List.of(new ConfigProblem(CONFIG,
                    "with 'config', the routes come from the file alone; remove the other init-params "
                            + params.keySet())));
        }
        return load(location.trim(), filter.getServletContext(), check);
    }

    /** Returns the init-params (and the file they name) as a source that reads them again on each reload. */
    static ConfigSource source(FilterConfig filter) {
        String location = filter.getInitParameter(CONFIG);
        String described = location != null ? location.trim()
                : "the init-params of filter '" + filter.getFilterName() + "'";
        return new ConfigSource() {
            @Override
            public JunctionConfig load(ConfigCheck check) {
                return read(filter, check);
            }

            @Override
            public String describe() {
                return described;
            }
        };
    }

    private static JunctionConfig load(String location, ServletContext context, ConfigCheck check) {
        try (InputStream in = open(location, context)) {
            if (in == null) {
                throw new NoSuchFileException(location, null, "no such resource");
            }
            return YamlConfigLoader.load(in, location, check);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(List.of(new ConfigProblem(CONFIG,
                    "cannot read '" + location + "' (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")")));
        }
    }

    private static @Nullable InputStream open(String location, ServletContext context) throws IOException {
        if (location.startsWith("classpath:")) {
            String resource = location.substring("classpath:".length()).replaceFirst("^/", "");
            return context.getClassLoader().getResourceAsStream(resource);
        }
        if (location.startsWith("/WEB-INF/") || location.startsWith("/META-INF/")) {
            return context.getResourceAsStream(location);
        }
        return Files.newInputStream(location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location));
    }

    /**
     * Returns whether {@code WEB-INF/web.xml} declares this filter without {@code <async-supported>true}. A filter
     * registered in code or declared elsewhere is checked on its first proxied request instead, where the container
     * tells.
     */
    static boolean declaredWithoutAsync(FilterConfig filter) {
        Document webXml = webXml(filter.getServletContext());
        if (webXml == null) {
            return false;
        }
        NodeList filters = webXml.getElementsByTagNameNS("*", "filter");
        for (int i = 0; i < filters.getLength(); i++) {
            Element element = (Element) filters.item(i);
            if (filter.getFilterName().equals(childText(element, "filter-name"))) {
                return !"true".equals(childText(element, "async-supported"));
            }
        }
        return false;
    }

    private static @Nullable Document webXml(ServletContext context) {
        try (InputStream in = context.getResourceAsStream("/WEB-INF/web.xml")) {
            if (in == null) {
                return null;
            }
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setExpandEntityReferences(false);
            return factory.newDocumentBuilder().parse(in);
        } catch (Exception e) {
            // The container has parsed it already; a document this parser cannot read leaves the check to the
            // first request.
            return null;
        }
    }

    private static @Nullable String childText(Element element, String name) {
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e && name.equals(e.getLocalName())) {
                return e.getTextContent().trim();
            }
        }
        return null;
    }
}
