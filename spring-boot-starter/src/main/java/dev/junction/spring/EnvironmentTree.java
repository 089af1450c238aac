package dev.junction.spring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.context.properties.bind.PlaceholdersResolver;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import dev.junction.core.config.ConfigCheck;
import dev.junction.core.config.ConfigSource;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.YamlConfigLoader;

/**
 * The {@code junction.*} properties of a Spring {@link ConfigurableEnvironment} as the tree of maps, lists and values
 * {@link YamlConfigLoader#load(Map, String, ConfigCheck)} reads: what {@code application.yaml},
 * {@code application.properties}, environment variables, command-line arguments and every other property source say,
 * merged as Spring Boot's binder merges them.
 *
 * <ul>
 *   <li>A value comes from the source of highest precedence that has it (a command-line argument over an environment
 *       variable over {@code application.yaml}); a list comes whole from the first source that has any element of it,
 *       as Boot binds lists, so an environment variable setting {@code routes[0].prefix} replaces the file's routes.
 *   <li>Names are matched as Boot matches them: {@code health-check}, {@code healthCheck} and
 *       {@code JUNCTION_ROUTES_0_HEALTHCHECK} are one property. Each key keeps the spelling of the source of lowest
 *       precedence that has it (the file's, usually), so the names a user chooses (header names) stay as written.
 *   <li>{@code ${...}} placeholders are resolved as everywhere in Boot; one naming no property stays as written, so a
 *       header rule's {@code ${client}} reaches Junction.
 *   <li>An empty value is a value left out: Boot reads {@code weight:} and {@code weight: ''} alike as empty text,
 *       and Junction reports a key without a value.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
final class EnvironmentTree {

    /** The prefix of Junction's properties. */
    static final String PREFIX = "junction";
    /** How problems and the status name where the configuration came from. */
    static final String SOURCE = "junction.* in the Spring Environment";
    /** A list index at or above this makes a mapping of the list, reported as not a list, not a list of holes. */
    private static final int MAX_INDEX = 100_000;
    /** The starter's own keys under {@code junction} ({@link JunctionProperties}), not part of Junction's model. */
    private static final Set<String> OWN_KEYS = Set.of("enabled", "filter");
    /**
     * The keys under {@code junction} an environment variable may set, in Boot's uniform form: the top-level keys of
     * Junction's model ({@link YamlConfigLoader#sections()}) and the starter's own. Other {@code JUNCTION_*}
     * variables are not this configuration: the gateway's options ({@code JUNCTION_PORT}, {@code JUNCTION_LOG_FORMAT})
     * and what a cluster's supervisor gives its workers ({@code JUNCTION_WORKER_ID}, {@code JUNCTION_WORKER_PORT},
     * {@code JUNCTION_SUPERVISOR_PID}).
     */
    private static final Set<String> ENVIRONMENT_KEYS = Stream.concat(YamlConfigLoader.sections().stream(),
            OWN_KEYS.stream()).map(key -> key.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of(PREFIX);

    private EnvironmentTree() {
    }

    /**
     * Returns Junction's configuration tree: every key under {@code junction} but the starter's own
     * ({@code enabled}, {@code filter}); empty when there are none.
     */
    static Map<String, Object> read(ConfigurableEnvironment environment) {
        PlaceholdersResolver placeholders = new PropertySourcesPlaceholdersResolver(environment);
        List<Tree> bySource = new ArrayList<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                Tree tree = new Tree();
                boolean environmentVariables = source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource;
                iterable.filter(ROOT::isAncestorOf).stream()
                        .filter(name -> !environmentVariables || ENVIRONMENT_KEYS.contains(
                                name.getElement(ROOT.getNumberOfElements(), Form.UNIFORM)))
                        .forEach(name -> {
                            ConfigurationProperty property = iterable.getConfigurationProperty(name);
                            Object value = property == null ? null : property.getValue();
                            if (value != null) {
                                tree.put(name, ROOT.getNumberOfElements(),
                                        placeholders.resolvePlaceholders(value));
                            }
                        });
                bySource.add(tree);
            }
        }
        // Sources come highest precedence first: lay each over those below it.
        Tree merged = new Tree();
        for (int i = bySource.size() - 1; i >= 0; i--) {
            merged = Tree.overlay(merged, bySource.get(i));
        }
        Map<String, Object> top = new LinkedHashMap<>();
        merged.children.forEach((uniform, child) -> {
            if (!OWN_KEYS.contains(uniform)) {
                top.put(child.written(), child.tree().toJava());
            }
        });
        return top;
    }

    /** Returns the {@link ConfigSource} that reads {@code junction.*} again, for {@code Junction.reload()}. */
    static ConfigSource source(ConfigurableEnvironment environment) {
        return new ConfigSource() {
            @Override
            public JunctionConfig load(ConfigCheck check) {
                return YamlConfigLoader.load(read(environment), SOURCE, check);
            }

            @Override
            public String describe() {
                return SOURCE;
            }
        };
    }

    /** A key of a tree: how it was written, whether it is a list index, and what it holds. */
    private record Child(String written, boolean index, Tree tree) {
    }

    /** One source's properties, or several merged: a value, or children by Boot's uniform form of their keys. */
    private static final class Tree {

        private @Nullable Object value;
        private final Map<String, Child> children = new LinkedHashMap<>();

        void put(ConfigurationPropertyName name, int from, Object leaf) {
            Tree at = this;
            for (int i = from; i < name.getNumberOfElements(); i++) {
                boolean index = name.isNumericIndex(i);
                String written = name.getElement(i, Form.ORIGINAL);
                String uniform = index ? "[" + written + "]" : name.getElement(i, Form.UNIFORM);
                at = at.children.computeIfAbsent(uniform, key -> new Child(written, index, new Tree())).tree();
            }
            at.value = leaf;
        }

        /** Whether it is a list: its keys are all indices, none far beyond any list a configuration holds. */
        boolean isList() {
            return !children.isEmpty() && children.values().stream()
                    .allMatch(child -> child.index() && child.written().length() < 7
                            && Integer.parseInt(child.written()) < MAX_INDEX);
        }

        /** Returns {@code base} with {@code top} laid over it: {@code top}'s values win, its lists replace. */
        static Tree overlay(Tree base, Tree top) {
            if (top.children.isEmpty() || top.isList() || base.children.isEmpty() || base.isList()) {
                return top.children.isEmpty() && top.value == null ? base : top;
            }
            Tree merged = new Tree();
            merged.children.putAll(base.children);
            top.children.forEach((uniform, child) -> {
                Child under = merged.children.get(uniform);
                merged.children.put(uniform, under == null ? child
                        : new Child(under.written(), under.index(), overlay(under.tree(), child.tree())));
            });
            return merged;
        }

        /**
         * Returns the tree as maps, lists and values: a mapping where it has keys (they win over a value written at the
         * same name), a list where they are all indices (a missing index is a value left out), else its value, empty
         * text being no value.
         */
        @Nullable Object toJava() {
            if (children.isEmpty()) {
                return value instanceof CharSequence text && text.isEmpty() ? null : value;
            }
            if (isList()) {
                List<@Nullable Object> items = new ArrayList<>();
                children.values().forEach(child -> {
                    int index = Integer.parseInt(child.written());
                    while (items.size() <= index) {
                        items.add(null);
                    }
                    items.set(index, child.tree().toJava());
                });
                return items;
            }
            Map<String, @Nullable Object> map = new LinkedHashMap<>();
            children.values().forEach(child -> map.put(child.written(), child.tree().toJava()));
            return map;
        }
    }
}
