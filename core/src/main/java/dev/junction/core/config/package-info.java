/**
 * The configuration model: immutable records ({@link dev.junction.core.config.JunctionConfig},
 * {@link dev.junction.core.config.RouteConfig}, {@link dev.junction.core.config.BackendConfig}), their builders, and
 * the loaders for YAML ({@link dev.junction.core.config.YamlConfigLoader}) and flat keys
 * ({@link dev.junction.core.config.FlatConfigLoader}). All three doors end in one set of rules that reports every
 * problem at once in a {@link dev.junction.core.config.ConfigException}; a {@link dev.junction.core.config.ConfigCheck}
 * adds what only a Junction knows. Imports nothing else of Junction.
 */
@NullMarked
package dev.junction.core.config;

import org.jspecify.annotations.NullMarked;
