package dev.junction.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.eclipse.jetty.util.Jetty;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A Jetty Junction's client cannot run on stops the start, saying what to set. */
class JettyCheckTest {

    @Test
    void bootsJettyStopsTheStartNamingTheVersionToSet() {
        JunctionStartFailure failure = catchThrowableOfType(JunctionStartFailure.class,
                () -> JettyCheck.check("12.0.29", "12.1.14"));

        FailureAnalysis analysis = new JunctionFailureAnalyzer().analyze(new BeanCreationException("junction",
                failure));
        assertThat(analysis.getDescription()).contains("needs Jetty 12.1 or a later 12.x (it is built with 12.1.14)")
                .contains("Jetty 12.0.29");
        assertThat(analysis.getAction()).contains("<jetty.version>12.1.14</jetty.version>")
                .contains("ext['jetty.version'] = '12.1.14'").contains("jetty-bom:12.1.14");
    }

    @Test
    void theSameMinorOrALaterOneOfTheSameMajorRuns() {
        assertThatCode(() -> JettyCheck.check("12.1.14", "12.1.14")).doesNotThrowAnyException();
        assertThatCode(() -> JettyCheck.check("12.1.2", "12.1.14")).doesNotThrowAnyException();
        assertThatCode(() -> JettyCheck.check("12.2.0.beta1", "12.1.14")).doesNotThrowAnyException();
        assertThat(catchThrowableOfType(JunctionStartFailure.class, () -> JettyCheck.check("13.0.0", "12.1.14")))
                .isNotNull();
    }

    @Test
    void theBuildWritesJunctionsJettyIntoTheJarAndTheTestsRunOnIt() {
        assertThat(JettyCheck.built()).matches("12\\.1\\.\\d+.*").isEqualTo(Jetty.VERSION);
    }
}
