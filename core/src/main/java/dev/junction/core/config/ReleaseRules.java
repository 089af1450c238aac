package dev.junction.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules of a route's release groups ({@link BackendConfig#group()}, {@link ReleaseConfig}), for
 * {@link Validator}.
 *
 * <p>Stateless and thread-safe.
 */
final class ReleaseRules {

    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private ReleaseRules() {
    }

    static void validate(RouteConfig route, String path, List<ConfigProblem> problems) {
        List<BackendConfig> backends = route.backends();
        int grouped = -1;
        for (int i = 0; i < backends.size(); i++) {
            String group = backends.get(i).group();
            if (group == null) {
                continue;
            }
            grouped = grouped < 0 ? i : grouped;
            if (!GROUP_NAME.matcher(group).matches()) {
                problems.add(new ConfigProblem(path + ".backends[" + i + "].group", "'" + group
                        + "' is not a group name (expected: letters, digits, '.', '_' and '-')"));
            }
        }
        List<String> groups = route.groups();
        ReleaseConfig release = route.release();
        String at = path + ".release";
        if (grouped < 0) {
            if (!release.equals(ReleaseConfig.DEFAULT)) {
                problems.add(new ConfigProblem(at, "needs backends in release groups (backends[].group)"));
            }
            return;
        }
        for (int i = 0; i < backends.size(); i++) {
            if (backends.get(i).group() == null) {
                problems.add(new ConfigProblem(path + ".backends[" + i + "].group", "required once a backend of the"
                        + " route names one (backends[" + grouped + "] is in '" + backends.get(grouped).group()
                        + "')"));
            }
        }
        String baseline = release.baseline() != null ? release.baseline() : groups.get(0);
        if (release.baseline() != null && !groups.contains(release.baseline())) {
            problems.add(new ConfigProblem(at + ".baseline", unknown(release.baseline(), groups)));
        }
        int others = 0;
        for (Map.Entry<String, Integer> share : release.shares().entrySet()) {
            String sharePath = at + ".shares." + share.getKey();
            if (!groups.contains(share.getKey())) {
                problems.add(new ConfigProblem(sharePath, unknown(share.getKey(), groups)));
            } else if (share.getValue() < 0 || share.getValue() > 100) {
                problems.add(new ConfigProblem(sharePath, "must be from 0 to 100 (was " + share.getValue() + ")"));
            } else if (!share.getKey().equals(baseline)) {
                others += share.getValue();
            }
        }
        Integer baselineShare = release.shares().get(baseline);
        if (others > 100) {
            problems.add(new ConfigProblem(at + ".shares", "the groups other than the baseline (" + baseline
                    + ") have " + others + "% together (expected: at most 100)"));
        } else if (baselineShare != null && baselineShare + others != 100) {
            problems.add(new ConfigProblem(at + ".shares." + baseline, "is " + baselineShare + " but the other groups"
                    + " leave " + (100 - others) + " (the baseline takes what they leave: name it only with shares"
                    + " that add up to 100)"));
        }
        validateKey(release.key(), at + ".key", problems);
        if (release.forceHeader() != null && !Validator.isToken(release.forceHeader())) {
            problems.add(new ConfigProblem(at + ".forceHeader", "'" + release.forceHeader()
                    + "' is not a header name"));
        }
        if (release.forceCookie() != null && !Validator.isToken(release.forceCookie())) {
            problems.add(new ConfigProblem(at + ".forceCookie", "'" + release.forceCookie()
                    + "' is not a cookie name"));
        }
        validateRollout(release.rollout(), groups, baseline, at + ".rollout", problems);
        validateRollback(release.rollback(), at + ".rollback", problems);
        if (groups.size() < 2) {
            problems.add(new ConfigProblem(at, "the backends name one group ('" + groups.get(0) + "'); a release"
                    + " needs at least two"));
        }
    }

    private static void validateKey(String key, String path, List<ConfigProblem> problems) {
        if (key.equals("client")) {
            return;
        }
        int colon = key.indexOf(':');
        String kind = colon < 0 ? key : key.substring(0, colon);
        String name = colon < 0 ? "" : key.substring(colon + 1);
        if (!(kind.equals("header") || kind.equals("cookie")) || !Validator.isToken(name)) {
            problems.add(new ConfigProblem(path, "'" + key + "' (expected: client, header:<name> or cookie:<name>)"));
        }
    }

    private static void validateRollout(ReleaseConfig.Rollout rollout, List<String> groups, String baseline,
            String path, List<ConfigProblem> problems) {
        if (rollout.group() != null) {
            if (!groups.contains(rollout.group())) {
                problems.add(new ConfigProblem(path + ".group", unknown(rollout.group(), groups)));
            } else if (rollout.group().equals(baseline)) {
                problems.add(new ConfigProblem(path + ".group", "'" + rollout.group() + "' is the baseline, which"
                        + " takes what the rolled-out group leaves"));
            }
        }
        int previous = 0;
        for (int i = 0; i < rollout.steps().size(); i++) {
            int step = rollout.steps().get(i);
            if (step < 1 || step > 100 || step <= previous) {
                problems.add(new ConfigProblem(path + ".steps[" + i + "]", "must be from 1 to 100 and above the step"
                        + " before (was " + step + ")"));
            }
            previous = Math.max(previous, step);
        }
        if (rollout.interval().compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add(new ConfigProblem(path + ".interval", "must be at least 1s (was " + rollout.interval()
                    .toMillis() + "ms)"));
        }
        if (rollout.start() && !rollout.enabled()) {
            problems.add(new ConfigProblem(path + ".start", "needs steps"));
        }
    }

    private static void validateRollback(ReleaseConfig.Rollback rollback, String path, List<ConfigProblem> problems) {
        if (rollback.errorRateMargin() < 0 || rollback.errorRateMargin() > 100) {
            problems.add(new ConfigProblem(path + ".errorRateMargin", "must be from 0 (not watched) to 100"
                    + " percentage points (was " + rollback.errorRateMargin() + ")"));
        }
        if (rollback.latencyMargin() < 0 || rollback.latencyMargin() > 10_000) {
            problems.add(new ConfigProblem(path + ".latencyMargin", "must be from 0 (not watched) to 10000 percent"
                    + " (was " + rollback.latencyMargin() + ")"));
        }
        if (rollback.minRequests() < 1 || rollback.minRequests() > 1_000_000) {
            problems.add(new ConfigProblem(path + ".minRequests", "must be from 1 to 1000000 (was "
                    + rollback.minRequests() + ")"));
        }
        if (rollback.window().compareTo(Duration.ofSeconds(1)) < 0 || rollback.window().toHours() > 24) {
            problems.add(new ConfigProblem(path + ".window", "must be from 1s to 24h (was "
                    + rollback.window().toMillis() + "ms)"));
        }
    }

    private static String unknown(String group, List<String> groups) {
        return "no group '" + group + "' (the backends' groups: " + String.join(", ", groups) + ")";
    }
}
