package dev.junction.core.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.junction.core.config.ConfigProblem;
import dev.junction.core.spi.InvalidOptionException;

/**
 * Creates the extensions configuration names by class (strategies, health checks): a public class with a public
 * constructor taking its options as {@code Map<String, String>}, or one taking no arguments when it has no options.
 * Every reason one cannot be created becomes a {@link ConfigProblem}.
 */
public final class Plugins {

    private Plugins() {
    }

    /**
     * Checks a name an extension is registered under (a health check, a transport): what configuration can write.
     *
     * @throws IllegalArgumentException if it is not lower-case letters, digits and {@code -}
     */
    public static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("name: '" + name + "' (expected: lower-case letters, digits and '-')");
        }
    }

    /**
     * Returns a new instance of the class named, or null after adding why it cannot be created to {@code problems}
     * under {@code path}. An {@link InvalidOptionException} from the constructor names its option
     * ({@code path.option}).
     *
     * @param type what the class must implement
     * @param known the names configuration could have used instead, for the message of a class not found
     */
    public static <T> @Nullable T create(Class<T> type, String className, Map<String, String> options, String path,
            String known, List<ConfigProblem> problems) {
        Class<?> found;
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            found = Class.forName(className, true, loader != null ? loader : Plugins.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            problems.add(new ConfigProblem(path, "class '" + className + "' not found" + known));
            return null;
        }
        if (!type.isAssignableFrom(found) || Modifier.isAbstract(found.getModifiers())) {
            problems.add(new ConfigProblem(path, "class '" + className + "' is not a concrete " + type.getName()));
            return null;
        }
        try {
            try {
                Constructor<?> withOptions = found.getConstructor(Map.class);
                return type.cast(withOptions.newInstance(Map.copyOf(options)));
            } catch (NoSuchMethodException e) {
                if (!options.isEmpty()) {
                    String option = options.keySet().iterator().next();
                    problems.add(new ConfigProblem(path + "." + option, "unknown option; class '" + className
                            + "' has no constructor taking options"));
                    return null;
                }
                return type.cast(found.getConstructor().newInstance());
            }
        } catch (NoSuchMethodException | IllegalAccessException | InstantiationException e) {
            problems.add(new ConfigProblem(path, "class '" + className
                    + "' needs a public constructor taking no arguments or a Map<String, String> of options"));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof InvalidOptionException invalid) {
                problems.add(new ConfigProblem(path + "." + invalid.option(), invalid.problem()));
            } else {
                problems.add(new ConfigProblem(path, "class '" + className + "' failed to start: " + e.getCause()));
            }
        }
        return null;
    }
}
