package org.losses4j.cli;

/** A mistake in the user's command or files: printed as one line, exit code 2. */
public final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }
}
