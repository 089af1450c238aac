package dev.junction.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Tells in Spring Boot's failure report why the starter could not make the application's Junction: every problem of
 * its configuration, or a Jetty Junction cannot run on, with what to do.
 *
 * <p>Registered in {@code META-INF/spring.factories}; stateless.
 */
final class JunctionFailureAnalyzer extends AbstractFailureAnalyzer<JunctionStartFailure> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, JunctionStartFailure cause) {
        return new FailureAnalysis(cause.description(), cause.action(), cause);
    }
}
