package dev.junction.spring;

import java.util.List;
import java.util.stream.Collectors;

import dev.junction.core.config.ConfigException;
import dev.junction.core.config.ConfigProblem;

/**
 * Why the starter could not make the application's Junction, told as Spring Boot's failure report tells it: what went
 * wrong and what to do ({@link JunctionFailureAnalyzer}).
 */
final class JunctionStartFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String description;
    private final String action;

    private JunctionStartFailure(String description, String action, Throwable cause) {
        super(description, cause);
        this.description = description;
        this.action = action;
    }

    private JunctionStartFailure(String description, String action) {
        super(description);
        this.description = description;
        this.action = action;
    }

    /** Returns the failure of a configuration with problems: each one, as the YAML loader words it. */
    static JunctionStartFailure configuration(ConfigException problems) {
        List<ConfigProblem> all = problems.problems();
        String description = "Junction's configuration (" + EnvironmentTree.SOURCE + ") has " + all.size()
                + (all.size() == 1 ? " problem" : " problems") + " (each path is under junction):"
                + all.stream().map(problem -> System.lineSeparator() + "    " + problem).collect(Collectors.joining());
        String action = "Correct the junction.* properties named above (routes[0].prefix is junction.routes[0].prefix,"
                + " in application.yaml, application.properties, an environment variable or wherever it is set)."
                + " docs/configuration.md of Junction lists every key and rule; docs/spring-boot.md how Spring Boot's"
                + " properties map onto them.";
        return new JunctionStartFailure(description, action, problems);
    }

    /** Returns the failure of a Jetty too old for Junction's HTTP client. */
    static JunctionStartFailure jetty(String found, String needed) {
        String minor = needed.replaceFirst("^(\\d+\\.\\d+).*", "$1");
        String description = "Junction's HTTP client needs Jetty " + minor + " or a later " + minor.replaceFirst(
                "\\..*", "") + ".x (it is built with " + needed + "); the class path has Jetty " + found
                + ". Spring Boot 3.5's dependency management chooses Jetty 12.0.";
        String action = "Set the Jetty version to Junction's: <jetty.version>" + needed + "</jetty.version> in the"
                + " <properties> of a pom whose parent is spring-boot-starter-parent, ext['jetty.version'] = '" + needed
                + "' with Gradle's dependency-management plugin, or import org.eclipse.jetty:jetty-bom:" + needed
                + " before spring-boot-dependencies. Boot's own Jetty server (spring-boot-starter-jetty) does not run"
                + " on Jetty 12.1: use Tomcat or Undertow. docs/spring-boot.md of Junction says more.";
        return new JunctionStartFailure(description, action);
    }

    /** {@return what went wrong, for the failure report} */
    String description() {
        return description;
    }

    /** {@return what to do about it, for the failure report} */
    String action() {
        return action;
    }
}
