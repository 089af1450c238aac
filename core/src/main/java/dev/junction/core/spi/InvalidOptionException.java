package dev.junction.core.spi;

/**
 * Thrown by a {@link LoadBalancerFactory} when a strategy option is unknown or has a bad value; names the option so
 * configuration errors can point at it ({@code routes[0].strategy.key}).
 */
public final class InvalidOptionException extends IllegalArgumentException {

    /** The name of the offending option. */
    private final String option;

    /**
     * Creates the exception; its message is {@code option: message}.
     *
     * @param option the option's name
     * @param message what is wrong, without the option's name ({@code 'hedder:x' (expected: ...)})
     */
    public InvalidOptionException(String option, String message) {
        super(option + ": " + message);
        this.option = option;
    }

    /** {@return the name of the offending option} */
    public String option() {
        return option;
    }

    /** {@return what is wrong, without the option's name} */
    public String problem() {
        return getMessage().substring(option.length() + 2);
    }
}
