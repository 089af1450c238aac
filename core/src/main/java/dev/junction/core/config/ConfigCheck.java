package dev.junction.core.config;

import java.util.List;

/**
 * A check of a configuration beyond its own rules, run by the loaders together with the {@link Validator}, so that
 * every problem is reported at once: the strategies and health checks a configuration names, which only the Junction
 * that will run it knows ({@code Junction.Builder.configCheck()}).
 *
 * <pre>{@code
 * Junction.Builder junction = Junction.builder().strategy("first-available", factory);
 * JunctionConfig config = YamlConfigLoader.load(path, junction.configCheck());   // every problem, in one exception
 * Junction running = junction.build(config).start();
 * }</pre>
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface ConfigCheck {

    /** Checks nothing beyond the configuration's own rules. */
    ConfigCheck NONE = config -> List.of();

    /**
     * {@return the problems of {@code config}, each with its path ({@code routes[0].strategy}); empty if there are
     * none} The configuration may hold stand-in values where a loader found a required value missing.
     *
     * @param config the configuration to check
     */
    List<ConfigProblem> problems(JunctionConfig config);
}
