package org.losses4j.segmentation;

import java.util.Arrays;
import org.losses4j.kernels.FloatKernels;
import org.losses4j.kernels.Kernels;
import org.losses4j.kernels.Parallel;

/**
 * The one mechanism behind the region losses (dice, jaccard, tversky, combo): for an input
 * {@code p} and target {@code g} of shape [N, C, *], the per-group sums Σp·g, Σp, Σg (and
 * Σp², Σg² when asked) in one pass over memory, and the gradient pass that writes
 * {@code ∂L/∂p_i = A_k·g_i + B_k + C_k·p_i} from three numbers per group.
 *
 * <p>The data is a sequence of N·C contiguous blocks of S = Π(*) elements (block b is sample
 * b / C, class b % C); a block belongs to one group: group 0 ({@link Average#GLOBAL}),
 * class b % C ({@link Average#CLASS}) or b itself ({@link Average#SAMPLE_CLASS}). Float64
 * data: sums accumulated in float64 with several accumulators per block, in a fixed order, on
 * one thread. Float32 data: the {@link FloatKernels} region kernels (float lanes over
 * at most {@value FloatKernels#LANE_TERMS} terms per lane, then float64) on the fixed split of
 * {@link Kernels}, so both passes run on {@link Parallel#threads()} threads with the same bits
 * for any thread count; no copy or widening of the data is made.
 */
final class RegionSums {
    /** What one coefficient is computed over. */
    enum Average {
        /** One coefficient from sums over every element. */
        GLOBAL,
        /** One coefficient per class, summed over batch and space. */
        CLASS,
        /** One coefficient per sample and class. */
        SAMPLE_CLASS;

        static Average parse(String s) {
            switch (s) {
                case "global":
                    return GLOBAL;
                case "class":
                    return CLASS;
                default:
                    return SAMPLE_CLASS;
            }
        }
    }

    final int blocks;
    final int blockSize;
    final int classes;
    final Average average;
    /** The number of coefficients K. */
    final int groups;
    final double[] pg;
    final double[] p;
    final double[] g;
    /** Σp² and Σg², or null when not asked for. */
    final double[] pp;
    final double[] gg;
    /** True when some input or target value lies outside [0, 1] (NaN does not count). */
    boolean outOfRange;

    private RegionSums(int[] shape, Average average, boolean squares) {
        int n = shape[0];
        this.classes = shape[1];
        this.blocks = n * classes;
        int s = 1;
        for (int d = 2; d < shape.length; d++) {
            s *= shape[d];
        }
        this.blockSize = s;
        this.average = average;
        this.groups = average == Average.GLOBAL ? 1 : average == Average.CLASS ? classes : blocks;
        this.pg = new double[groups];
        this.p = new double[groups];
        this.g = new double[groups];
        this.pp = squares ? new double[groups] : null;
        this.gg = squares ? new double[groups] : null;
    }

    /** The group of block {@code b}. */
    int groupOf(int b) {
        return average == Average.GLOBAL ? 0 : average == Average.CLASS ? b % classes : b;
    }

    /** Sums of float64 data of shape {@code shape} ([N, C, *]). */
    static RegionSums of(double[] x, double[] y, int[] shape, Average average, boolean squares) {
        RegionSums r = new RegionSums(shape, average, squares);
        int s = r.blockSize;
        double[] acc = new double[5];
        boolean bad = false;
        for (int b = 0; b < r.blocks; b++) {
            Arrays.fill(acc, 0.0);
            bad |= squares ? blockSquares(x, y, b * s, s, acc) : block(x, y, b * s, s, acc);
            r.add(r.groupOf(b), acc);
        }
        r.outOfRange = bad;
        return r;
    }

    /**
     * Sums of float32 data, by the active {@link FloatKernels#regionSums} kernel (float lanes
     * over sub-blocks, then float64) on a fixed split: global, the flat data in chunks of
     * {@link Parallel#CHUNK} elements; class and sample_class, each block in pieces of at most
     * {@link Parallel#CHUNK} elements. Each chunk's or piece's sums are kept apart and added into
     * its group in index order afterwards, so the bits depend on the shape only, never on the
     * number of threads. Besides the group sums this allocates 3 (5 with squares) doubles per
     * chunk or piece, and a flag per task: no copy of the data (for blocks much shorter than a
     * chunk that is one entry per block, like the sample_class sums themselves).
     */
    static RegionSums of(float[] x, float[] y, int[] shape, Average average, boolean squares) {
        RegionSums r = new RegionSums(shape, average, squares);
        FloatKernels k = Kernels.floats();
        int w = squares ? 5 : 3;
        int chunk = Parallel.CHUNK;
        if (average == Average.GLOBAL) {
            int n = r.blocks * r.blockSize;
            int segs = Parallel.chunks(n, chunk);
            double[] part = new double[segs * w];
            boolean[] bad = new boolean[segs];
            Parallel.forChunks(n, chunk, (c, from, to) -> bad[c] = k.regionSums(x, y, from, to, squares, part, c * w));
            r.combine(part, w, 1, bad);
        } else {
            int s = r.blockSize;
            int pieces = Parallel.chunks(s, chunk);
            int segs = r.blocks * pieces;
            // tasks of about CHUNK elements: one piece, or CHUNK / s whole blocks (scheduling only)
            int perTask = s >= chunk ? 1 : chunk / s;
            double[] part = new double[Math.multiplyExact(segs, w)];
            boolean[] bad = new boolean[Parallel.chunks(segs, perTask)];
            Parallel.forChunks(segs, perTask, (c, qFrom, qTo) -> {
                boolean b = false;
                for (int q = qFrom; q < qTo; q++) {
                    int blk = q / pieces;
                    int off = (q - blk * pieces) * chunk;
                    int from = blk * s + off;
                    b |= k.regionSums(x, y, from, from + Math.min(chunk, s - off), squares, part, q * w);
                }
                bad[c] = b;
            });
            r.combine(part, w, pieces, bad);
        }
        return r;
    }

    /** Adds the sums of segment q (block q / pieces) into its group, in segment order. */
    private void combine(double[] part, int w, int pieces, boolean[] bad) {
        for (int q = 0, segs = part.length / w; q < segs; q++) {
            int k = average == Average.GLOBAL ? 0 : groupOf(q / pieces);
            int o = q * w;
            pg[k] += part[o];
            p[k] += part[o + 1];
            g[k] += part[o + 2];
            if (w == 5) {
                pp[k] += part[o + 3];
                gg[k] += part[o + 4];
            }
        }
        for (boolean b : bad) {
            outOfRange |= b;
        }
    }

    private void add(int k, double[] acc) {
        pg[k] += acc[0];
        p[k] += acc[1];
        g[k] += acc[2];
        if (pp != null) {
            pp[k] += acc[3];
            gg[k] += acc[4];
        }
    }

    // The kernels below also flag values outside [0, 1] (NaN compares false and passes), so
    // the domain check costs no extra pass over memory; the caller then names the offending
    // element (Check.closed). A never-taken branch measured cheaper here than branch-free
    // flag arithmetic.

    private static boolean block(double[] x, double[] y, int off, int len, double[] acc) {
        double pg0 = 0, pg1 = 0, p0 = 0, p1 = 0, g0 = 0, g1 = 0;
        boolean bad = false;
        int i = off;
        int end = off + len;
        for (; i + 1 < end; i += 2) {
            double a0 = x[i], a1 = x[i + 1], b0 = y[i], b1 = y[i + 1];
            if (a0 < 0 || a0 > 1 || a1 < 0 || a1 > 1 || b0 < 0 || b0 > 1 || b1 < 0 || b1 > 1) {
                bad = true;
            }
            pg0 += a0 * b0;
            pg1 += a1 * b1;
            p0 += a0;
            p1 += a1;
            g0 += b0;
            g1 += b1;
        }
        for (; i < end; i++) {
            double a = x[i], b = y[i];
            bad |= a < 0 | a > 1 | b < 0 | b > 1;
            pg0 += a * b;
            p0 += a;
            g0 += b;
        }
        acc[0] = pg0 + pg1;
        acc[1] = p0 + p1;
        acc[2] = g0 + g1;
        return bad;
    }

    private static boolean blockSquares(double[] x, double[] y, int off, int len, double[] acc) {
        double pg = 0, p = 0, g = 0, pp = 0, gg = 0;
        boolean bad = false;
        for (int i = off, end = off + len; i < end; i++) {
            double a = x[i], b = y[i];
            bad |= a < 0 | a > 1 | b < 0 | b > 1;
            pg += a * b;
            p += a;
            g += b;
            pp += a * a;
            gg += b * b;
        }
        acc[0] = pg;
        acc[1] = p;
        acc[2] = g;
        acc[3] = pp;
        acc[4] = gg;
        return bad;
    }

    /**
     * The gradient pass: {@code out[i] = A[k]·y[i] + B[k] + C[k]·x[i]} for every element i of
     * a block of group k ({@code c} may be null when every C is 0).
     */
    void gradient(double[] x, double[] y, double[] a, double[] bb, double[] c, double[] out) {
        int s = blockSize;
        for (int b = 0; b < blocks; b++) {
            int k = groupOf(b);
            double ak = a[k], bk = bb[k];
            int off = b * s;
            if (c == null) {
                for (int i = off, end = off + s; i < end; i++) {
                    out[i] = ak * y[i] + bk;
                }
            } else {
                double ck = c[k];
                for (int i = off, end = off + s; i < end; i++) {
                    out[i] = ak * y[i] + bk + ck * x[i];
                }
            }
        }
    }

    /**
     * {@link #gradient(double[], double[], double[], double[], double[], double[])} on float32
     * data, by the active {@link FloatKernels#regionGradient} kernel with the three numbers
     * rounded to float, in chunks of {@link Parallel#CHUNK} elements (each element is written
     * once, from its own inputs: any thread count gives the same bits).
     */
    void gradient(float[] x, float[] y, double[] a, double[] bb, double[] c, float[] out) {
        FloatKernels k = Kernels.floats();
        int n = out.length;
        int s = blockSize;
        int chunk = Parallel.CHUNK;
        float[] xs = c == null ? null : x;
        Parallel.forChunks(n, chunk, (ci, from, to) -> {
            if (average == Average.GLOBAL) {
                k.regionGradient(xs, y, out, from, to, (float) a[0], (float) bb[0], c == null ? 0f : (float) c[0]);
                return;
            }
            for (int i = from; i < to;) {
                int blk = i / s;
                int end = Math.min(to, (blk + 1) * s);
                int g = groupOf(blk);
                k.regionGradient(xs, y, out, i, end, (float) a[g], (float) bb[g], c == null ? 0f : (float) c[g]);
                i = end;
            }
        });
    }
}
