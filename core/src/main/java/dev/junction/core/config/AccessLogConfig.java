package dev.junction.core.config;

import java.util.Locale;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The access log: one line per exchange through the SLF4J logger {@code junction.access}, at INFO. Off unless
 * enabled; the standalone gateway turns it on. Lines are written by a thread of their own, so a slow log never holds
 * up an I/O thread (when it cannot keep up, lines are dropped and counted, never waited for).
 *
 * <p>Immutable; checked as part of {@link JunctionConfig}.
 *
 * @param enabled whether a line is written per exchange; default false
 * @param format {@link Format#COMBINED} (nginx's {@code combined}) or {@link Format#JSON} (one object per line);
 *     default combined
 */
public record AccessLogConfig(boolean enabled, Format format) {

    /** The layout of a line. */
    public enum Format {
        /**
         * nginx's {@code combined}: {@code $remote_addr - $remote_user [$time_local] "$request" $status
         * $body_bytes_sent "$http_referer" "$http_user_agent"}, so the tools that read nginx's logs read it.
         */
        COMBINED,
        /**
         * One JSON object per line: time, client, method, target, protocol, status, bytes each way, route, backend,
         * attempts, upstream and total time, request id, outcome, referer and user agent.
         */
        JSON;

        /** {@return the name configuration uses: {@code combined}, {@code json}} */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * {@return the format named {@code name} in configuration, or null if none is}
         *
         * @param name the name, in lower case as {@link #configName()} gives it; surrounding spaces are ignored
         */
        public static @Nullable Format fromConfigName(String name) {
            for (Format format : values()) {
                if (format.configName().equals(name.trim())) {
                    return format;
                }
            }
            return null;
        }
    }

    /** No access log. */
    public static final AccessLogConfig DISABLED = new AccessLogConfig(false, Format.COMBINED);

    /**
     * Checks that {@code format} is not null.
     *
     * @param enabled whether a line is written per exchange; default false
     * @param format {@link Format#COMBINED} (nginx's {@code combined}) or {@link Format#JSON} (one object per line);
     *     default combined
     */
    public AccessLogConfig {
        Objects.requireNonNull(format, "format");
    }

    /**
     * {@return an enabled access log in {@code format}}
     *
     * @param format the layout of a line
     */
    public static AccessLogConfig of(Format format) {
        return new AccessLogConfig(true, format);
    }
}
