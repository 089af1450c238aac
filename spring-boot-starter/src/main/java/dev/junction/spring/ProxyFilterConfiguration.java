package dev.junction.spring;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.web.servlet.ConditionalOnMissingFilterBean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.filter.OrderedFormContentFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import jakarta.servlet.DispatcherType;

import dev.junction.core.Junction;
import dev.junction.servlet.ProxyFilter;

/**
 * Puts the application's Junction, the starter's or the application's own bean, in front of the application: its
 * filter, its shutdown between the web server's graceful shutdown and stop, and Spring MVC's form filter made to
 * leave the bodies of its requests alone.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnSingleCandidate(Junction.class)
class ProxyFilterConfiguration {

    /** The name of the filter, as the servlet context and the logs show it. */
    static final String FILTER_NAME = "junction";

    /**
     * Registers {@link ProxyFilter} for every path (requests no route takes go on down the chain, to the application),
     * asynchronous, for the client's own requests, at {@code junction.filter.order}.
     */
    @Bean
    @ConditionalOnMissingFilterBean(ProxyFilter.class)
    FilterRegistrationBean<ProxyFilter> junctionFilter(Junction junction, JunctionProperties properties) {
        FilterRegistrationBean<ProxyFilter> registration = new FilterRegistrationBean<>(new ProxyFilter(junction));
        registration.setName(FILTER_NAME);
        registration.setAsyncSupported(true);
        registration.addUrlPatterns("/*");
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setOrder(properties.getFilter().getOrder());
        return registration;
    }

    @Bean
    JunctionLifecycle junctionLifecycle(Junction junction) {
        return new JunctionLifecycle(junction);
    }

    /**
     * Puts {@link JunctionFormContentFilter} in the place of the {@code FormContentFilter} Spring Boot registers for
     * Spring MVC (only Boot's own class: a filter of the application's is left as it is), so the form bodies of
     * requests Junction takes reach their backends. Static, as a post-processor is made before other beans.
     */
    @Bean
    static BeanPostProcessor junctionFormContentFilterPostProcessor(ObjectProvider<Junction> junction) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean.getClass() == OrderedFormContentFilter.class) {
                    return new JunctionFormContentFilter(junction, ((OrderedFormContentFilter) bean).getOrder());
                }
                return bean;
            }
        };
    }
}
