package org.losses4j;

/**
 * What kind of mistake a {@link LossException} reports. Every kind is a refusal of the
 * caller's arguments ({@link #category()} is {@code invalid_argument}); the CLI maps them to
 * exit code 2.
 */
public enum ErrorKind {
    /** A required input is absent or an unexpected input was given. */
    MISSING_INPUT,
    /** An input has the wrong element type (e.g. float labels where int64 is required). */
    INVALID_DTYPE,
    /** Shapes disagree with each other or with what the loss accepts. */
    SHAPE_MISMATCH,
    /** A class label, index or length is outside its valid range. */
    LABEL_OUT_OF_RANGE,
    /** A value lies outside the loss's domain (probability outside [0, 1], negative count ...). */
    OUT_OF_DOMAIN,
    /** An input is empty where the loss needs at least one element. */
    EMPTY_INPUT,
    /** An option has a bad value or type. */
    INVALID_OPTION,
    /** An option name the loss does not have. */
    UNKNOWN_OPTION,
    /** A loss name not in the registry. */
    UNKNOWN_LOSS,
    /** A gradient asked for that the loss does not compute (a gradient buffer or LossResult.grad of another name). */
    NO_GRADIENT,
    /** A caller's gradient buffer shares its array with an input or with another gradient buffer. */
    ALIASED_BUFFER,
    /** A size that cannot fit: more elements than a Java array holds, or more bytes than the heap. */
    TOO_LARGE;

    /** The conformance error category: always {@code invalid_argument}. */
    public String category() {
        return "invalid_argument";
    }

    /** Lower-case name as used in messages and docs, e.g. {@code shape_mismatch}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
