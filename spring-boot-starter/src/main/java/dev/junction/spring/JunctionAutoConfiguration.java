package dev.junction.spring;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * Junction in a servlet web application: a {@link dev.junction.core.Junction} bean built from {@code junction.*} with
 * the same loader and validator as a YAML file (so a bad configuration stops the start with every problem listed),
 * handed the application's {@code MeterRegistry} and {@code ObservationRegistry} when it has them and changed by its
 * {@link JunctionBuilderCustomizer}s; {@link dev.junction.servlet.ProxyFilter} registered over it; its shutdown tied to
 * Boot's. {@code junction.enabled=false} turns it off; a Junction bean of the application's own replaces the
 * starter's, and is put behind the filter the same way. docs/spring-boot.md describes it all.
 *
 * <p>Public so an application may name it in {@code @SpringBootApplication(exclude = ...)}.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(prefix = EnvironmentTree.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(JunctionProperties.class)
// In this order: the filter's configuration asks whether the Junction bean the first may make exists.
@Import({JunctionConfiguration.class, ProxyFilterConfiguration.class})
public class JunctionAutoConfiguration {

    /** Created by Spring Boot's auto-configuration. */
    public JunctionAutoConfiguration() {
    }
}
