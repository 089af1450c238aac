package dev.junction.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.junction.core.config.YamlTree.Mapping;
import dev.junction.core.config.YamlTree.Node;
import dev.junction.core.config.YamlTree.Scalar;
import dev.junction.core.config.YamlTree.Sequence;
import dev.junction.core.config.YamlTree.Unreadable;

/**
 * The typed reading of YAML nodes that {@link YamlConfigLoader} and {@link YamlPolicies} share: text, integers,
 * durations, booleans, mappings, lists, and maps and lists of texts. Each returns the value, or null after recording
 * in the {@link ConfigReader} why the node is not one; a node already reported ({@link Unreadable}) is read as absent
 * without another problem.
 *
 * <p>Not thread-safe: one instance per load, as its {@link ConfigReader}.
 */
final class YamlValues {

    private final ConfigReader reader;

    YamlValues(ConfigReader reader) {
        this.reader = reader;
    }

    /** Returns the reader the problems go to. */
    ConfigReader reader() {
        return reader;
    }

    /** Returns a mapping of names to texts, or null after recording why the node is not one. */
    @Nullable Map<String, String> strings(Node node, String path, String expected) {
        Mapping mapping = mapping(node, path, "a mapping of " + expected + "s");
        if (mapping == null) {
            return null;
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String value = text(entry.getValue(), YamlTree.child(path, entry.getKey()), "a " + expected);
            if (value != null) {
                metadata.put(entry.getKey(), value);
            }
        }
        return metadata;
    }

    /** Reads a list of texts: a YAML list, or one comma-separated text. */
    @Nullable List<String> texts(Node node, String path, String expected) {
        List<String> texts = new ArrayList<>();
        if (node instanceof Sequence sequence) {
            for (int i = 0; i < sequence.items().size(); i++) {
                String text = text(sequence.items().get(i), path + "[" + i + "]", expected);
                if (text != null) {
                    texts.add(text.trim());
                }
            }
            return texts;
        }
        String text = text(node, path, "a list of " + expected);
        if (text == null) {
            return null;
        }
        for (String part : text.split(",")) {
            texts.add(part.trim());
        }
        return texts;
    }

    /** Returns a scalar's text, or null after recording why the node is not one. */
    @Nullable String text(Node node, String path, String expected) {
        if (node instanceof Scalar scalar && !scalar.isNull()) {
            return scalar.text();
        }
        wrongType(node, path, expected);
        return null;
    }

    @Nullable Integer integer(Node node, String path) {
        if (node instanceof Scalar scalar && !scalar.isNull()) {
            return reader.integer(path, scalar.text());
        }
        wrongType(node, path, "an integer");
        return null;
    }

    /** Returns a duration; an unknown key under timeouts is reported by the caller, not as a bad duration. */
    @Nullable Duration duration(Node node, String path) {
        if (node instanceof Scalar scalar && !scalar.isNull()) {
            return reader.duration(path, scalar.text());
        }
        wrongType(node, path, "a duration such as 500ms, 5s or 2m");
        return null;
    }

    @Nullable Boolean bool(Node node, String path) {
        if (node instanceof Scalar scalar && !scalar.isNull()) {
            return reader.bool(path, scalar.text());
        }
        wrongType(node, path, "true or false");
        return null;
    }

    @Nullable Mapping mapping(Node node, String path, String expected) {
        if (node instanceof Mapping mapping) {
            return mapping;
        }
        wrongType(node, path, expected);
        return null;
    }

    /**
     * Returns a mapping of Junction's own keys ({@code keys}), with {@link #fields} applied, or null after recording
     * why the node is not one.
     */
    @Nullable Mapping mapping(Node node, String path, String expected, List<String> keys) {
        Mapping mapping = mapping(node, path, expected);
        return mapping == null ? null : fields(mapping, path, keys);
    }

    /**
     * Returns the mapping as Junction's keys name its entries. A mapping of a YAML document is returned as it is: its
     * keys must be written as Junction's are. In one with {@link Mapping#relaxedKeys relaxed keys} (from Spring Boot's
     * Environment), a key equal to one of {@code keys} when both are compared as Spring Boot compares property names
     * (without case, ignoring every character other than letters and digits: {@code health-check},
     * {@code healthcheck}, {@code HEALTH_CHECK}) is replaced by that key; any other key stays as written, to be
     * reported as unknown. Two keys naming the same one are a problem. Only Junction's own keys are compared: the
     * keys of a mapping of names the user chooses (headers, metadata, groups) are never passed here.
     */
    Mapping fields(Mapping mapping, String path, List<String> keys) {
        if (!mapping.relaxedKeys()) {
            return mapping;
        }
        Map<String, String> canonical = new HashMap<>();
        for (String key : keys) {
            // Not the stand-ins of the unknown-key message, such as x-<name>: no key is spelt so.
            if (key.indexOf('<') < 0) {
                canonical.put(uniform(key), key);
            }
        }
        Map<String, Node> entries = new LinkedHashMap<>();
        Map<String, String> written = new HashMap<>();
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String key = canonical.getOrDefault(uniform(entry.getKey()), entry.getKey());
            String first = written.putIfAbsent(key, entry.getKey());
            if (first != null) {
                reader.problem(YamlTree.child(path, key), "duplicate key: " + ConfigReader.quote(first) + " and "
                        + ConfigReader.quote(entry.getKey()) + " name the same key");
            } else {
                entries.put(key, entry.getValue());
            }
        }
        return new Mapping(Collections.unmodifiableMap(entries), true);
    }

    /** Returns a key as Spring Boot compares property names: lower case, letters and digits only. */
    private static String uniform(String key) {
        StringBuilder uniform = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
                uniform.append(c);
            } else if (c >= 'A' && c <= 'Z') {
                uniform.append((char) (c - 'A' + 'a'));
            }
        }
        return uniform.toString();
    }

    @Nullable Sequence sequence(Node node, String path, String expected) {
        if (node instanceof Sequence sequence) {
            return sequence;
        }
        wrongType(node, path, expected);
        return null;
    }

    private void wrongType(Node node, String path, String expected) {
        if (!(node instanceof Unreadable)) {
            reader.problem(path, YamlTree.describe(node) + " (expected: " + expected + ")");
        }
    }

    /** Returns the value read, or {@code otherwise} where it could not be read (already a problem). */
    static <T> T orElse(@Nullable T read, T otherwise) {
        return read != null ? read : otherwise;
    }
}
