package dev.junction.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The starter's own properties under {@code junction}: whether it runs and where its filter stands. Junction's
 * configuration itself ({@code junction.routes}, {@code junction.client}, ...) is read by {@link EnvironmentTree},
 * not bound here.
 *
 * <p>Not thread-safe; Spring binds it once at start.
 */
@ConfigurationProperties(prefix = EnvironmentTree.PREFIX)
public class JunctionProperties {

    /**
     * Whether Junction runs in this application: false leaves it without Junction, its filter, health indicator and
     * shutdown hook, whatever else is configured under junction.
     */
    private boolean enabled = true;

    private final Filter filter = new Filter();

    /** {@return whether Junction runs in this application; default true} */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Sets whether Junction runs in this application.
     *
     * @param enabled false to leave the application without Junction
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** {@return how Junction's filter is registered} */
    public Filter getFilter() {
        return filter;
    }

    /** How {@code ProxyFilter} is registered in the application's filter chain. */
    public static class Filter {

        /** Just after Spring Security's filter chain ({@code SecurityProperties.DEFAULT_FILTER_ORDER}, -100). */
        static final int DEFAULT_ORDER = -90;

        /**
         * The order of Junction's filter among the application's servlet filters. The default, -90, puts it after
         * Spring Security's filter chain (-100), so security applies to proxied requests, and before the filters the
         * application declares without an order, which are then not run for proxied requests.
         */
        private int order = DEFAULT_ORDER;

        /** {@return the order of Junction's filter among the application's servlet filters; default -90} */
        public int getOrder() {
            return order;
        }

        /**
         * Sets the order of Junction's filter among the application's servlet filters.
         *
         * @param order lower runs first
         */
        public void setOrder(int order) {
            this.order = order;
        }
    }
}
