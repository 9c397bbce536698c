package org.losses4j;

/** The element type of a {@link Tensor}. */
public enum DType {
    /** 32-bit IEEE float ({@code float[]}); losses accumulate it in double. */
    FLOAT32("float32"),
    /** 64-bit IEEE float ({@code double[]}). */
    FLOAT64("float64"),
    /** 64-bit integer ({@code long[]}): class labels, lengths. */
    INT64("int64");

    private final String label;

    DType(String label) {
        this.label = label;
    }

    /** The name used in files and messages: {@code float32}, {@code float64}, {@code int64}. */
    public String label() {
        return label;
    }

    public boolean isFloating() {
        return this != INT64;
    }

    /** Parses {@code float32}, {@code float64} or {@code int64}. */
    public static DType parse(String s) {
        for (DType d : values()) {
            if (d.label.equals(s)) {
                return d;
            }
        }
        throw new LossException(ErrorKind.INVALID_DTYPE, "dtype '" + s + "' is not one of float32, float64, int64");
    }
}
