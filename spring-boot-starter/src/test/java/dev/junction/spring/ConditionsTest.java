package dev.junction.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.junction.core.Junction;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;

/** When the starter makes what, in a servlet application without a server (Boot's context runner). */
class ConditionsTest {

    private static final String[] ONE_ROUTE = {"junction.routes[0].prefix=/api",
            "junction.routes[0].backends[0]=http://127.0.0.1:9"};

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JunctionAutoConfiguration.class,
                    JunctionHealthAutoConfiguration.class));

    @Test
    void routesUnderJunctionMakeAJunctionItsFilterItsShutdownAndItsHealth() {
        runner.withPropertyValues(ONE_ROUTE).run(context -> {
            assertThat(context).hasSingleBean(Junction.class).hasSingleBean(FilterRegistrationBean.class)
                    .hasSingleBean(JunctionLifecycle.class).hasBean("junctionHealthIndicator");
            assertThat(context.getBean(Junction.class).isRunning()).isTrue();
        });
    }

    @Test
    void junctionEnabledFalseTurnsItAllOff() {
        runner.withPropertyValues(ONE_ROUTE).withPropertyValues("junction.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(Junction.class).doesNotHaveBean(FilterRegistrationBean.class)
                        .doesNotHaveBean(JunctionLifecycle.class).doesNotHaveBean("junctionHealthIndicator"));
    }

    @Test
    void withoutJunctionPropertiesTheApplicationStartsWithoutJunction() {
        runner.withPropertyValues("junction.filter.order=5").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(Junction.class)
                        .doesNotHaveBean(FilterRegistrationBean.class));
    }

    @Test
    void aJunctionOfTheApplicationsOwnReplacesTheStartersAndGoesBehindTheFilter() {
        runner.withPropertyValues(ONE_ROUTE).withUserConfiguration(OwnJunction.class).run(context -> {
            assertThat(context).hasSingleBean(Junction.class).hasSingleBean(FilterRegistrationBean.class)
                    .hasSingleBean(JunctionLifecycle.class);
            assertThat(context.getBean(Junction.class).routes().get(0).name()).isEqualTo("own");
        });
    }

    @Test
    void junctionEnabledFalseTurnsEvenTheOwnJunctionsHealthIndicatorOff() {
        runner.withPropertyValues("junction.enabled=false").withUserConfiguration(OwnJunction.class).run(context ->
                assertThat(context).hasSingleBean(Junction.class).doesNotHaveBean("junctionHealthIndicator"));
    }

    @Test
    void theFilterStandsWhereJunctionFilterOrderSays() {
        runner.withPropertyValues(ONE_ROUTE).withPropertyValues("junction.filter.order=5").run(context ->
                assertThat(context.getBean(FilterRegistrationBean.class).getOrder()).isEqualTo(5));
    }

    @Test
    void customizersChangeTheBuilderBeforeTheConfigurationIsRead() {
        runner.withPropertyValues(ONE_ROUTE).withPropertyValues("junction.routes[0].strategy=first")
                .withUserConfiguration(FirstStrategy.class).run(context ->
                        assertThat(context.getBean(Junction.class).routes().get(0).config().strategy().name())
                                .isEqualTo("first"));
    }

    @Test
    void theHealthIndicatorIsOffWhenManagementSaysSo() {
        runner.withPropertyValues(ONE_ROUTE).withPropertyValues("management.health.junction.enabled=false")
                .run(context -> assertThat(context).hasSingleBean(Junction.class)
                        .doesNotHaveBean("junctionHealthIndicator"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnJunction {

        @Bean
        Junction ownJunction() {
            return Junction.create(JunctionConfig.builder().route(RouteConfig.builder().name("own").prefix("/own")
                    .backend("http://127.0.0.1:9").build()).build()).start();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FirstStrategy {

        @Bean
        JunctionBuilderCustomizer first() {
            return builder -> builder.strategy("first", options -> backends -> (request, eligibility) -> {
                for (int i = 0; i < backends.size(); i++) {
                    if (eligibility.test(backends.get(i))) {
                        return backends.get(i);
                    }
                }
                return null;
            });
        }
    }
}
