package org.losses4j.bench;

import org.losses4j.ErrorKind;
import org.losses4j.LossException;

/**
 * Thrown from a {@code @Setup} when a workload's loss is not registered in this build: JMH
 * reports the benchmark as failed with this one line (no stack trace) and goes on with the
 * others, so no number is ever printed for a loss that does not exist.
 */
final class Skip extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Skip(String message) {
        super(message, null, false, false);
    }

    /** Rethrows {@code e} as a skip when it is an unknown-loss refusal; any other refusal is a real failure. */
    static RuntimeException of(String workload, LossException e) {
        if (e.kind() != ErrorKind.UNKNOWN_LOSS) {
            return e;
        }
        String m = "skipped " + workload + ": " + e.getMessage();
        System.err.println("[losses4j bench] " + m);
        return new Skip(m);
    }
}
