package dev.junction.core.internal.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.junction.core.config.ConfigProblem;
import dev.junction.core.config.StrategyConfig;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.InvalidOptionException;
import dev.junction.core.spi.LoadBalancer;
import dev.junction.core.spi.LoadBalancerProvider;

class StrategiesTest {

    /** A custom strategy as a user would write it: the first eligible backend. */
    public static final class FirstAvailable implements LoadBalancer {
        @Override
        public Selector selector(List<Backend> backends) {
            return (context, eligibility) -> {
                for (int i = 0; i < backends.size(); i++) {
                    if (eligibility.test(backends.get(i))) {
                        return backends.get(i);
                    }
                }
                return null;
            };
        }
    }

    /** The same strategy taking an option, through the Map constructor. */
    public static final class LastAvailable implements LoadBalancer {
        public LastAvailable(Map<String, String> options) {
            if (!options.keySet().stream().allMatch("reverse"::equals)) {
                throw new InvalidOptionException(options.keySet().iterator().next(), "unknown option");
            }
        }

        @Override
        public Selector selector(List<Backend> backends) {
            return (context, eligibility) -> backends.isEmpty() ? null : backends.get(backends.size() - 1);
        }
    }

    /** Found through META-INF/services. */
    public static final class FirstAvailableProvider implements LoadBalancerProvider {
        @Override
        public String name() {
            return "first-available";
        }

        @Override
        public LoadBalancer create(Map<String, String> options) {
            return new FirstAvailable();
        }
    }

    /** What a Junction with nothing registered knows: the built-ins and the class path's providers. */
    private static final Strategies KNOWN = Strategies.of(Map.of(), StrategiesTest.class.getClassLoader());

    @Test
    void knowsEveryBuiltInByItsConfigurationName() {
        assertThat(KNOWN.names()).contains("round-robin", "weighted-round-robin", "least-connections",
                "random", "weighted-random", "power-of-two-choices", "ip-hash", "consistent-hash",
                "least-response-time");
    }

    @Test
    void createsACustomStrategyNamedByItsClass() {
        LoadBalancer strategy = KNOWN.create(StrategyConfig.of(FirstAvailable.class.getName()));
        assertThat(strategy).isInstanceOf(FirstAvailable.class);
        LoadBalancer withOptions = KNOWN.create(
                StrategyConfig.of(LastAvailable.class.getName(), Map.of("reverse", "true")));
        assertThat(withOptions).isInstanceOf(LastAvailable.class);
    }

    @Test
    void aStrategyRegisteredOnOneJunctionIsKnownToItAlone() {
        Strategies one = Strategies.of(Map.of("my-first", options -> new FirstAvailable()),
                StrategiesTest.class.getClassLoader());
        assertThat(one.create(StrategyConfig.of("my-first"))).isInstanceOf(FirstAvailable.class);
        assertThat(KNOWN.names()).as("another Junction's registry").doesNotContain("my-first");
        assertThatThrownBy(() -> Strategies.of(Map.of("round-robin", options -> new FirstAvailable()),
                StrategiesTest.class.getClassLoader())).hasMessageContaining("built-in");
        assertThatThrownBy(() -> Strategies.checkName("Bad Name")).hasMessageContaining("name: 'Bad Name'");
    }

    @Test
    void findsProvidersThroughServiceLoader() {
        assertThat(KNOWN.create(StrategyConfig.of("first-available"))).isInstanceOf(FirstAvailable.class);
    }

    @Test
    void reportsEveryWayAStrategyCanBeWrong() {
        assertThat(problems(StrategyConfig.of("round-robbin"))).singleElement().asString()
                .startsWith("strategy: unknown 'round-robbin'; known: consistent-hash, first-available, ip-hash, ");
        assertThat(problems(StrategyConfig.of("round-robin", Map.of("key", "ip")))).singleElement().asString()
                .isEqualTo("strategy.key: unknown option (strategy round-robin takes none)");
        assertThat(problems(StrategyConfig.of("consistent-hash", Map.of("key", "hedder:x")))).singleElement()
                .asString().isEqualTo("strategy.key: 'hedder:x' (expected: ip, path, header:NAME or cookie:NAME)");
        assertThat(problems(StrategyConfig.of("consistent-hash", Map.of("algorithm", "jump")))).singleElement()
                .asString().isEqualTo("strategy.algorithm: 'jump' (expected: ring or maglev)");
        assertThat(problems(StrategyConfig.of("consistent-hash", Map.of("keys", "ip")))).singleElement()
                .asString().isEqualTo("strategy.keys: unknown option (consistent-hash takes: key, algorithm)");
        assertThat(problems(StrategyConfig.of("com.example.Missing"))).singleElement().asString()
                .startsWith("strategy: class 'com.example.Missing' not found; known names: ");
        assertThat(problems(StrategyConfig.of("java.lang.String"))).singleElement().asString()
                .isEqualTo("strategy: class 'java.lang.String' is not a concrete dev.junction.core.spi.LoadBalancer");
        assertThat(problems(StrategyConfig.of(FirstAvailable.class.getName(), Map.of("x", "1")))).singleElement()
                .asString().endsWith("strategy.x: unknown option; class '" + FirstAvailable.class.getName()
                        + "' has no constructor taking options");
        assertThat(problems(StrategyConfig.of(LastAvailable.class.getName(), Map.of("y", "1")))).singleElement()
                .asString().isEqualTo("strategy.y: unknown option");
    }

    @Test
    void theLoadAwareStrategiesTakeTheirChoices() {
        for (String strategy : List.of("least-connections", "least-response-time")) {
            for (String choices : List.of("all", "2", " 64 ")) {
                assertThat(problems(StrategyConfig.of(strategy, Map.of("choices", choices)))).as(choices).isEmpty();
            }
            assertThat(problems(StrategyConfig.of(strategy, Map.of("choices", "1")))).singleElement().asString()
                    .isEqualTo("strategy.choices: '1' (expected: all, or a number from 2 to 64)");
            assertThat(problems(StrategyConfig.of(strategy, Map.of("choices", "some")))).singleElement().asString()
                    .isEqualTo("strategy.choices: 'some' (expected: all, or a number from 2 to 64)");
            assertThat(problems(StrategyConfig.of(strategy, Map.of("choice", "2")))).singleElement().asString()
                    .isEqualTo("strategy.choice: unknown option (" + strategy + " takes: choices)");
        }
    }

    @Test
    void consistentHashAcceptsEveryKeyForm() {
        for (String key : List.of("ip", "path", "header:X-User-Id", "cookie:session", " IP ")) {
            assertThat(problems(StrategyConfig.of("consistent-hash", Map.of("key", key, "algorithm", "maglev"))))
                    .as(key).isEmpty();
        }
    }

    private static List<ConfigProblem> problems(StrategyConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        KNOWN.tryCreate(config, "strategy", problems);
        return problems;
    }
}
