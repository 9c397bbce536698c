package org.losses4j;

/**
 * The one exception losses4j throws when it refuses its arguments. {@link #kind()} tells
 * which class of mistake it is; the message names the argument, index and value, e.g.
 * {@code target[4] = 7 is outside [0, 5) classes}.
 */
public final class LossException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final ErrorKind kind;

    public LossException(ErrorKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }
}
