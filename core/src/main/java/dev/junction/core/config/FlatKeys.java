package dev.junction.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The flat keys of one load and their typed reading, which {@link FlatConfigLoader} and {@link FlatPolicies} share:
 * trimmed text, integers, booleans, durations and comma-separated lists. Each returns the value, or null if the key
 * is absent or after recording in the {@link ConfigReader} why its value cannot be read; problems name the key in
 * full, with the prefix it was given under.
 *
 * <p>Not thread-safe: one instance per load, as its {@link ConfigReader}.
 */
final class FlatKeys {

    private final Map<String, String> values;
    private final String keyPrefix;
    private final ConfigReader reader;

    /**
     * Reads the given entries, which must not change during the load.
     *
     * @param values the entries, sorted by key so problems come in the same order however the caller's map iterates
     * @param keyPrefix how problems prefix the keys, such as {@code junction.}; "" for none
     */
    FlatKeys(Map<String, String> values, String keyPrefix, ConfigReader reader) {
        this.values = values;
        this.keyPrefix = keyPrefix;
        this.reader = reader;
    }

    /** Returns the reader the problems go to. */
    ConfigReader reader() {
        return reader;
    }

    /** Returns the keys given, without the prefix, in sorted order. */
    Set<String> names() {
        return values.keySet();
    }

    /** Returns whether the key is given, with or without a value. */
    boolean has(String key) {
        return values.containsKey(key);
    }

    boolean anyKey(String prefix) {
        return values.keySet().stream().anyMatch(key -> key.startsWith(prefix));
    }

    @Nullable Integer integer(String key) {
        String text = value(key);
        return text == null ? null : reader.integer(path(key), text);
    }

    @Nullable Boolean bool(String key) {
        String text = value(key);
        return text == null ? null : reader.bool(path(key), text);
    }

    @Nullable Duration duration(String key) {
        String text = value(key);
        return text == null ? null : reader.duration(path(key), text);
    }

    /**
     * Returns the entries of a comma-separated list, trimmed, with "" for each empty entry (reported); or null if
     * the key is absent, has no value or is empty (both reported).
     */
    @Nullable List<String> list(String key, String entries, String entry) {
        String text = value(key);
        if (text == null) {
            return null;
        }
        if (text.isEmpty()) {
            reader.problem(path(key), "empty (expected: comma-separated " + entries + ")");
            return null;
        }
        List<String> list = new ArrayList<>();
        String[] parts = text.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].trim();
            if (part.isEmpty()) {
                reader.problem(path(key + "[" + i + "]"), "empty entry in " + ConfigReader.quote(text)
                        + " (expected: " + entry + ")");
            }
            list.add(part);
        }
        return list;
    }

    /** Returns the trimmed value of a key, or null if it is absent or has no value (reported). */
    @Nullable String value(String key) {
        if (!values.containsKey(key)) {
            return null;
        }
        String value = values.get(key);
        if (value == null) {
            reader.problem(path(key), "no value");
            return null;
        }
        return value.trim();
    }

    /** Returns the key as problems name it: with the prefix it was given under. */
    String path(String key) {
        return keyPrefix + key;
    }
}
