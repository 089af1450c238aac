package dev.junction.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class ClusterConfigTest {

    @Test
    void splitsACommandLineAsAShellSplitsWordsWithoutExpandingAnything() {
        assertThat(ClusterConfig.split("  java  -jar app.jar --port {port}  ")).containsExactly("java", "-jar",
                "app.jar", "--port", "{port}");
        assertThat(ClusterConfig.split("sh -c 'exec ./app --port $PORT' \"a \\\"b\\\" \\\\c\" d\\ e")).containsExactly(
                "sh", "-c", "exec ./app --port $PORT", "a \"b\" \\c", "d e");
        assertThat(ClusterConfig.split("--name=''\"\"x")).containsExactly("--name=x");
        assertThat(ClusterConfig.split("")).isEmpty();
    }

    @Test
    void refusesALineWhoseQuoteIsNotClosedSayingWhere() {
        assertThatThrownBy(() -> ClusterConfig.split("app \"--name=x"))
                .hasMessage("the quote \" at character 5 is not closed");
        assertThatThrownBy(() -> ClusterConfig.split("app\\")).hasMessage("the line ends in a backslash");
    }

    @Test
    void validatesEverySettingOfAClusterAtOnce() {
        ClusterConfig cluster = ClusterConfig.builder().workers(2).command(List.of()).basePort(65534).host("a b")
                .healthPath("health").environment("A=B", "x").startTimeout(Duration.ZERO)
                .restartDelay(Duration.ofSeconds(2)).maxRestartDelay(Duration.ofSeconds(1)).healthFailures(0)
                .crashLoopRestarts(-1).build();
        JunctionConfig config = new JunctionConfig(List.of(RouteConfig.builder().prefix("/").build()),
                ClientConfig.DEFAULT, LimitsConfig.DEFAULT, AdminConfig.DISABLED, AccessLogConfig.DISABLED,
                SharedLimitsConfig.NONE, cluster);
        assertThat(Validator.validate(config)).containsExactly(
                new ConfigProblem("cluster.command", "a program to run is required (such as java -jar app.jar"
                        + " --port {port})"),
                new ConfigProblem("cluster.basePort", "must be from 1 to 65533: the cluster uses basePort to"
                        + " basePort + workers, one port more than workers (was 65534)"),
                new ConfigProblem("cluster.host", "must be a host name or address, such as 127.0.0.1 (was 'a b')"),
                new ConfigProblem("cluster.healthPath", "must start with / (was 'health')"),
                new ConfigProblem("cluster.environment.A=B", "not a variable an environment can hold (a name without"
                        + " '=', no NUL character)"),
                new ConfigProblem("cluster.startTimeout", "must be > 0 (was 0s)"),
                new ConfigProblem("cluster.maxRestartDelay", "must be >= restartDelay (2s; was 1s)"),
                new ConfigProblem("cluster.healthFailures", "must be >= 1 (was 0)"),
                new ConfigProblem("cluster.crashLoopRestarts", "must be >= 0 (was -1)"));
    }

    @Test
    void aRouteWithoutBackendsNeedsTheClusterToServeIt() {
        JunctionConfig served = JunctionConfig.builder()
                .cluster(ClusterConfig.of(2, List.of("./app", "{port}"), 9000)).build();
        assertThat(served.routes()).extracting(RouteConfig::name).containsExactly(JunctionConfig.WORKERS_ROUTE);
        assertThat(Validator.validate(new JunctionConfig(List.of(RouteConfig.builder().prefix("/").build()))))
                .containsExactly(new ConfigProblem("routes[0].backends", "at least one backend is required"));
    }
}
