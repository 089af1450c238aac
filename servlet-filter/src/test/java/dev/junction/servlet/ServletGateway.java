package dev.junction.servlet;

import java.nio.file.Path;
import java.util.Map;

import dev.junction.core.Junction;
import dev.junction.core.config.JunctionConfig;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.ParserQuirks;

/** {@link ProxyFilter}, declared in a web application's {@code web.xml}, in a real container. */
final class ServletGateway implements Gateway {

    private final WebApp app;
    private final Container.Kind kind;
    private final Container container;
    private final Junction junction;

    private ServletGateway(WebApp app, Container.Kind kind, Container container) {
        this.app = app;
        this.kind = kind;
        this.container = container;
        Junction published = ProxyFilter.junction(container.servletContext(), "junction");
        if (published == null) {
            throw new IllegalStateException("the filter did not publish its Junction");
        }
        this.junction = published;
    }

    static Gateway start(Container.Kind kind, JunctionConfig config) {
        WebApp app = WebApp.of(config);
        try {
            return new ServletGateway(app, kind, kind.deploy(app));
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
    }

    /** Starts the filter over the YAML file at {@code file}, named by its {@code config} init-param. */
    static Gateway start(Container.Kind kind, Path file) {
        WebApp app = WebApp.create(true, Map.of(FilterSettings.CONFIG, file.toString()));
        try {
            return new ServletGateway(app, kind, kind.deploy(app));
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
    }

    @Override
    public int port() {
        return container.port();
    }

    @Override
    public Junction junction() {
        return junction;
    }

    @Override
    public ParserQuirks quirks() {
        return kind.quirks();
    }

    @Override
    public boolean noticesAClientThatLeavesWhileTheBackendThinks() {
        return false;
    }

    /** Closes the filter's Junction, as the filter's {@code destroy()} does. */
    @Override
    public void closeJunction() {
        junction.close();
    }

    @Override
    public void close() {
        try {
            container.close();
        } finally {
            app.close();
        }
    }
}
