package dev.junction.core.config;

import java.time.Duration;
import java.util.ArrayList;
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
