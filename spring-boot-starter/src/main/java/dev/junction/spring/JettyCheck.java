package dev.junction.spring;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.jetty.util.Jetty;

/**
 * Checks that the Jetty on the class path is one Junction's HTTP client runs on, before it is used: with Spring
 * Boot 3.5's dependency management an application gets Jetty 12.0, on which the client fails with a
 * {@code NoSuchMethodError} that names neither Jetty's version nor the remedy.
 */
final class JettyCheck {

    /** {@code major.minor}, from a version such as {@code 12.1.14} or {@code 12.1.0.beta1}. */
    private static final Pattern MAJOR_MINOR = Pattern.compile("(\\d+)\\.(\\d+)");

    private JettyCheck() {
    }

    /**
     * Returns normally if {@code found} is at least the major and minor version of {@code built}, the Jetty Junction
     * was built with, within its major version.
     *
     * @param found the version of the Jetty on the class path
     * @param built the version of the Jetty Junction was built with
     * @throws JunctionStartFailure if it is not, saying what to set
     */
    static void check(String found, String built) {
        Matcher have = MAJOR_MINOR.matcher(found);
        Matcher need = MAJOR_MINOR.matcher(built);
        if (!need.lookingAt()) {
            return;
        }
        // An unreadable version is let through: the client's own failure, if any, tells the rest.
        if (have.lookingAt() && (!have.group(1).equals(need.group(1))
                || Integer.parseInt(have.group(2)) < Integer.parseInt(need.group(2)))) {
            throw JunctionStartFailure.jetty(found, built);
        }
    }

    /** Checks the Jetty on the class path against the one Junction was built with. */
    static void check() {
        check(Jetty.VERSION, built());
    }

    /** {@return the version of the Jetty Junction was built with, written into the starter's jar} */
    static String built() {
        Properties versions = new Properties();
        try (InputStream in = JettyCheck.class.getResourceAsStream("versions.properties")) {
            if (in != null) {
                versions.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return versions.getProperty("jetty.version", "");
    }
}
