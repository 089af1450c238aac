package dev.junction.spring;

import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

import dev.junction.core.Junction;

/**
 * The {@code junction} health indicator, in an application with Spring Boot Actuator: {@code UP} while every route
 * has a backend that takes requests, {@code DOWN} when one has none, each route's backends in the details.
 * {@code management.health.junction.enabled=false} turns it off, and so does {@code junction.enabled=false} (with
 * a Junction bean of the application's own too).
 *
 * <p>Public so an application may name it in {@code @SpringBootApplication(exclude = ...)}.
 */
@AutoConfiguration(after = JunctionAutoConfiguration.class)
@ConditionalOnClass(name = {"org.springframework.boot.actuate.health.HealthIndicator",
        "org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator"})
@ConditionalOnEnabledHealthIndicator("junction")
@ConditionalOnProperty(prefix = EnvironmentTree.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnSingleCandidate(Junction.class)
public class JunctionHealthAutoConfiguration {

    /** Created by Spring Boot's auto-configuration. */
    public JunctionHealthAutoConfiguration() {
    }

    /**
     * Returns the indicator of the application's Junction.
     *
     * @param junction the application's Junction
     * @return the indicator, named {@code junction} in the health endpoint after its bean name
     */
    @Bean
    @ConditionalOnMissingBean(name = "junctionHealthIndicator")
    public HealthIndicator junctionHealthIndicator(Junction junction) {
        return new JunctionHealthIndicator(junction);
    }
}
