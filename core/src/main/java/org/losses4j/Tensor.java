package org.losses4j;

import java.util.Arrays;

/**
 * A flat, row-major Java array with an explicit shape: {@code float[]}, {@code double[]} or
 * {@code long[]}. A tensor wraps the caller's array without copying; losses never modify an
 * input tensor, and write gradients only into tensors given to them as gradient buffers.
 *
 * <pre>{@code
 * Tensor logits = Tensor.of(new float[] {2f, 0.5f, -1f, 0.1f, 0.2f, 3f}, 2, 3);
 * Tensor labels = Tensor.labels(0, 2);
 * Tensor pred = Tensor.vector(new double[] {0.5, 1.5, 2.0});
 * }</pre>
 */
public final class Tensor {
    private final DType dtype;
    private final int[] shape;
    private final int size;
    private final float[] f32;
    private final double[] f64;
    private final long[] i64;

    private Tensor(DType dtype, int[] shape, float[] f32, double[] f64, long[] i64, int length) {
        long n = elements(shape);
        this.dtype = dtype;
        this.shape = shape.clone();
        if (n > Integer.MAX_VALUE) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH,
                    "shape " + Arrays.toString(shape) + " has more than 2^31-1 elements (the array has " + length + ")");
        }
        if (n != length) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH,
                    "shape " + Arrays.toString(shape) + " needs " + n + " elements but the array has " + length
                            + (shape.length == 0 ? " (Tensor.vector makes a 1-D tensor of any length)" : ""));
        }
        this.size = (int) n;
        this.f32 = f32;
        this.f64 = f64;
        this.i64 = i64;
    }

    /**
     * The number of elements of {@code shape}, computed in long (no wrap-around, whatever the
     * dimensions: a zero dimension makes it 0; Long.MAX_VALUE when the product exceeds a long);
     * refuses a null shape and a negative dimension. May exceed any array length: the caller
     * compares it with its array or refuses it.
     */
    private static long elements(int[] shape) {
        Check.notNull(shape, "Tensor: shape");
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new LossException(ErrorKind.SHAPE_MISMATCH,
                        "shape " + Arrays.toString(shape) + " has a negative dimension at index " + i);
            }
            if (shape[i] == 0) {
                return 0;
            }
        }
        long n = 1;
        for (int d : shape) {
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE;
            }
        }
        return n;
    }

    /** A float64 tensor of the given shape ({@code []}, no dimensions, is a scalar of one element). */
    public static Tensor of(double[] data, int... shape) {
        Check.notNull(data, "Tensor.of: data");
        return new Tensor(DType.FLOAT64, shape, null, data, null, data.length);
    }

    /** A float32 tensor of the given shape. */
    public static Tensor of(float[] data, int... shape) {
        Check.notNull(data, "Tensor.of: data");
        return new Tensor(DType.FLOAT32, shape, data, null, null, data.length);
    }

    /** An int64 tensor of labels, indices or lengths, of the given shape. */
    public static Tensor ofLabels(long[] data, int... shape) {
        Check.notNull(data, "Tensor.ofLabels: data");
        return new Tensor(DType.INT64, shape, null, null, data, data.length);
    }

    /** A float64 vector of the array's length. */
    public static Tensor vector(double[] data) {
        return of(Check.notNull(data, "Tensor.vector: data"), data.length);
    }

    /** A float32 vector of the array's length. */
    public static Tensor vector(float[] data) {
        return of(Check.notNull(data, "Tensor.vector: data"), data.length);
    }

    /** An int64 vector of the array's length. */
    public static Tensor labels(long... data) {
        return ofLabels(Check.notNull(data, "Tensor.labels: data"), data.length);
    }

    /** A float64 scalar (shape {@code []}). */
    public static Tensor scalar(double v) {
        return new Tensor(DType.FLOAT64, new int[0], null, new double[] {v}, null, 1);
    }

    /**
     * A new zero-filled tensor of the given type and shape; a shape of more elements than an
     * array holds, or than the heap has room for, is refused ({@link ErrorKind#TOO_LARGE}, naming
     * the shape) before anything is allocated.
     */
    public static Tensor zeros(DType dtype, int... shape) {
        Check.notNull(dtype, "Tensor.zeros: dtype");
        long n = elements(shape);
        int len = Check.arraySize(n, dtype == DType.FLOAT32 ? 4 : 8,
                "Tensor.zeros(" + dtype.label() + ", shape " + Arrays.toString(shape) + ")");
        switch (dtype) {
            case FLOAT32:
                return new Tensor(dtype, shape, new float[len], null, null, len);
            case FLOAT64:
                return new Tensor(dtype, shape, null, new double[len], null, len);
            default:
                return new Tensor(dtype, shape, null, null, new long[len], len);
        }
    }

    public DType dtype() {
        return dtype;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** True when {@code other} has exactly this shape (no copy of either shape is made). */
    public boolean sameShape(Tensor other) {
        return java.util.Arrays.equals(shape, other.shape);
    }

    /** The size of dimension {@code i}; negative {@code i} counts from the end. */
    public int dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    /** The number of elements. */
    public int size() {
        return size;
    }

    /** The wrapped {@code double[]} (not a copy); fails unless the dtype is float64. */
    public double[] f64() {
        requireType(DType.FLOAT64);
        return f64;
    }

    /** The wrapped {@code float[]} (not a copy); fails unless the dtype is float32. */
    public float[] f32() {
        requireType(DType.FLOAT32);
        return f32;
    }

    /** The wrapped {@code long[]} (not a copy); fails unless the dtype is int64. */
    public long[] i64() {
        requireType(DType.INT64);
        return i64;
    }

    /** The wrapped array, whatever its type (for identity checks: is a buffer an input's own array?). */
    Object array() {
        return f32 != null ? f32 : f64 != null ? (Object) f64 : i64;
    }

    /** Element {@code i} of the flat data as a double. */
    public double getDouble(int i) {
        switch (dtype) {
            case FLOAT32:
                return f32[i];
            case FLOAT64:
                return f64[i];
            default:
                return i64[i];
        }
    }

    /** The data as a fresh double array (a copy, whatever the dtype). */
    public double[] toDoubleArray() {
        double[] out = new double[size];
        switch (dtype) {
            case FLOAT32:
                for (int i = 0; i < size; i++) {
                    out[i] = f32[i];
                }
                break;
            case FLOAT64:
                System.arraycopy(f64, 0, out, 0, size);
                break;
            default:
                for (int i = 0; i < size; i++) {
                    out[i] = i64[i];
                }
        }
        return out;
    }

    /** This tensor's data as float64: itself when already float64, else a converted copy. */
    public Tensor asFloat64() {
        return dtype == DType.FLOAT64 ? this : new Tensor(DType.FLOAT64, shape, null, toDoubleArray(), null, size);
    }

    /** This tensor's data as float32: itself when already float32, else a copy with each value rounded once. */
    public Tensor asFloat32() {
        if (dtype == DType.FLOAT32) {
            return this;
        }
        float[] out = new float[size];
        if (dtype == DType.FLOAT64) {
            for (int i = 0; i < size; i++) {
                out[i] = (float) f64[i];
            }
        } else {
            for (int i = 0; i < size; i++) {
                out[i] = i64[i];
            }
        }
        return new Tensor(DType.FLOAT32, shape, out, null, null, size);
    }

    /** Same data, another shape of the same size (no copy). */
    public Tensor reshape(int... newShape) {
        return new Tensor(dtype, newShape, f32, f64, i64, size);
    }

    private void requireType(DType want) {
        if (dtype != want) {
            throw new LossException(ErrorKind.INVALID_DTYPE, "tensor is " + dtype.label() + ", not " + want.label());
        }
    }

    /** The shape as text, e.g. {@code [4, 3]}. */
    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public String toString() {
        return "Tensor(" + dtype.label() + ", " + shapeString() + ")";
    }
}
