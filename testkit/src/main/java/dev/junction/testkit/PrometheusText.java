package dev.junction.testkit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus's text exposition format (version 0.0.4), read strictly: every line is a {@code # HELP}, a
 * {@code # TYPE} or a sample; a sample's metric has had its {@code # TYPE} before it; label values are quoted with
 * their escapes; a value is a number, {@code NaN} or {@code ±Inf}. A line that is none of these fails the parse with
 * its number and text.
 */
public final class PrometheusText {

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
    private static final Pattern TYPE =
            Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)( -?\\d+)?");
    private static final Pattern LABEL =
            Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\[\"\\\\n])*)\",?");
    private static final Pattern VALUE = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?|NaN|[-+]Inf");

    /** One sample: a metric's name, its labels in order, and its value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = samples;
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the first line that is not in the format
     */
    public static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Set<String> typed = new HashSet<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() && i == lines.length - 1) {
                break;
            }
            Matcher type = TYPE.matcher(line);
            if (type.matches()) {
                typed.add(type.group(1));
                continue;
            }
            if (HELP.matcher(line).matches()) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches() || !VALUE.matcher(sample.group(4)).matches()) {
                throw new IllegalArgumentException("line " + (i + 1) + " is not a sample: " + line);
            }
            String name = sample.group(1);
            if (!typed.contains(name) && !typed.contains(family(name))) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + name + " has no # TYPE before it");
            }
            samples.add(new Sample(name, labels(sample.group(3), i + 1, line), value(sample.group(4))));
        }
        return new PrometheusText(samples);
    }

    private static String family(String name) {
        for (String suffix : new String[] {"_bucket", "_count", "_sum", "_total", "_created"}) {
            if (name.endsWith(suffix)) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    private static Map<String, String> labels(String text, int number, String line) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return labels;
        }
        Matcher label = LABEL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!label.find(at) || label.start() != at) {
                throw new IllegalArgumentException("line " + number + " has malformed labels: " + line);
            }
            labels.put(label.group(1), label.group(2).replace("\\\"", "\"").replace("\\n", "\n")
                    .replace("\\\\", "\\"));
            at = label.end();
        }
        return labels;
    }

    private static double value(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    /** Returns every sample, in the order of the text. */
    public List<Sample> samples() {
        return samples;
    }

    /**
     * Returns the value of the one sample of {@code name} whose labels include {@code labels} (name, value, ...), or
     * 0 if there is none (a counter not yet incremented).
     *
     * @throws IllegalArgumentException if several samples match
     */
    public double value(String name, String... labels) {
        Sample found = null;
        for (Sample sample : samples) {
            if (sample.name().equals(name) && matches(sample.labels(), labels)) {
                if (found != null) {
                    throw new IllegalArgumentException("several samples of " + name + " match " + List.of(labels)
                            + ": " + found + " and " + sample);
                }
                found = sample;
            }
        }
        return found == null ? 0 : found.value();
    }

    /** Returns whether a sample of {@code name} with {@code labels} (name, value, ...) is present. */
    public boolean has(String name, String... labels) {
        return samples.stream().anyMatch(sample -> sample.name().equals(name) && matches(sample.labels(), labels));
    }

    private static boolean matches(Map<String, String> labels, String[] wanted) {
        for (int i = 0; i + 1 < wanted.length; i += 2) {
            if (!wanted[i + 1].equals(labels.get(wanted[i]))) {
                return false;
            }
        }
        return true;
    }
}
