package dev.junction.core.config;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

/**
 * A YAML document read with Jackson's YAML parser into mappings, lists and scalars, each scalar kept as written.
 *
 * <p>Jackson's {@code readTree} would do most of this, but it resolves scalars by YAML 1.1 rules ({@code yes} and
 * {@code NO} become booleans, {@code 010} becomes 8, {@code 1.10} becomes 1.1), turns an alias into the text of its
 * anchor's name, and stops at the first duplicate key. Reading the parser's tokens directly keeps the text as written,
 * so the loader decides what a value means; resolves aliases of mappings and lists and merge keys ({@code <<});
 * and reports every duplicate key with its lines.
 *
 * <p>Not thread-safe: one instance per document. Nodes are immutable.
 */
final class YamlTree {

    /** A node of the document. */
    sealed interface Node permits Mapping, Sequence, Scalar, Unreadable {
    }

    /**
     * A mapping, its keys in document order.
     *
     * @param entries the keys and their values
     * @param relaxedKeys whether its keys came from a source whose names are relaxed (Spring Boot's Environment), so
     *     that a key Junction defines may be written in another case or with dashes ({@link YamlValues#fields})
     */
    record Mapping(Map<String, Node> entries, boolean relaxedKeys) implements Node {

        /** A mapping of a YAML document, whose keys are Junction's as written. */
        Mapping(Map<String, Node> entries) {
            this(entries, false);
        }
    }

    /** A list. */
    record Sequence(List<Node> items) implements Node {
    }

    /**
     * A single value as written, without its quotes.
     *
     * @param text the value as written; for a null, the way it was written ({@code ~}, {@code null} or nothing)
     * @param isNull whether YAML reads the value as null
     */
    record Scalar(String text, boolean isNull) implements Node {
    }

    /** A value already reported as a problem (an alias of nothing): read as absent, without another problem. */
    record Unreadable() implements Node {
    }

    /** Opens a parser over the source. */
    @FunctionalInterface
    interface Source {
        JsonParser open(YAMLFactory factory) throws IOException;
    }

    private static final String MERGE_KEY = "<<";
    /** {@code ${NAME}} or {@code ${NAME:-default}}, NAME in upper case. */
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?}");
    /** Where a reference starts: {@code ${} and an upper-case letter or {@code _}. */
    private static final Pattern REFERENCE_START = Pattern.compile("\\$\\{[A-Z_]");
    private static final Unreadable UNREADABLE = new Unreadable();
    /**
     * Reads an empty plain value ({@code weight:}) as null, as YAML does, and a quoted one ({@code ''}) as text. Leaves
     * closing an {@code InputStream} to whoever opened it.
     */
    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();

    private final YAMLParser parser;
    private final String sourceName;
    private final ConfigReader reader;
    private final Map<String, Node> anchors = new HashMap<>();
    private final @Nullable Function<String, @Nullable String> environment;

    private YamlTree(YAMLParser parser, String sourceName, ConfigReader reader,
            @Nullable Function<String, @Nullable String> environment) {
        this.parser = parser;
        this.sourceName = sourceName;
        this.reader = reader;
        this.environment = environment;
    }

    /**
     * Reads the first document of a source. An empty source is an empty null {@link Scalar}.
     *
     * @return the document's root, or null if it could not be read (the reason is recorded in {@code reader})
     */
    static @Nullable Node read(Source source, String sourceName, ConfigReader reader) {
        return read(source, sourceName, reader, null);
    }

    /**
     * Reads as {@link #read(Source, String, ConfigReader)} does, replacing {@code ${NAME}} in values with what
     * {@code environment} gives; null to leave them as written (what the admin endpoint receives is never expanded).
     */
    static @Nullable Node read(Source source, String sourceName, ConfigReader reader,
            @Nullable Function<String, @Nullable String> environment) {
        try (JsonParser parser = source.open(FACTORY)) {
            return new YamlTree((YAMLParser) parser, sourceName, reader, environment).document();
        } catch (JsonProcessingException e) {
            IOException cause = readFailure(e);
            reader.problem("", cause != null ? "cannot read " + sourceName + ": " + cause.getMessage()
                    : syntaxError(e, sourceName));
        } catch (IOException e) {
            reader.problem("", "cannot read " + sourceName + ": " + e.getMessage());
        }
        return null;
    }

    /**
     * Returns a tree of Java values as nodes: a {@link Map} is a mapping (its keys relaxed, their text that of
     * {@code String.valueOf}), a {@link List} a list, null a value left out, and anything else a single value, its
     * text that of {@code toString()}.
     */
    static Node of(@Nullable Object value) {
        if (value == null) {
            return new Scalar("", true);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Node> entries = new LinkedHashMap<>();
            map.forEach((key, child) -> entries.put(String.valueOf(key), of(child)));
            return new Mapping(Collections.unmodifiableMap(entries), true);
        }
        if (value instanceof List<?> list) {
            List<Node> items = new ArrayList<>();
            list.forEach(item -> items.add(of(item)));
            return new Sequence(Collections.unmodifiableList(items));
        }
        return new Scalar(value.toString(), false);
    }

    /** Returns how a node appears in problems: its text in quotes, {@code no value}, {@code a mapping}, ... */
    static String describe(Node node) {
        if (node instanceof Scalar scalar) {
            return scalar.isNull() ? "no value" : ConfigReader.quote(scalar.text());
        }
        if (node instanceof Mapping) {
            return "a mapping";
        }
        return node instanceof Sequence ? "a list" : "an unreadable value";
    }

    /** Returns the path of a mapping's entry: {@code routes[0]} and {@code prefix} give {@code routes[0].prefix}. */
    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private Node document() throws IOException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            return new Scalar("", true);
        }
        Node root = value(first, "");
        JsonToken next;
        while ((next = parser.nextToken()) != null) {
            // A trailing "---" opens an empty document; anything else is a second document, which would be ignored.
            if (!isEmptyScalar(next)) {
                reader.problem("", sourceName + " holds more than one YAML document (the second starts at line "
                        + parser.currentTokenLocation().getLineNr() + "; expected: one)");
                break;
            }
        }
        return root;
    }

    private Node value(JsonToken token, String path) throws IOException {
        switch (token) {
            case START_OBJECT: {
                String anchor = anchor();
                Node mapping = mapping(path);
                remember(anchor, mapping);
                return mapping;
            }
            case START_ARRAY: {
                String anchor = anchor();
                Node sequence = sequence(path);
                remember(anchor, sequence);
                return sequence;
            }
            case VALUE_NULL:
                return new Scalar(parser.getText(), true);
            default:
                if (parser.isCurrentAlias()) {
                    return alias(path);
                }
                String text = substitute(parser.getText(), path);
                return text == null ? UNREADABLE : new Scalar(text, false);
        }
    }

    /**
     * Replaces each {@code ${NAME}} in a value by the environment variable NAME, and each {@code ${NAME:-default}} by
     * it or, when it is unset or empty, by the default, as a shell and Docker Compose do. Only upper-case names
     * (letters, digits, {@code _}) are references, so header rules' own {@code ${client}} and {@code $$} stay as
     * written. A variable that is not set and has no default, or a reference Junction does not read (nested, another
     * operator), is a problem at the value's path.
     *
     * @return the value, or null after recording a problem
     */
    private @Nullable String substitute(String text, String path) {
        Function<String, @Nullable String> environment = this.environment;
        if (environment == null || !text.contains("${")) {
            return text;
        }
        StringBuilder result = new StringBuilder();
        int from = 0;
        Matcher start = REFERENCE_START.matcher(text);
        while (start.find()) {
            int at = start.start();
            int dollars = 0;
            while (at - dollars - 1 >= 0 && text.charAt(at - dollars - 1) == '$') {
                dollars++;
            }
            if (dollars % 2 == 1) {
                continue; // $${...}: a header rule's literal $ before a brace, not a reference.
            }
            Matcher reference = REFERENCE.matcher(text).region(at, text.length());
            String fallback = reference.lookingAt() ? reference.group(2) : null;
            if (!reference.lookingAt() || (fallback != null && fallback.contains("${"))) {
                reader.problem(path, ConfigReader.quote(text) + " has a reference Junction does not read at character "
                        + (at + 1) + " (expected: ${NAME} or ${NAME:-default}, NAME in upper case, nothing nested)");
                return null;
            }
            String name = reference.group(1);
            String value = environment.apply(name);
            if (value == null || (fallback != null && value.isEmpty())) {
                if (fallback == null) {
                    reader.problem(path, "${" + name + "}: the environment variable " + name + " is not set (give a"
                            + " default: ${" + name + ":-value})");
                    return null;
                }
                value = fallback;
            }
            result.append(text, from, at).append(value);
            from = reference.end();
        }
        return result.append(text, from, text.length()).toString();
    }

    private Node mapping(String path) throws IOException {
        Map<String, Node> entries = new LinkedHashMap<>();
        Map<String, Integer> lines = new HashMap<>();
        List<Node> merged = new ArrayList<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            int line = parser.currentTokenLocation().getLineNr();
            String keyPath = child(path, key);
            Node value = value(next(), keyPath);
            if (key.equals(MERGE_KEY)) {
                merged.add(value);
                continue;
            }
            Integer first = lines.putIfAbsent(key, line);
            if (first != null) {
                reader.problem(keyPath, "duplicate key at line " + line + " (first at line " + first + ")");
            } else {
                entries.put(key, value);
            }
        }
        // YAML's merge: keys written in the mapping win over merged ones, and earlier merged mappings over later.
        String mergePath = child(path, MERGE_KEY);
        for (Node node : merged) {
            if (node instanceof Sequence sequence) {
                for (int i = 0; i < sequence.items().size(); i++) {
                    merge(entries, sequence.items().get(i), mergePath + "[" + i + "]");
                }
            } else {
                merge(entries, node, mergePath);
            }
        }
        return new Mapping(Collections.unmodifiableMap(entries));
    }

    private void merge(Map<String, Node> entries, Node node, String path) {
        if (node instanceof Mapping mapping) {
            mapping.entries().forEach(entries::putIfAbsent);
        } else if (!(node instanceof Unreadable)) {
            reader.problem(path, describe(node) + " (expected: an alias of a mapping, or a list of them)");
        }
    }

    private Node sequence(String path) throws IOException {
        List<Node> items = new ArrayList<>();
        JsonToken token;
        while ((token = next()) != JsonToken.END_ARRAY) {
            items.add(value(token, path + "[" + items.size() + "]"));
        }
        return new Sequence(Collections.unmodifiableList(items));
    }

    /** Returns the next token inside a mapping or list, where the parser's end of input would be a bug of its own. */
    private JsonToken next() throws IOException {
        JsonToken token = parser.nextToken();
        if (token == null) {
            throw new JsonParseException(parser, "unexpected end of the document");
        }
        return token;
    }

    private Node alias(String path) throws IOException {
        String name = parser.getText();
        Node node = anchors.get(name);
        if (node == null) {
            reader.problem(path, "alias '*" + name + "' refers to no mapping or list anchored before it"
                    + " (anchors of single values are not supported)");
            return UNREADABLE;
        }
        return node;
    }

    private @Nullable String anchor() throws IOException {
        return parser.getObjectId();
    }

    private void remember(@Nullable String anchor, Node node) {
        if (anchor != null) {
            anchors.put(anchor, node);
        }
    }

    private boolean isEmptyScalar(JsonToken token) throws IOException {
        return token == JsonToken.VALUE_NULL
                || token == JsonToken.VALUE_STRING && !parser.isCurrentAlias() && parser.getText().isEmpty();
    }

    /** Returns the failure to read bytes or characters (not UTF-8, a directory) that the parser wrapped, if any. */
    private static @Nullable IOException readFailure(JsonProcessingException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException io && !(cause instanceof JsonProcessingException)) {
                return io;
            }
        }
        return null;
    }

    /** Returns a syntax error as one line: where, what, and while doing what. */
    private static String syntaxError(JsonProcessingException e, String sourceName) {
        String prefix = "YAML syntax error in " + sourceName;
        if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked
                && marked.getProblemMark() != null) {
            String message = prefix + " at " + position(marked.getProblemMark()) + ": " + oneLine(marked.getProblem());
            if (marked.getContext() != null) {
                message += " (" + oneLine(marked.getContext())
                        + (marked.getContextMark() != null ? " at " + position(marked.getContextMark()) : "") + ")";
            }
            return message;
        }
        JsonLocation location = e.getLocation();
        String what = oneLine(e.getOriginalMessage());
        if (what.startsWith("Expected a field name")) {
            what = "a key must be a single value (lists and mappings as keys are not supported)";
        }
        return location == null ? prefix + ": " + what
                : prefix + " at line " + location.getLineNr() + ", column " + location.getColumnNr() + ": " + what;
    }

    private static String position(org.yaml.snakeyaml.error.Mark mark) {
        return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }

    private static String oneLine(@Nullable String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\n\\s*", " ");
    }
}
