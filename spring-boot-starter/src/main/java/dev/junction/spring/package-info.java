/**
 * Junction in a Spring Boot application: {@link dev.junction.spring.JunctionAutoConfiguration} reads the routes from
 * {@code junction.*} ({@code application.yaml} and every other property source) through the same loader and validator
 * as a YAML file, builds one {@link dev.junction.core.Junction} bean, registers
 * {@link dev.junction.servlet.ProxyFilter} over it and ties its shutdown to Boot's;
 * {@link dev.junction.spring.JunctionHealthAutoConfiguration} adds the {@code junction} health indicator. Start with
 * docs/spring-boot.md; an application changes the builder through {@link dev.junction.spring.JunctionBuilderCustomizer}
 * beans.
 */
@NullMarked
package dev.junction.spring;

import org.jspecify.annotations.NullMarked;
