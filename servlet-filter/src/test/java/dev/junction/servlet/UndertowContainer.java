package dev.junction.servlet;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.handlers.resource.PathResourceManager;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.SecurityConstraint;
import io.undertow.servlet.api.SecurityInfo;
import io.undertow.servlet.api.WebResourceCollection;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.api.FilterInfo;
import io.undertow.servlet.api.ServletInfo;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContext;

import dev.junction.testkit.ParserQuirks;

/**
 * Undertow's servlet container serving the web application directory. Undertow has no {@code web.xml} reader of its
 * own (WildFly's deployer reads it), so this one turns the descriptor's filters, servlets, init-params, async support,
 * mappings and deny-all security constraints into Undertow's deployment, as a deployer does.
 */
final class UndertowContainer implements Container {

    /** Undertow's parser. */
    static final Kind KIND = new Kind() {
        @Override
        public Container deploy(WebApp app) {
            return new UndertowContainer(app);
        }

        @Override
        public ParserQuirks quirks() {
            return ParserQuirks.UNDERTOW;
        }
    };

    /** Undertow speaking HTTP/2 in clear text (h2c, by upgrade or prior knowledge) besides HTTP/1.1. */
    static final Kind H2C = new Kind() {
        @Override
        public Container deploy(WebApp app) {
            return new UndertowContainer(app, true);
        }

        @Override
        public ParserQuirks quirks() {
            return ParserQuirks.UNDERTOW;
        }
    };

    private final DeploymentManager manager;
    private final Undertow server;

    private UndertowContainer(WebApp app) {
        this(app, false);
    }

    private UndertowContainer(WebApp app, boolean h2c) {
        DeploymentInfo deployment = Servlets.deployment()
                .setClassLoader(UndertowContainer.class.getClassLoader())
                .setContextPath("/")
                .setDeploymentName("junction-" + app.root.getFileName())
                .setResourceManager(new PathResourceManager(app.root))
                // Filters are initialised at start, as web.xml containers do, so a bad one stops the deployment.
                .setEagerFilterInit(true);
        try (InputStream in = Files.newInputStream(app.root.resolve("WEB-INF/web.xml"))) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            Document webXml = factory.newDocumentBuilder().parse(in);
            describe(webXml, deployment);
            describeConstraints(webXml, deployment);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read web.xml: " + e.getMessage(), e);
        }
        manager = Servlets.defaultContainer().addDeployment(deployment);
        manager.deploy();
        Undertow started;
        try {
            started = Undertow.builder()
                    .addHttpListener(0, "127.0.0.1")
                    // Above Junction's own limit, so the gateway's check (431) is the one a large header meets.
                    .setServerOption(UndertowOptions.MAX_HEADER_SIZE, 64 * 1024)
                    // Undertow refuses request bodies over 2 MiB by default (413); a proxy streams them.
                    .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, Long.MAX_VALUE)
                    .setServerOption(UndertowOptions.ENABLE_HTTP2, h2c)
                    .setHandler(manager.start())
                    .build();
            started.start();
        } catch (Exception e) {
            manager.undeploy();
            throw new IllegalStateException("web application did not start: " + e.getMessage(), e);
        }
        server = started;
    }

    @SuppressWarnings("unchecked")
    private static void describe(Document webXml, DeploymentInfo deployment) throws ClassNotFoundException {
        ClassLoader loader = UndertowContainer.class.getClassLoader();
        for (Element filter : elements(webXml, "filter")) {
            FilterInfo info = Servlets.filter(text(filter, "filter-name"),
                    (Class<? extends Filter>) loader.loadClass(text(filter, "filter-class")));
            info.setAsyncSupported("true".equals(text(filter, "async-supported")));
            for (Element param : children(filter, "init-param")) {
                info.addInitParam(text(param, "param-name"), text(param, "param-value"));
            }
            deployment.addFilter(info);
        }
        for (Element mapping : elements(webXml, "filter-mapping")) {
            String name = text(mapping, "filter-name");
            for (Element pattern : children(mapping, "url-pattern")) {
                deployment.addFilterUrlMapping(name, pattern.getTextContent().trim(), DispatcherType.REQUEST);
            }
        }
        for (Element servlet : elements(webXml, "servlet")) {
            ServletInfo info = Servlets.servlet(text(servlet, "servlet-name"),
                    (Class<? extends Servlet>) loader.loadClass(text(servlet, "servlet-class")));
            info.setAsyncSupported("true".equals(text(servlet, "async-supported")));
            deployment.addServlet(info);
        }
        for (Element mapping : elements(webXml, "servlet-mapping")) {
            String name = text(mapping, "servlet-name");
            for (ServletInfo servlet : deployment.getServlets().values()) {
                if (servlet.getName().equals(name)) {
                    for (Element pattern : children(mapping, "url-pattern")) {
                        servlet.addMapping(pattern.getTextContent().trim());
                    }
                }
            }
        }
    }

    /** Each security constraint with an empty auth-constraint: everything under its url-patterns is denied. */
    private static void describeConstraints(Document webXml, DeploymentInfo deployment) {
        for (Element constraint : elements(webXml, "security-constraint")) {
            if (children(constraint, "auth-constraint").isEmpty()) {
                throw new IllegalStateException("only deny-all security constraints are described");
            }
            WebResourceCollection resources = new WebResourceCollection();
            for (Element collection : children(constraint, "web-resource-collection")) {
                for (Element pattern : children(collection, "url-pattern")) {
                    resources.addUrlPattern(pattern.getTextContent().trim());
                }
            }
            deployment.addSecurityConstraint(new SecurityConstraint().addWebResourceCollection(resources)
                    .setEmptyRoleSemantic(SecurityInfo.EmptyRoleSemantic.DENY));
        }
    }

    private static List<Element> elements(Document document, String name) {
        NodeList nodes = document.getElementsByTagNameNS("*", name);
        List<Element> elements = new java.util.ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> children = new java.util.ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element && name.equals(element.getLocalName())) {
                children.add(element);
            }
        }
        return children;
    }

    private static String text(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? "" : found.get(0).getTextContent().trim();
    }

    @Override
    public int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public ServletContext servletContext() {
        return manager.getDeployment().getServletContext();
    }

    @Override
    public void close() {
        server.stop();
        try {
            manager.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            manager.undeploy();
        }
    }
}
