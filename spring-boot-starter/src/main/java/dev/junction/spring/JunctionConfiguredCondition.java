package dev.junction.spring;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the application configures Junction: some property under {@code junction} besides the starter's own
 * {@code enabled} and {@code filter}. An application that has the starter and no such property starts without a
 * Junction rather than failing for want of routes; one with any (a misspelt key included) has it read and checked.
 */
final class JunctionConfiguredCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        if (context.getEnvironment() instanceof ConfigurableEnvironment environment
                && !EnvironmentTree.read(environment).isEmpty()) {
            return ConditionOutcome.match("junction.* properties configure Junction");
        }
        return ConditionOutcome.noMatch("no junction.* properties but enabled and filter.*");
    }
}
