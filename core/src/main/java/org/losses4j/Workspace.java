package org.losses4j;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Per-thread scratch for loss implementations whose working memory depends on the problem size
 * (CTC's forward rows, per-row terms of a reduced loss, the elementwise driver's block), so
 * that a call allocates nothing once the thread has seen a problem that large. Library users
 * never need this class.
 *
 * <p>Use: {@code try (Workspace ws = Workspace.acquire()) { double[] a = ws.doubles(n); ... }}.
 * Every array handed out is zero over {@code [0, n)} (as a new array would be) and may be
 * longer than asked. Arrays over {@value #RETAIN_MAX} elements, and any array that would take
 * what the thread keeps over {@link #RETAIN_BYTES} bytes (32 MiB), are not kept after the call
 * (a thread that once ran a huge problem does not hold its memory). What is handed out belongs
 * to the caller until {@link #close()}. Acquires nest like a stack (a loss computed inside
 * another, a chunk of work run on the caller's thread): a nested acquire hands out scratch after
 * the enclosing one's and its close gives back only its own, so the same call pattern reuses the
 * same scratch every time. Loss objects stay immutable: the workspace is state of the calling
 * thread, not of the loss.
 */
public final class Workspace implements AutoCloseable {
    private static final ThreadLocal<Workspace> LOCAL = ThreadLocal.withInitial(Workspace::new);
    /** Arrays longer than this (8 MB of doubles) are handed out but not kept by the thread. */
    static final int RETAIN_MAX = 1 << 20;
    /**
     * What a thread keeps at most, in bytes of array elements (32 MiB: the four 1M-element double
     * arrays of a float32 call of a loss computed in float64); an array that would take the kept
     * total over it is handed out but not kept.
     */
    static final long RETAIN_BYTES = 32L << 20;

    /** The scratch handed out, in order; a call pattern takes the same slots every time. */
    private Object[] slots = new Object[8];
    private int used;
    /** Bytes of the arrays in {@code slots}. */
    private long keptBytes;
    /** The {@code used} of each enclosing acquire, restored by its close. */
    private int[] marks = new int[8];
    private int depth;

    private Workspace() {
    }

    /** This thread's workspace; what it hands out from now until the matching {@link #close()} is the caller's. */
    public static Workspace acquire() {
        Workspace w = LOCAL.get();
        if (w.depth == w.marks.length) {
            w.marks = Arrays.copyOf(w.marks, 2 * w.depth);
        }
        w.marks[w.depth++] = w.used;
        return w;
    }

    /** The next scratch {@code double[]} of at least {@code n} elements, zero over {@code [0, n)}. */
    public double[] doubles(int n) {
        Object o = next();
        if (o instanceof double[] && ((double[]) o).length >= n) {
            double[] a = (double[]) o;
            Arrays.fill(a, 0, n, 0.0);
            return a;
        }
        return keep(new double[n], n);
    }

    /**
     * The next scratch {@code double[]} of exactly {@code n} elements (for a {@link Tensor}, whose
     * array has its size), zero-filled when {@code zeroed}, else with whatever it last held (for
     * a caller that overwrites all of it). Reused only by calls of the same size.
     */
    double[] doublesExact(int n, boolean zeroed) {
        Object o = next();
        if (o instanceof double[] && ((double[]) o).length == n) {
            double[] a = (double[]) o;
            if (zeroed) {
                Arrays.fill(a, 0.0);
            }
            return a;
        }
        return keep(new double[n], n);
    }

    /** The next scratch {@code float[]} of at least {@code n} elements, zero over {@code [0, n)}. */
    public float[] floats(int n) {
        Object o = next();
        if (o instanceof float[] && ((float[]) o).length >= n) {
            float[] a = (float[]) o;
            Arrays.fill(a, 0, n, 0f);
            return a;
        }
        return keep(new float[n], n);
    }

    /** The next scratch {@code int[]} of at least {@code n} elements, zero over {@code [0, n)}. */
    public int[] ints(int n) {
        Object o = next();
        if (o instanceof int[] && ((int[]) o).length >= n) {
            int[] a = (int[]) o;
            Arrays.fill(a, 0, n, 0);
            return a;
        }
        return keep(new int[n], n);
    }

    /**
     * The next scratch object of class {@code type}, made by {@code make} the first time and
     * reused as it was left (not cleared: for fixed-size scratch that callers overwrite).
     */
    <T> T object(Class<T> type, Supplier<T> make) {
        Object o = next();
        return type.isInstance(o) ? type.cast(o) : keep(make.get(), 0);
    }

    /** Gives what was handed out since the matching acquire back to the thread (reused by its next call). */
    @Override
    public void close() {
        used = marks[--depth];
    }

    private Object next() {
        if (used == slots.length) {
            slots = Arrays.copyOf(slots, 2 * used);
        }
        return slots[used++];
    }

    /** Puts {@code a} into the slot just taken, unless it is too large to keep. */
    private <T> T keep(T a, int n) {
        long after = keptBytes - bytes(slots[used - 1]) + bytes(a);
        if (n <= RETAIN_MAX && after <= RETAIN_BYTES) {
            slots[used - 1] = a;
            keptBytes = after;
        }
        return a;
    }

    /** The bytes of an array's elements; 0 for the small fixed-size objects of {@link #object}. */
    private static long bytes(Object o) {
        if (o instanceof double[]) {
            return 8L * ((double[]) o).length;
        }
        if (o instanceof float[]) {
            return 4L * ((float[]) o).length;
        }
        return o instanceof int[] ? 4L * ((int[]) o).length : 0;
    }
}
