package dev.junction.servlet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.http2.Http2Protocol;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;

import jakarta.servlet.ServletContext;

import dev.junction.testkit.ParserQuirks;

/** Apache Tomcat 10.1, embedded, deploying the web application directory, {@code web.xml} and all. */
final class TomcatContainer implements Container {

    /**
     * Tomcat frames a request with both Content-Length and Transfer-Encoding by the latter, then closes; it turns
     * each run of whitespace inside a field value into one space.
     */
    static final Kind KIND = new Kind() {
        @Override
        public Container deploy(WebApp app) {
            return new TomcatContainer(app);
        }

        @Override
        public ParserQuirks quirks() {
            return new ParserQuirks(false, true, false);
        }
    };

    private final Tomcat tomcat;
    private final Connector connector;
    private final Context context;
    private final Path base;

    /** Tomcat speaking HTTP/2 in clear text (h2c, by upgrade or prior knowledge) besides HTTP/1.1. */
    static final Kind H2C = new Kind() {
        @Override
        public Container deploy(WebApp app) {
            return new TomcatContainer(app, true);
        }

        @Override
        public ParserQuirks quirks() {
            return KIND.quirks();
        }
    };

    private TomcatContainer(WebApp app) {
        this(app, false);
    }

    private TomcatContainer(WebApp app, boolean h2c) {
        try {
            base = Files.createTempDirectory("junction-tomcat");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        // Above Junction's own limit, so the gateway's check (431) is the one a large header section meets.
        connector.setProperty("maxHttpHeaderSize", String.valueOf(64 * 1024));
        // Tomcat refuses an encoded slash (%2F) by default; the suites check that it reaches the backend as sent.
        connector.setEncodedSolidusHandling("passthrough");
        if (h2c) {
            Http2Protocol http2 = new Http2Protocol();
            // Tomcat counts DATA frames under 1 KiB as overhead and closes a connection with many (ENHANCE_YOUR_CALM):
            // a gRPC stream of small messages is exactly that. Documented in servlet-filter.md.
            http2.setOverheadDataThreshold(0);
            connector.addUpgradeProtocol(http2);
        }
        tomcat.setConnector(connector);
        tomcat.setAddDefaultWebXmlToWebapp(false);
        context = tomcat.addWebapp("", app.root.toString());
        context.setParentClassLoader(TomcatContainer.class.getClassLoader());
        StandardJarScanner scanner = (StandardJarScanner) context.getJarScanner();
        scanner.setScanClassPath(false);
        scanner.setScanManifest(false);
        try {
            tomcat.start();
        } catch (LifecycleException e) {
            close();
            throw new IllegalStateException("web application did not start: " + e.getMessage(), e);
        }
        if (context.getState() != LifecycleState.STARTED) {
            close();
            throw new IllegalStateException("web application did not start: " + context.getState());
        }
    }

    @Override
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public ServletContext servletContext() {
        return context.getServletContext();
    }

    @Override
    public void close() {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException(e);
        } finally {
            WebApp.delete(base);
        }
    }
}
