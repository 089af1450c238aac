package dev.junction.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

/**
 * The lines Junction writes to its access logger ({@code junction.access}) while this capture is open, as Logback
 * hands them to an appender. Tests run on Logback, as the standalone gateway does.
 */
public final class AccessLogCapture implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger("junction.access");
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Level level;
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            lines.add(event.getFormattedMessage());
        }
    };

    /** Starts capturing. */
    public AccessLogCapture() {
        level = logger.getLevel();
        logger.setLevel(Level.INFO);
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
    }

    /** Returns the lines written so far, in order. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** Stops capturing. */
    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
        logger.setLevel(level);
    }
}
