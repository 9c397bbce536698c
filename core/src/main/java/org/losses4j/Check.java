package org.losses4j;

import java.util.Arrays;

/**
 * Validation at the public boundary, with messages that name the argument, the index and the
 * value. Kernels run after these checks and do not re-check. NaN passes the domain checks
 * (it propagates to the result).
 */
public final class Check {
    private Check() {
    }

    /** The named input, which must be present. */
    public static Tensor require(Inputs in, String name) {
        Tensor t = in.get(name);
        if (t == null) {
            throw new LossException(ErrorKind.MISSING_INPUT, "input '" + name + "' is required");
        }
        return t;
    }

    /** Refuses int64 data where floating data is needed, and vice versa. */
    public static void dtype(String name, Tensor t, boolean integer) {
        if (integer && t.dtype() != DType.INT64) {
            throw new LossException(ErrorKind.INVALID_DTYPE, name + " must be int64 (class indices), got "
                    + t.dtype().label());
        }
        if (!integer && t.dtype() == DType.INT64) {
            throw new LossException(ErrorKind.INVALID_DTYPE, name + " must be float32 or float64, got int64");
        }
    }

    public static void sameShape(String a, Tensor ta, String b, Tensor tb) {
        if (!ta.sameShape(tb)) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, b + " shape " + tb.shapeString() + " != " + a
                    + " shape " + ta.shapeString());
        }
    }

    /** Requires {@code t} to have one of the given ranks. */
    public static void rank(String name, Tensor t, int... ranks) {
        for (int r : ranks) {
            if (t.rank() == r) {
                return;
            }
        }
        throw new LossException(ErrorKind.SHAPE_MISMATCH, name + " must have rank "
                + Arrays.toString(ranks).replace("[", "").replace("]", "").replace(", ", " or ")
                + ", got shape " + t.shapeString());
    }

    /** Requires dimension {@code d} of {@code t} to equal {@code expected}. */
    public static void dim(String name, Tensor t, int d, int expected, String what) {
        if (t.dim(d) != expected) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, name + " shape " + t.shapeString() + ": dimension "
                    + d + " is " + t.dim(d) + " but must be " + expected + " (" + what + ")");
        }
    }

    public static void nonEmpty(String name, Tensor t) {
        if (t.size() == 0) {
            throw new LossException(ErrorKind.EMPTY_INPUT, name + " " + t.shapeString()
                    + " is empty: the loss of no terms is undefined");
        }
    }

    /** Every label in [0, classes) or equal to {@code ignoreIndex} (the loss's configured ignore_index). */
    public static void labels(String name, Tensor t, int classes, long ignoreIndex) {
        labels(name, t, classes, true, ignoreIndex);
    }

    /** Every label in [0, classes), with no exception (no value is a sentinel). */
    public static void labels(String name, Tensor t, int classes) {
        labels(name, t, classes, false, 0);
    }

    private static void labels(String name, Tensor t, int classes, boolean ignoring, long ignoreIndex) {
        long[] v = t.i64();
        for (int i = 0; i < v.length; i++) {
            long c = v[i];
            if ((c < 0 || c >= classes) && !(ignoring && c == ignoreIndex)) {
                throw new LossException(ErrorKind.LABEL_OUT_OF_RANGE, at(name, t, i) + " = " + c
                        + " is outside [0, " + classes + ") classes");
            }
        }
    }

    /** Every value in [lo, hi] (NaN allowed: it propagates). */
    public static void closed(String name, Tensor t, double lo, double hi) {
        closed(name, t, lo, hi, Double.NaN);
    }

    /** Every value in [lo, hi] or equal to {@code except}, an ignored value (NaN: none; NaN values allowed). */
    public static void closed(String name, Tensor t, double lo, double hi, double except) {
        for (int i = 0, n = t.size(); i < n; i++) {
            double v = t.getDouble(i);
            if ((v < lo || v > hi) && v != except) {
                throw new LossException(ErrorKind.OUT_OF_DOMAIN, at(name, t, i) + " = " + v + " is outside ["
                        + fmt(lo) + ", " + fmt(hi) + "]");
            }
        }
    }

    /** Every value strictly greater than {@code lo} (NaN allowed). */
    public static void greater(String name, Tensor t, double lo) {
        for (int i = 0, n = t.size(); i < n; i++) {
            double v = t.getDouble(i);
            if (v <= lo) {
                throw new LossException(ErrorKind.OUT_OF_DOMAIN, at(name, t, i) + " = " + v + " must be > " + fmt(lo));
            }
        }
    }

    /** Every value at least {@code lo} (NaN allowed). */
    public static void atLeast(String name, Tensor t, double lo) {
        for (int i = 0, n = t.size(); i < n; i++) {
            double v = t.getDouble(i);
            if (v < lo) {
                throw new LossException(ErrorKind.OUT_OF_DOMAIN, at(name, t, i) + " = " + v + " must be >= " + fmt(lo));
            }
        }
    }

    /** Every value is one of {@code allowed} (NaN allowed). */
    public static void oneOf(String name, Tensor t, double... allowed) {
        if (allowed.length == 2 && Math.abs(allowed[0] - allowed[1]) >= 1 && !maybeOutside(t, allowed[0], allowed[1])) {
            return;
        }
        outer:
        for (int i = 0, n = t.size(); i < n; i++) {
            double v = t.getDouble(i);
            if (Double.isNaN(v)) {
                continue;
            }
            for (double a : allowed) {
                if (v == a) {
                    continue outer;
                }
            }
            StringBuilder sb = new StringBuilder();
            for (double a : allowed) {
                sb.append(sb.length() == 0 ? "" : ", ").append(fmt(a));
            }
            throw new LossException(ErrorKind.OUT_OF_DOMAIN, at(name, t, i) + " = " + v + " is not one of {" + sb + "}");
        }
    }

    /**
     * False only when every value of {@code t} is {@code a} or {@code b}; true when some value may
     * be neither (then {@link #oneOf} rescans exactly: NaN, which passes, also gives true here).
     * Tests {@code (v − a)·(v − b) ≠ 0}, which for {@code |a − b| ≥ 1} cannot underflow to 0 unless
     * v is a or b: one compare per element, no branch. The exact search loop of {@link #oneOf}
     * costs 7 ns per element on random binary targets, more than focal's float32 kernel.
     */
    private static boolean maybeOutside(Tensor t, double a, double b) {
        boolean bad = false;
        int n = t.size();
        float fa = (float) a, fb = (float) b;
        if (t.dtype() == DType.FLOAT32 && fa == a && fb == b) {
            // in float: |a − b| ≥ 1 keeps the product of a nonzero difference and the other
            // (≥ 1 − ulp) at least the smallest subnormal, so it is 0 only at a or b
            float[] d = t.f32();
            for (int i = 0; i < n; i++) {
                float v = d[i];
                bad |= (v - fa) * (v - fb) != 0f;
            }
        } else {
            for (int i = 0; i < n; i++) {
                double v = t.getDouble(i);
                bad |= (v - a) * (v - b) != 0;
            }
        }
        return bad;
    }

    /** A caller's gradient buffer must match its input's shape, in the given dtype. */
    public static void gradBuffer(String name, Tensor buf, Tensor like, DType dtype) {
        if (buf.dtype() != dtype) {
            throw new LossException(ErrorKind.INVALID_DTYPE, "gradient buffer for " + name + " must be "
                    + dtype.label() + ", got " + buf.dtype().label());
        }
        if (!buf.sameShape(like)) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "gradient buffer for " + name + " has shape "
                    + buf.shapeString() + " but " + name + " has shape " + like.shapeString());
        }
    }

    /** The most elements a Java array holds on every common JVM (a few below Integer.MAX_VALUE). */
    public static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    /**
     * {@code elements} as an array length, computed by the caller in long: refused with
     * {@link ErrorKind#TOO_LARGE} when it exceeds {@link #MAX_ARRAY} or when
     * {@code elements × bytesPerElement} exceeds the heap's limit ({@code -Xmx}), so that a size
     * that cannot fit is named instead of failing with NegativeArraySizeException or
     * OutOfMemoryError. {@code what} says what is being sized, e.g. {@code shape [65536, 65536]}.
     */
    public static int arraySize(long elements, int bytesPerElement, String what) {
        if (elements < 0 || elements > MAX_ARRAY) {
            throw new LossException(ErrorKind.TOO_LARGE, what + " needs "
                    + (elements < 0 || elements == Long.MAX_VALUE ? "more than 2^63-1" : Long.toString(elements))
                    + " elements, more than a Java array holds (" + MAX_ARRAY + ")");
        }
        long bytes = elements * bytesPerElement;
        long heap = Runtime.getRuntime().maxMemory();
        if (heap != Long.MAX_VALUE && bytes > heap) {
            throw new LossException(ErrorKind.TOO_LARGE, what + " needs " + elements + " elements (" + mib(bytes)
                    + " MiB), more than the heap holds (" + mib(heap) + " MiB, java -Xmx)");
        }
        return (int) elements;
    }

    private static long mib(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }

    /** Refuses a null array or name given to a factory with {@link ErrorKind#MISSING_INPUT}, naming it. */
    public static <T> T notNull(T v, String what) {
        if (v == null) {
            throw new LossException(ErrorKind.MISSING_INPUT, what + " is null");
        }
        return v;
    }

    /** {@code name[i]} for vectors, {@code name[i, j, ...]} for higher ranks, from a flat index. */
    public static String at(String name, Tensor t, int flat) {
        int[] shape = t.shape();
        if (shape.length <= 1) {
            return name + "[" + flat + "]";
        }
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = shape[d] == 0 ? 0 : flat % shape[d];
            flat = shape[d] == 0 ? 0 : flat / shape[d];
        }
        StringBuilder sb = new StringBuilder(name).append('[');
        for (int d = 0; d < idx.length; d++) {
            sb.append(d == 0 ? "" : ", ").append(idx[d]);
        }
        return sb.append(']').toString();
    }

    static String fmt(double v) {
        return v == Math.rint(v) && !Double.isInfinite(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
