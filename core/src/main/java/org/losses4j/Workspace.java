package org.losses4j;

import java.util.Arrays;

/**
 * Per-thread scratch arrays for loss implementations whose working memory depends on the
 * problem size (CTC's forward rows, per-row terms of a reduced loss), so that a call allocates
 * nothing once the thread has seen a problem that large. Library users never need this class.
 *
 * <p>Use: {@code try (Workspace ws = Workspace.acquire()) { double[] a = ws.doubles(n); ... }}.
 * Every array handed out is zero over {@code [0, n)} (as a new array would be) and may be
 * longer than asked. Arrays over {@value #RETAIN_MAX} elements are not kept after the call
 * (a thread that once ran a huge problem does not hold its memory). The arrays belong to the
 * caller until {@link #close()}. Acquires nest like a stack (a loss computed inside another,
 * a chunk of work run on the caller's thread): a nested acquire hands out arrays after the
 * enclosing ones and its close gives back only its own, so the same call pattern reuses the
 * same arrays every time. Loss objects stay immutable: the workspace is state of the calling
 * thread, not of the loss.
 */
public final class Workspace implements AutoCloseable {
    private static final ThreadLocal<Workspace> LOCAL = ThreadLocal.withInitial(Workspace::new);
    /** Arrays longer than this (8 MB of doubles) are handed out but not kept by the thread. */
    static final int RETAIN_MAX = 1 << 20;

    private double[][] doubles = new double[4][];
    private int[][] ints = new int[4][];
    private int nd;
    private int ni;
    /** The (nd, ni) of each enclosing acquire, restored by its close. */
    private int[] marks = new int[8];
    private int depth;

    private Workspace() {
    }

    /** This thread's workspace; its arrays from now until the matching {@link #close()} are the caller's. */
    public static Workspace acquire() {
        Workspace w = LOCAL.get();
        if (2 * w.depth + 2 > w.marks.length) {
            w.marks = Arrays.copyOf(w.marks, 2 * w.marks.length);
        }
        w.marks[2 * w.depth] = w.nd;
        w.marks[2 * w.depth + 1] = w.ni;
        w.depth++;
        return w;
    }

    /** The next scratch {@code double[]} of at least {@code n} elements, zero over {@code [0, n)}. */
    public double[] doubles(int n) {
        if (nd == doubles.length) {
            doubles = Arrays.copyOf(doubles, 2 * nd);
        }
        double[] a = doubles[nd];
        if (a == null || a.length < n) {
            a = new double[n];
            if (n <= RETAIN_MAX) {
                doubles[nd] = a;
            }
        } else {
            Arrays.fill(a, 0, n, 0.0);
        }
        nd++;
        return a;
    }

    /** The next scratch {@code int[]} of at least {@code n} elements, zero over {@code [0, n)}. */
    public int[] ints(int n) {
        if (ni == ints.length) {
            ints = Arrays.copyOf(ints, 2 * ni);
        }
        int[] a = ints[ni];
        if (a == null || a.length < n) {
            a = new int[n];
            if (n <= RETAIN_MAX) {
                ints[ni] = a;
            }
        } else {
            Arrays.fill(a, 0, n, 0);
        }
        ni++;
        return a;
    }

    /** Gives the arrays handed out since the matching acquire back to the thread (reused by its next call). */
    @Override
    public void close() {
        depth--;
        nd = marks[2 * depth];
        ni = marks[2 * depth + 1];
    }
}
