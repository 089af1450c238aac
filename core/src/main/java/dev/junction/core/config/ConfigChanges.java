package dev.junction.core.config;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code Junction.reconfigure} changed: routes added, removed, or built again because their settings changed,
 * and backends added, removed (draining) or redefined, each named {@code route/backend}.
 *
 * @param routesAdded the routes the new configuration added
 * @param routesRemoved the routes it no longer has; their exchanges in flight finish
 * @param routesChanged the routes whose settings (besides their backends) changed: built again, keeping what the
 *     change did not touch
 * @param backendsAdded the backends added, as {@code route/backend}
 * @param backendsRemoved the backends removed, as {@code route/backend}: they take no new request, finish what they
 *     have, and their connections close
 * @param backendsUpdated the backends whose definition changed, as {@code route/backend}: they keep their state
 */
public record ConfigChanges(List<String> routesAdded, List<String> routesRemoved, List<String> routesChanged,
        List<String> backendsAdded, List<String> backendsRemoved, List<String> backendsUpdated) {

    /** No change at all. */
    public static final ConfigChanges NONE = new ConfigChanges(List.of(), List.of(), List.of(), List.of(), List.of(),
            List.of());

    /**
     * Copies the lists, which are then unmodifiable.
     *
     * @param routesAdded the routes the new configuration added
     * @param routesRemoved the routes it no longer has; their exchanges in flight finish
     * @param routesChanged the routes whose settings (besides their backends) changed: built again, keeping what the
     *     change did not touch
     * @param backendsAdded the backends added, as {@code route/backend}
     * @param backendsRemoved the backends removed, as {@code route/backend}: they take no new request, finish what they
     *     have, and their connections close
     * @param backendsUpdated the backends whose definition changed, as {@code route/backend}: they keep their state
     */
    public ConfigChanges {
        routesAdded = List.copyOf(routesAdded);
        routesRemoved = List.copyOf(routesRemoved);
        routesChanged = List.copyOf(routesChanged);
        backendsAdded = List.copyOf(backendsAdded);
        backendsRemoved = List.copyOf(backendsRemoved);
        backendsUpdated = List.copyOf(backendsUpdated);
    }

    /** {@return whether nothing changed} */
    public boolean isEmpty() {
        return routesAdded.isEmpty() && routesRemoved.isEmpty() && routesChanged.isEmpty() && backendsAdded.isEmpty()
                && backendsRemoved.isEmpty() && backendsUpdated.isEmpty();
    }

    /** Returns the changes in one line, for a log: {@code routes added [a], backends removed [api/b1]}. */
    @Override
    public String toString() {
        if (isEmpty()) {
            return "no change";
        }
        List<String> parts = new ArrayList<>();
        add(parts, "routes added", routesAdded);
        add(parts, "routes removed", routesRemoved);
        add(parts, "routes changed", routesChanged);
        add(parts, "backends added", backendsAdded);
        add(parts, "backends removed", backendsRemoved);
        add(parts, "backends updated", backendsUpdated);
        return String.join(", ", parts);
    }

    private static void add(List<String> parts, String what, List<String> names) {
        if (!names.isEmpty()) {
            parts.add(what + " " + names);
        }
    }
}
