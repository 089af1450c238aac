package dev.junction.spring;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import dev.junction.core.Junction;
import dev.junction.core.config.ConfigException;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.YamlConfigLoader;

/**
 * Makes the application's {@link Junction} from {@code junction.*}, unless the application has a Junction bean of its
 * own or configures none.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(JunctionConfiguredCondition.class)
class JunctionConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(JunctionConfiguration.class);
    /** Spring Boot's default for {@code spring.lifecycle.timeout-per-shutdown-phase}. */
    private static final Duration BOOT_SHUTDOWN_PHASE = Duration.ofSeconds(30);

    /**
     * Returns the application's Junction, started: its checks running and its first health checks done, so it serves
     * from the web server's first request. Spring closes it when the context closes, after {@link JunctionLifecycle}
     * has (closing is idempotent).
     */
    @Bean
    @ConditionalOnMissingBean
    Junction junction(ApplicationContext context, ConfigurableEnvironment environment,
            ObjectProvider<MeterRegistry> meterRegistry, ObjectProvider<ObservationRegistry> observationRegistry,
            ObjectProvider<JunctionBuilderCustomizer> customizers) {
        JettyCheck.check();
        Duration grace = Binder.get(environment).bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
                .orElse(BOOT_SHUTDOWN_PHASE);
        Junction.Builder builder = Junction.builder()
                .grace(grace)
                .configSource(EnvironmentTree.source(environment));
        ClassLoader classLoader = context.getClassLoader();
        if (classLoader != null) {
            builder.classLoader(classLoader);
        }
        meterRegistry.ifAvailable(builder::meterRegistry);
        observationRegistry.ifAvailable(builder::observationRegistry);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        JunctionConfig config;
        try {
            config = YamlConfigLoader.load(EnvironmentTree.read(environment), EnvironmentTree.SOURCE,
                    builder.configCheck());
        } catch (ConfigException e) {
            throw JunctionStartFailure.configuration(e);
        }
        Junction junction = builder.build(config).start();
        LOG.info("Junction proxies {}", junction.routes());
        return junction;
    }
}
