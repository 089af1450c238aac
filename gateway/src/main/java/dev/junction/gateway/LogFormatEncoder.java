package dev.junction.gateway;

import java.util.Locale;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;

/**
 * The gateway's Logback encoder: lines of text by a pattern, or one JSON object per line, as its {@code format} says
 * ({@code conf/logback.xml} sets it from {@code JUNCTION_LOG_FORMAT}). Text is Logback's {@link PatternLayoutEncoder};
 * JSON is Logback's {@link JsonEncoder} with the message formatted (its arguments in place), without the fields a
 * collector does not need (sequence numbers, nanoseconds, the logger context, the raw arguments).
 *
 * <p>A format other than {@code text} or {@code json} (an empty one included) is a configuration error Logback
 * prints at start, naming the value; the lines are then written as text, so a typo never silences the logs.
 */
public final class LogFormatEncoder extends EncoderBase<ILoggingEvent> {

    private String format = "text";
    private String pattern = "%msg%n";
    private Encoder<ILoggingEvent> delegate;

    /** An encoder of text lines by {@code %msg%n} until {@link #setFormat} and {@link #setPattern} say otherwise. */
    public LogFormatEncoder() {
    }

    /**
     * Sets the format.
     *
     * @param format {@code text} or {@code json}, in any case
     */
    public void setFormat(String format) {
        this.format = format == null ? "" : format.strip().toLowerCase(Locale.ROOT);
    }

    /**
     * Sets the pattern of the text format (Logback's pattern layout); the JSON format has no pattern.
     *
     * @param pattern a Logback pattern, such as {@code %d %-5level %logger{0} - %msg%n}
     */
    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    @Override
    public void start() {
        Encoder<ILoggingEvent> chosen;
        switch (format) {
            case "text" -> chosen = text();
            case "json" -> {
                JsonEncoder json = new JsonEncoder();
                json.setWithSequenceNumber(false);
                json.setWithNanoseconds(false);
                json.setWithContext(false);
                json.setWithArguments(false);
                json.setWithMessage(false);
                json.setWithFormattedMessage(true);
                chosen = json;
            }
            default -> {
                addError("JUNCTION_LOG_FORMAT: '" + format + "' is not a log format (expected: text or json); "
                        + "writing text");
                chosen = text();
            }
        }
        chosen.setContext(getContext());
        chosen.start();
        delegate = chosen;
        super.start();
    }

    private PatternLayoutEncoder text() {
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setPattern(pattern);
        return text;
    }

    @Override
    public void stop() {
        if (delegate != null) {
            delegate.stop();
        }
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return delegate.encode(event);
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }
}
