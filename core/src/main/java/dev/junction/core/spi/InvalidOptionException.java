package dev.junction.core.spi;

/**
 * Thrown by a {@link LoadBalancerFactory} when a strategy option is unknown or has a bad value; names the option so
 * configuration errors can point at it ({@code routes[0].strategy.key}).
 */
public final class InvalidOptionException extends IllegalArgumentException {

    private final String option;

    /**
     * @param option the option's name
     * @param message what is wrong, without the option's name ({@code 'hedder:x' (expected: ...)})
     */
    public InvalidOptionException(String option, String message) {
        super(option + ": " + message);
        this.option = option;
    }

    /** Returns the name of the offending option. */
    public String option() {
        return option;
    }

    /** Returns what is wrong, without the option's name. */
    public String problem() {
        return getMessage().substring(option.length() + 2);
    }
}
