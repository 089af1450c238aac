package dev.junction.core.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * What the YAML and flat-key loaders share: the problems found while reading, the parsing of integers, booleans and
 * {@code whenAllDown} from text with the same messages, and the final hand-over to the {@link Validator}.
 *
 * <p>A loader that cannot read a required value puts a placeholder in the model, so the rest of the configuration is
 * still validated and its paths keep their indices. The problems the placeholder itself would cause are not news to
 * the user, so every model problem at or under a path a loader has already reported, or has {@link #cover covered},
 * is left out.
 *
 * <p>Not thread-safe: one instance per load.
 */
final class ConfigReader {

    private static final Pattern DECIMAL_INTEGER = Pattern.compile("[-+]?[0-9]+");
    /** A number with a unit: {@code 500ms}, {@code 5s}, {@code 1.5s}, {@code 2m}, {@code 1h}. */
    private static final Pattern DURATION = Pattern.compile("(-?[0-9]{1,18}(?:\\.[0-9]{1,12})?)(ms|s|m|h)");
    private static final BigDecimal MIN_INT = BigDecimal.valueOf(Integer.MIN_VALUE);
    private static final BigDecimal MAX_INT = BigDecimal.valueOf(Integer.MAX_VALUE);

    private final List<ConfigProblem> problems = new ArrayList<>();
    private final List<String> coveredTrees = new ArrayList<>();
    private final Set<String> coveredPaths = new HashSet<>();

    /** Records a problem; model problems at or under its path are then left out. */
    void problem(String path, String message) {
        problems.add(new ConfigProblem(path, message));
        coveredTrees.add(path);
    }

    /** Records that a required value is missing, unless a problem was already reported at or above its path. */
    void required(String path) {
        if (!covers(path)) {
            problem(path, "required");
        }
    }

    /** Leaves out model problems at or under this model path, where a placeholder stands for a reported problem. */
    void cover(String modelPath) {
        coveredTrees.add(modelPath);
    }

    /** Leaves out model problems at exactly this model path (not under it). */
    void coverExactly(String modelPath) {
        coveredPaths.add(modelPath);
    }

    /** Returns whether a problem at this path would repeat one already reported. */
    boolean covers(String path) {
        if (coveredPaths.contains(path)) {
            return true;
        }
        for (String tree : coveredTrees) {
            if (isWithin(path, tree)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns the configuration if it and everything read before it are valid.
     *
     * @param check what is checked beyond the model's own rules
     * @throws ConfigException listing the loader's problems, then the model's in document order, then the check's
     */
    JunctionConfig validate(JunctionConfig config, ConfigCheck check) {
        List<ConfigProblem> all = new ArrayList<>(problems);
        List<ConfigProblem> found = new ArrayList<>(Validator.validate(config));
        found.addAll(check.problems(config));
        for (ConfigProblem problem : found) {
            if (!covers(problem.path())) {
                all.add(problem);
            }
        }
        if (!all.isEmpty()) {
            throw new ConfigException(all);
        }
        return config;
    }

    /**
     * Returns the backend if it and everything read before it are valid, its problems under {@code path}.
     *
     * @throws ConfigException listing the loader's problems, then the model's
     */
    BackendConfig validate(BackendConfig backend, String path) {
        List<ConfigProblem> all = new ArrayList<>(problems);
        for (ConfigProblem problem : Validator.validate(backend, path)) {
            if (!covers(problem.path())) {
                all.add(problem);
            }
        }
        if (!all.isEmpty()) {
            throw new ConfigException(all);
        }
        return backend;
    }

    /**
     * Returns an exception listing the problems found so far, for a source that could not be read at all and so has
     * no model to validate. There must be at least one problem.
     */
    ConfigException failure() {
        return new ConfigException(problems);
    }

    /**
     * Parses an integer written in decimal; a number with a fraction or an exponent is accepted if its value is a
     * whole number ({@code 3.0}, {@code 1e3}). Hexadecimal, octal and digit separators are not, so no value is read
     * differently from how it looks.
     *
     * @return the value, or null after recording the problem
     */
    @Nullable Integer integer(String path, String text) {
        String trimmed = text.trim();
        BigDecimal value;
        try {
            value = DECIMAL_INTEGER.matcher(trimmed).matches()
                    ? new BigDecimal(new BigInteger(trimmed))
                    : new BigDecimal(trimmed);
        } catch (NumberFormatException e) {
            problem(path, quote(text) + " (expected: an integer)");
            return null;
        }
        // Compared before converting, so 1e999999999 is refused without building its digits.
        if (value.compareTo(MIN_INT) < 0 || value.compareTo(MAX_INT) > 0) {
            problem(path, quote(text) + " (expected: an integer from " + Integer.MIN_VALUE + " to "
                    + Integer.MAX_VALUE + ")");
            return null;
        }
        try {
            return value.intValueExact();
        } catch (ArithmeticException e) {
            problem(path, quote(text) + " (expected: an integer)");
            return null;
        }
    }

    /**
     * Parses {@code true} or {@code false}, in any case. Nothing else is a boolean: YAML 1.1's {@code yes}, {@code on}
     * and {@code y} are refused rather than guessed.
     *
     * @return the value, or null after recording the problem
     */
    @Nullable Boolean bool(String path, String text) {
        String trimmed = text.trim();
        if (trimmed.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (trimmed.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        problem(path, quote(text) + " (expected: true or false)");
        return null;
    }

    /**
     * Parses a {@link WhenAllDown} by its configuration name.
     *
     * @return the value, or null after recording the problem
     */
    /** The failures {@link #retryOn} knows, as problems name them. */
    static final String RETRY_ON = "connect-failure, reset or timeout";

    /** Returns the failures named, after recording each unknown name as a problem at {@code path}. */
    Set<RetryConfig.RetryOn> retryOn(String path, List<String> names) {
        Set<RetryConfig.RetryOn> retryOn = EnumSet.noneOf(RetryConfig.RetryOn.class);
        for (String name : names) {
            RetryConfig.RetryOn value = RetryConfig.RetryOn.fromConfigName(name);
            if (value == null) {
                problem(path, quote(name) + " (expected: " + RETRY_ON + ")");
            } else {
                retryOn.add(value);
            }
        }
        return retryOn;
    }

    /** Reads an access log format, or reports what it should be. */
    AccessLogConfig.@Nullable Format accessLogFormat(String path, String text) {
        AccessLogConfig.Format value = AccessLogConfig.Format.fromConfigName(text);
        if (value == null) {
            problem(path, quote(text) + " (expected: combined or json)");
        }
        return value;
    }

    @Nullable BackendProtocol protocol(String path, String text) {
        BackendProtocol value = BackendProtocol.of(text);
        if (value == null) {
            problem(path, quote(text) + " (expected: " + BackendProtocol.NAMES + ")");
        }
        return value;
    }

    SharedLimitsConfig.@Nullable WhenUnreachable whenUnreachable(String path, String text) {
        for (SharedLimitsConfig.WhenUnreachable value : SharedLimitsConfig.WhenUnreachable.values()) {
            if (value.configName().equals(text.trim())) {
                return value;
            }
        }
        problem(path, quote(text) + " (expected: local, open or closed)");
        return null;
    }

    @Nullable WhenAllDown whenAllDown(String path, String text) {
        WhenAllDown value = WhenAllDown.fromConfigName(text.trim());
        if (value == null) {
            List<String> names = new ArrayList<>();
            for (WhenAllDown known : WhenAllDown.values()) {
                names.add(known.configName());
            }
            String expected = String.join(", ", names.subList(0, names.size() - 1)) + " or "
                    + names.get(names.size() - 1);
            problem(path, quote(text) + " (expected: " + expected + ")");
        }
        return value;
    }

    /**
     * Parses a duration written with its unit: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}; {@code 0} alone
     * needs none. A bare number is refused rather than guessed (nginx reads it as seconds, Envoy's YAML as a string).
     *
     * @return the value, or null after recording the problem
     */
    @Nullable Duration duration(String path, String text) {
        String trimmed = text.trim();
        if (trimmed.equals("0")) {
            return Duration.ZERO;
        }
        Duration duration;
        String iso = trimmed.toUpperCase(Locale.ROOT);
        if (iso.startsWith("P") || iso.startsWith("-P") || iso.startsWith("+P")) {
            // ISO-8601, as java.time writes durations: PT5S, PT0.5S, PT1H30M.
            try {
                duration = Duration.parse(iso);
            } catch (DateTimeParseException e) {
                problem(path, quote(text) + " (expected: a duration such as 500ms, 5s or 2m)");
                return null;
            }
        } else {
            duration = withUnit(path, text, trimmed);
            if (duration == null) {
                return null;
            }
        }
        if (duration.getNano() % 1_000_000 != 0) {
            // Junction times in milliseconds: a finer duration would be rounded, to zero at worst.
            problem(path, quote(text) + " is finer than a millisecond");
            return null;
        }
        return duration;
    }

    /** Reads a number with a unit: {@code 500ms}, {@code 1.5s}, {@code 2m}, {@code 1h}. */
    private @Nullable Duration withUnit(String path, String text, String trimmed) {
        Matcher matcher = DURATION.matcher(trimmed);
        if (!matcher.matches()) {
            problem(path, quote(text) + " (expected: a duration such as 500ms, 5s or 2m)");
            return null;
        }
        BigDecimal unit = switch (matcher.group(2)) {
            case "ms" -> BigDecimal.ONE.movePointLeft(3);
            case "s" -> BigDecimal.ONE;
            case "m" -> BigDecimal.valueOf(60);
            default -> BigDecimal.valueOf(3600);
        };
        BigDecimal nanos = new BigDecimal(matcher.group(1)).multiply(unit).movePointRight(9);
        if (nanos.stripTrailingZeros().scale() > 0) {
            problem(path, quote(text) + " is finer than a millisecond");
            return null;
        }
        try {
            BigInteger[] seconds = nanos.toBigIntegerExact().divideAndRemainder(BigInteger.valueOf(1_000_000_000));
            return Duration.ofSeconds(seconds[0].longValueExact(), seconds[1].longValue());
        } catch (ArithmeticException e) {
            problem(path, quote(text) + " (expected: a duration such as 500ms, 5s or 2m)");
            return null;
        }
    }

    /** Returns a duration as the configuration writes it: {@code 1500ms}, {@code 5s}, {@code 2m}. */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis != 0 && millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }

    /** Gives a value that was read to a setter; one that was not is already a problem, and the default stays. */
    static <T> void apply(@Nullable T value, Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }

    /**
     * Returns the URL standing in for a backend's that is missing or unreadable, so the backend keeps its index and
     * the rest of it is still validated. The reserved {@code .invalid} domain and the index keep it, and the id
     * derived from it, unlike any real backend's.
     */
    static String placeholderUrl(int index) {
        return "http://unreadable-backend-" + index + ".invalid";
    }

    /** Returns the text in single quotes, as values appear in problems. */
    static String quote(String text) {
        return "'" + text + "'";
    }

    /** Returns the message of an unknown key: {@code unknown key; known: name, prefix, ...}. */
    static String unknownKey(List<String> known) {
        return "unknown key; known: " + String.join(", ", known);
    }

    /**
     * Returns whether {@code path} is {@code ancestor} or lies under it ({@code routes[0].prefix} lies under
     * {@code routes[0]} and {@code routes}, not under {@code routes[0].pre}); everything lies under the empty path.
     */
    static boolean isWithin(String path, String ancestor) {
        if (ancestor.isEmpty() || path.equals(ancestor)) {
            return true;
        }
        if (!path.startsWith(ancestor)) {
            return false;
        }
        char next = path.charAt(ancestor.length());
        return next == '.' || next == '[';
    }
}
