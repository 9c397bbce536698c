package org.losses4j.kernels;

/**
 * The scalar float32 kernels: the reference implementation, always present. Each element is
 * widened to float64, its term and gradient computed in float64, the gradient narrowed once;
 * the terms are summed in four interleaved float64 accumulators (combined as
 * {@code (s0 + s1) + (s2 + s3)}) so the loop is not one long dependency chain.
 */
final class ScalarFloatKernels extends FloatKernels {
    static final ScalarFloatKernels INSTANCE = new ScalarFloatKernels();

    private ScalarFloatKernels() {
    }

    @Override
    public String path() {
        return "scalar";
    }

    @Override
    public String description() {
        return "scalar (float64 arithmetic per element)";
    }

    @Override
    public int lanes() {
        return 1;
    }

    @Override
    public double mse(float[] x, float[] y, float[] g, int from, int to, float scale) {
        double s2 = 2.0 * scale;
        double s0 = 0, s1 = 0, s2a = 0, s3 = 0;
        int i = from;
        int end4 = from + ((to - from) & ~3);
        if (g != null) {
            for (; i < end4; i += 4) {
                double d0 = (double) x[i] - y[i];
                double d1 = (double) x[i + 1] - y[i + 1];
                double d2 = (double) x[i + 2] - y[i + 2];
                double d3 = (double) x[i + 3] - y[i + 3];
                s0 += d0 * d0;
                s1 += d1 * d1;
                s2a += d2 * d2;
                s3 += d3 * d3;
                g[i] = (float) (d0 * s2);
                g[i + 1] = (float) (d1 * s2);
                g[i + 2] = (float) (d2 * s2);
                g[i + 3] = (float) (d3 * s2);
            }
        } else {
            for (; i < end4; i += 4) {
                double d0 = (double) x[i] - y[i];
                double d1 = (double) x[i + 1] - y[i + 1];
                double d2 = (double) x[i + 2] - y[i + 2];
                double d3 = (double) x[i + 3] - y[i + 3];
                s0 += d0 * d0;
                s1 += d1 * d1;
                s2a += d2 * d2;
                s3 += d3 * d3;
            }
        }
        for (; i < to; i++) {
            double d = (double) x[i] - y[i];
            s0 += d * d;
            if (g != null) {
                g[i] = (float) (d * s2);
            }
        }
        return (s0 + s1) + (s2a + s3);
    }

    @Override
    public double huber(float[] x, float[] y, float[] g, int from, int to, float scale, float delta) {
        double dl = delta;
        double sc = scale;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = from;
        int end4 = from + ((to - from) & ~3);
        for (; i < end4; i += 4) {
            double d0 = (double) x[i] - y[i];
            double d1 = (double) x[i + 1] - y[i + 1];
            double d2 = (double) x[i + 2] - y[i + 2];
            double d3 = (double) x[i + 3] - y[i + 3];
            // clamp(d, -δ, δ); Math.min/max keep a NaN residual NaN
            double c0 = Math.min(Math.max(d0, -dl), dl);
            double c1 = Math.min(Math.max(d1, -dl), dl);
            double c2 = Math.min(Math.max(d2, -dl), dl);
            double c3 = Math.min(Math.max(d3, -dl), dl);
            s0 += c0 * (d0 - 0.5 * c0);
            s1 += c1 * (d1 - 0.5 * c1);
            s2 += c2 * (d2 - 0.5 * c2);
            s3 += c3 * (d3 - 0.5 * c3);
            if (g != null) {
                g[i] = (float) (c0 * sc);
                g[i + 1] = (float) (c1 * sc);
                g[i + 2] = (float) (c2 * sc);
                g[i + 3] = (float) (c3 * sc);
            }
        }
        for (; i < to; i++) {
            double d = (double) x[i] - y[i];
            double c = Math.min(Math.max(d, -dl), dl);
            s0 += c * (d - 0.5 * c);
            if (g != null) {
                g[i] = (float) (c * sc);
            }
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public double bceWithLogits(float[] x, float[] y, float[] g, int from, int to, float scale, float ya, float yb) {
        double sc = scale;
        double s0 = 0, s1 = 0;
        boolean outside = false;
        int i = from;
        for (; i + 1 < to; i += 2) {
            double z0 = x[i], z1 = x[i + 1];
            double t0 = (double) ya * y[i] + yb, t1 = (double) ya * y[i + 1] + yb;
            outside |= y[i] < 0f || y[i] > 1f || y[i + 1] < 0f || y[i + 1] > 1f;
            double e0 = Math.exp(-Math.abs(z0)), e1 = Math.exp(-Math.abs(z1));
            s0 += Math.max(z0, 0) - z0 * t0 + Math.log1p(e0);
            s1 += Math.max(z1, 0) - z1 * t1 + Math.log1p(e1);
            if (g != null) {
                double r0 = 1 / (1 + e0), r1 = 1 / (1 + e1);
                // σ(z) = 1/(1+e^-z) for z ≥ 0, e^z/(1+e^z) below: never exp of a positive number
                g[i] = (float) (((z0 >= 0 ? r0 : e0 * r0) - t0) * sc);
                g[i + 1] = (float) (((z1 >= 0 ? r1 : e1 * r1) - t1) * sc);
            }
        }
        for (; i < to; i++) {
            double z = x[i];
            double t = (double) ya * y[i] + yb;
            outside |= y[i] < 0f || y[i] > 1f;
            double e = Math.exp(-Math.abs(z));
            s0 += Math.max(z, 0) - z * t + Math.log1p(e);
            if (g != null) {
                double r = 1 / (1 + e);
                g[i] = (float) (((z >= 0 ? r : e * r) - t) * sc);
            }
        }
        return outside ? INVALID_TARGET : s0 + s1;
    }

    @Override
    public double focal(float[] x, float[] y, float[] g, int from, int to, float scale, float a0, float da,
            double gamma) {
        double sc = scale, sum = 0;
        double[] slope = new double[1];
        for (int i = from; i < to; i++) {
            double yk = y[i];
            double s = 2 * yk - 1;
            double at = a0 + (double) da * yk;
            sum += at * FocalTerm.term(s * x[i], gamma, slope, 0);
            if (g != null) {
                g[i] = (float) (s * at * slope[0] * sc);
            }
        }
        return sum;
    }

    @Override
    public double crossEntropy(float[] x, long[] labels, float[] g, int c, int rowFrom, int rowTo, float scale,
            double keep, double uni, long ignore) {
        double sum = 0;
        for (int r = rowFrom; r < rowTo; r++) {
            int base = r * c;
            long lab = labels[r];
            if (lab == ignore) {
                if (g != null) {
                    java.util.Arrays.fill(g, base, base + c, 0f);
                }
                continue;
            }
            int y = (int) lab;
            double m = Double.NEGATIVE_INFINITY;
            int am = 0;
            boolean nan = false;
            for (int j = 0; j < c; j++) {
                float v = x[base + j];
                if (v > m) {
                    m = v;
                    am = j;
                }
                nan |= v != v;
            }
            if (nan) {
                m = Double.NaN;
            }
            double rest = 0;
            double sd = 0;
            for (int j = 0; j < c; j++) {
                double d = x[base + j] - m;
                sd += d;
                if (j != am) {
                    rest += Math.exp(d);
                }
            }
            double logS = Math.log1p(rest);
            double zy = x[base + y] - m;
            double term = 0;
            if (keep != 0) {
                term += keep * (logS - zy);
            }
            if (uni != 0) {
                term += uni * (c * logS - sd);
            }
            sum += term;
            if (g != null) {
                double inv = 1 / (1 + rest);
                double coef = scale * (keep + uni * c) * inv;
                double off = scale * uni;
                for (int j = 0; j < c; j++) {
                    g[base + j] = (float) (coef * Math.exp(x[base + j] - m) - off);
                }
                double py = Math.exp(zy) * inv;
                double qy = y == am ? rest * inv : 1 - py;
                g[base + y] = (float) (scale * (-keep * qy + uni * (c * py - 1)));
            }
        }
        return sum;
    }

    @Override
    public boolean regionSums(float[] x, float[] y, int from, int to, boolean squares, double[] acc, int at) {
        // two interleaved float64 accumulators per sum (combined as s0 + s1); the domain flag is
        // exact here (NaN compares false and passes). A never-taken branch measured cheaper
        // than branch-free flag arithmetic.
        double pg0 = 0, pg1 = 0, p0 = 0, p1 = 0, g0 = 0, g1 = 0, pp0 = 0, pp1 = 0, gg0 = 0, gg1 = 0;
        boolean bad = false;
        int i = from;
        if (squares) {
            for (; i + 1 < to; i += 2) {
                float f0 = x[i], f1 = x[i + 1], h0 = y[i], h1 = y[i + 1];
                if (f0 < 0 || f0 > 1 || f1 < 0 || f1 > 1 || h0 < 0 || h0 > 1 || h1 < 0 || h1 > 1) {
                    bad = true;
                }
                double a0 = f0, a1 = f1, b0 = h0, b1 = h1;
                pg0 += a0 * b0;
                pg1 += a1 * b1;
                p0 += a0;
                p1 += a1;
                g0 += b0;
                g1 += b1;
                pp0 += a0 * a0;
                pp1 += a1 * a1;
                gg0 += b0 * b0;
                gg1 += b1 * b1;
            }
        } else {
            for (; i + 1 < to; i += 2) {
                float f0 = x[i], f1 = x[i + 1], h0 = y[i], h1 = y[i + 1];
                if (f0 < 0 || f0 > 1 || f1 < 0 || f1 > 1 || h0 < 0 || h0 > 1 || h1 < 0 || h1 > 1) {
                    bad = true;
                }
                double a0 = f0, a1 = f1, b0 = h0, b1 = h1;
                pg0 += a0 * b0;
                pg1 += a1 * b1;
                p0 += a0;
                p1 += a1;
                g0 += b0;
                g1 += b1;
            }
        }
        for (; i < to; i++) {
            float f = x[i], h = y[i];
            bad |= f < 0 | f > 1 | h < 0 | h > 1;
            double a = f, b = h;
            pg0 += a * b;
            p0 += a;
            g0 += b;
            pp0 += a * a;
            gg0 += b * b;
        }
        acc[at] = pg0 + pg1;
        acc[at + 1] = p0 + p1;
        acc[at + 2] = g0 + g1;
        if (squares) {
            acc[at + 3] = pp0 + pp1;
            acc[at + 4] = gg0 + gg1;
        }
        return bad;
    }

    @Override
    public void regionGradient(float[] x, float[] y, float[] out, int from, int to, float a, float b, float c) {
        double da = a, db = b, dc = c;
        if (x == null) {
            for (int i = from; i < to; i++) {
                out[i] = (float) (da * y[i] + db);
            }
        } else {
            for (int i = from; i < to; i++) {
                out[i] = (float) (da * y[i] + db + dc * x[i]);
            }
        }
    }
}
