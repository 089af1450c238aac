package dev.junction.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;

/**
 * The starter is tested on what an application with Boot's dependency management runs: each library family at one
 * version. Moving {@code spring-boot.version} without the {@code spring-boot-*.version} properties beside it in the
 * parent pom would mix Boot's new versions with the old pins, and fail here.
 */
class ClassPathTest {

    @Test
    void eachLibraryFamilyIsAtOneVersion() throws Exception {
        assertOneVersion("io.micrometer.core.instrument.MeterRegistry", "io.micrometer.observation.Observation",
                "io.micrometer.common.KeyValue", "io.micrometer.prometheusmetrics.PrometheusMeterRegistry");
        assertOneVersion("org.apache.catalina.startup.Tomcat", "org.apache.el.ExpressionFactoryImpl",
                "org.apache.tomcat.websocket.WsSession");
        assertOneVersion("ch.qos.logback.classic.Logger", "ch.qos.logback.core.Appender");
        assertOneVersion("com.fasterxml.jackson.databind.ObjectMapper", "com.fasterxml.jackson.core.JsonFactory",
                "com.fasterxml.jackson.dataformat.yaml.YAMLFactory");
        assertOneVersion("org.eclipse.jetty.client.HttpClient", "org.eclipse.jetty.util.Jetty",
                "org.eclipse.jetty.http2.client.HTTP2Client");
    }

    private static void assertOneVersion(String... classNames) throws Exception {
        List<String> versions = new ArrayList<>();
        for (String className : classNames) {
            versions.add(className + " " + version(Class.forName(className)));
        }
        assertThat(versions.stream().map(entry -> entry.substring(entry.indexOf(' ') + 1)).distinct())
                .as("versions of one family: %s", versions).hasSize(1);
    }

    /** Returns the {@code Bundle-Version} of the jar a class was loaded from. */
    private static String version(Class<?> type) throws URISyntaxException, IOException {
        File jar = new File(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (JarFile file = new JarFile(jar)) {
            return String.valueOf(file.getManifest().getMainAttributes().getValue("Bundle-Version"));
        }
    }
}
