package org.losses4j.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.losses4j.ranking.Data.dist;
import static org.losses4j.ranking.Data.loss;
import static org.losses4j.ranking.Data.normal;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Tensor;

/**
 * Central finite differences of the value against the analytic gradients, in float64, for
 * every loss of the family over every option combination and every differentiable input, on
 * random inputs kept away from kinks (hinge at 0, zero distances, swap ties).
 */
class RankingGradientTest {
    private static final String[] REDUCTIONS = {"mean", "sum", "none"};
    private static final double KINK = 0.05;

    private static void check(Loss l, Inputs in, String... inputs) {
        LossResult r = l.compute(in);
        assertThat(r.grads().keySet()).containsExactly(inputs);
        boolean someNonZero = false;
        for (String name : inputs) {
            for (double v : r.grad(name).f64()) {
                someNonZero |= v != 0;
            }
        }
        assertThat(someNonZero).as("%s: a gradient check on all-zero gradients proves nothing", l).isTrue();
        GradCheck.gradients(l, in);
    }

    @TestFactory
    List<DynamicTest> contrastive() {
        List<DynamicTest> tests = new ArrayList<>();
        Random rnd = new Random(11);
        for (double margin : new double[] {0.0, 1.0, 2.5}) {
            for (int sim : new int[] {0, 1}) {
                for (String red : REDUCTIONS) {
                    int n = 8;
                    int d = 4;
                    double[] x1 = new double[n * d];
                    double[] x2 = new double[n * d];
                    double[] t = new double[n];
                    for (int i = 0; i < n; i++) {
                        t[i] = i % 2;
                        boolean similar = t[i] == sim;
                        double[] u;
                        double[] v;
                        do {
                            u = normal(rnd, d);
                            v = normal(rnd, d);
                            double s = 0.1 + 1.5 * rnd.nextDouble();
                            for (int k = 0; k < d; k++) {
                                v[k] = u[k] + s * v[k];
                            }
                        } while (!similar && (Math.abs(margin - Data.euclid(u, v)) < KINK || Data.euclid(u, v) < KINK));
                        System.arraycopy(u, 0, x1, i * d, d);
                        System.arraycopy(v, 0, x2, i * d, d);
                    }
                    Loss l = loss("contrastive", "margin", margin, "similar_label", sim, "reduction", red);
                    Inputs in = Data.contrastive(x1, x2, t, n, d);
                    tests.add(DynamicTest.dynamicTest(l.toString(), () -> check(l, in, "x1", "x2")));
                }
            }
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> triplet() {
        List<DynamicTest> tests = new ArrayList<>();
        Random rnd = new Random(12);
        for (double margin : new double[] {0.0, 1.0}) {
            for (String kind : new String[] {"euclidean", "squared_euclidean", "cosine"}) {
                for (boolean swap : new boolean[] {false, true}) {
                    for (String red : REDUCTIONS) {
                        Inputs in = tripletAwayFromKinks(rnd, 8, 5, margin, kind, swap);
                        Loss l = loss("triplet", "margin", margin, "distance", kind, "swap", swap, "reduction", red);
                        tests.add(DynamicTest.dynamicTest(l.toString(),
                                () -> check(l, in, "anchor", "positive", "negative")));
                    }
                }
            }
        }
        return tests;
    }

    /**
     * Rows with the hinge argument, every distance, and (with swap) the difference between the
     * two negative distances all at least {@link #KINK} from their kinks; some rows active, and
     * with swap some rows where the swap is taken.
     */
    static Inputs tripletAwayFromKinks(Random rnd, int n, int d, double margin, String kind, boolean swap) {
        double scaleDist = kind.equals("cosine") ? 0.1 : 1;
        while (true) {
            double[] a = new double[n * d];
            double[] p = new double[n * d];
            double[] ng = new double[n * d];
            int active = 0;
            int swapped = 0;
            for (int i = 0; i < n; i++) {
                double[] u;
                double[] v;
                double[] w;
                double z;
                boolean ok;
                do {
                    u = normal(rnd, d);
                    v = normal(rnd, d);
                    w = normal(rnd, d);
                    double sp = 0.2 + 1.3 * rnd.nextDouble();
                    double sn = 0.2 + 1.3 * rnd.nextDouble();
                    for (int k = 0; k < d; k++) {
                        v[k] = u[k] + sp * v[k];
                        w[k] = (rnd.nextBoolean() ? u[k] : v[k]) + sn * w[k];
                    }
                    double dap = dist(kind, u, v);
                    double dan = dist(kind, u, w);
                    double dpn = dist(kind, v, w);
                    double neg = swap ? Math.min(dan, dpn) : dan;
                    z = dap - neg + margin;
                    ok = Math.abs(z) > KINK * scaleDist && dap > KINK * scaleDist && dan > KINK * scaleDist
                            && dpn > KINK * scaleDist && (!swap || Math.abs(dan - dpn) > KINK * scaleDist)
                            && Data.norm(u) > 0.3 && Data.norm(v) > 0.3 && Data.norm(w) > 0.3;
                    if (ok && z > 0 && swap && dpn < dan) {
                        swapped++;
                    }
                } while (!ok);
                if (z > 0) {
                    active++;
                }
                System.arraycopy(u, 0, a, i * d, d);
                System.arraycopy(v, 0, p, i * d, d);
                System.arraycopy(w, 0, ng, i * d, d);
            }
            if (active > 0 && active < n && (!swap || swapped > 0)) {
                return Data.triplet(a, p, ng, n, d);
            }
        }
    }

    @TestFactory
    List<DynamicTest> marginRanking() {
        List<DynamicTest> tests = new ArrayList<>();
        Random rnd = new Random(13);
        for (double margin : new double[] {-0.5, 0.0, 1.0}) {
            for (String red : REDUCTIONS) {
                for (int[] shape : new int[][] {{7}, {2, 3}}) {
                    int size = shape.length == 1 ? shape[0] : shape[0] * shape[1];
                    double[] x1 = new double[size];
                    double[] x2 = new double[size];
                    double[] y = new double[size];
                    int active;
                    do { // some terms active and some not
                        active = 0;
                        for (int i = 0; i < size; i++) {
                            do {
                                x1[i] = rnd.nextGaussian();
                                x2[i] = rnd.nextGaussian();
                                y[i] = rnd.nextBoolean() ? 1 : -1;
                            } while (Math.abs(margin - y[i] * (x1[i] - x2[i])) < KINK);
                            active += margin - y[i] * (x1[i] - x2[i]) > 0 ? 1 : 0;
                        }
                    } while (active == 0 || active == size);
                    Loss l = loss("margin_ranking", "margin", margin, "reduction", red);
                    Inputs in = Data.marginRanking(x1, x2, y, shape);
                    tests.add(DynamicTest.dynamicTest(l + " " + java.util.Arrays.toString(shape),
                            () -> check(l, in, "input1", "input2")));
                }
            }
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> cosineSimilarity() {
        List<DynamicTest> tests = new ArrayList<>();
        Random rnd = new Random(14);
        for (String red : REDUCTIONS) {
            for (int d : new int[] {1, 2, 5}) {
                int n = 6;
                Loss l = loss("cosine_similarity", "reduction", red);
                double[] x = normal(rnd, n * d);
                double[] y = normal(rnd, n * d);
                if (d == 1) {
                    // D = 1: cos = ±1, gradient 0 almost everywhere; keep the rows away from 0
                    for (int i = 0; i < n * d; i++) {
                        x[i] += Math.copySign(0.5, x[i]);
                    }
                    Inputs in = Data.cosine(x, y, n, d);
                    tests.add(DynamicTest.dynamicTest(l + " D=1", () -> GradCheck.gradients(l, in)));
                } else {
                    Inputs in = Data.cosine(x, y, n, d);
                    tests.add(DynamicTest.dynamicTest(l + " D=" + d, () -> check(l, in, "input")));
                }
            }
        }
        return tests;
    }

    /** Rows whose norm is below the 1e-12 clamp: the formula is then linear in x, x·y/(1e-12·‖y‖). */
    @Test
    void cosineSimilarityInsideTheNormClamp() {
        Random rnd = new Random(15);
        int n = 3;
        int d = 4;
        double[] x = normal(rnd, n * d);
        for (int i = 0; i < x.length; i++) {
            x[i] *= 1e-14;
        }
        double[] y = normal(rnd, n * d);
        Loss l = loss("cosine_similarity", "reduction", "sum");
        GradCheck.gradients(l, Data.cosine(x, y, n, d), 1e-17, 1e-6);
    }

    @TestFactory
    List<DynamicTest> ntXent() {
        List<DynamicTest> tests = new ArrayList<>();
        Random rnd = new Random(16);
        for (double tau : new double[] {0.1, 0.5, 2.0}) {
            for (String red : REDUCTIONS) {
                for (int n : new int[] {1, 2, 5}) {
                    int d = 3;
                    Loss l = loss("nt_xent", "temperature", tau, "reduction", red);
                    Inputs in = Data.ntXent(normal(rnd, n * d), normal(rnd, n * d), n, d);
                    if (n == 1) {
                        // one pair: the positive is the only candidate, the loss is 0 everywhere
                        tests.add(DynamicTest.dynamicTest(l + " N=1", () -> GradCheck.gradients(l, in)));
                    } else {
                        tests.add(DynamicTest.dynamicTest(l + " N=" + n, () -> check(l, in, "z1", "z2")));
                    }
                }
            }
        }
        return tests;
    }

    /** More anchors than one block of the kernel (2N = 74: blocks of 32, 32 and 10), against the full-matrix formula. */
    @Test
    void ntXentAcrossSeveralAnchorBlocks() {
        Random rnd = new Random(18);
        int n = 37;
        int d = 3;
        double tau = 0.3;
        double[] z1 = normal(rnd, n * d);
        double[] z2 = normal(rnd, n * d);
        Inputs in = Data.ntXent(z1, z2, n, d);
        double[] expected = Data.ntXentTerms(z1, z2, n, d, tau);
        double[] got = loss("nt_xent", "temperature", tau, "reduction", "none").value(in).terms().f64();
        for (int i = 0; i < expected.length; i++) {
            assertThat(got[i]).as("term %d", i).isCloseTo(expected[i],
                    org.assertj.core.data.Offset.offset(1e-12 * (1 + Math.abs(expected[i]))));
        }
        check(loss("nt_xent", "temperature", tau), in, "z1", "z2");
    }

    /** A float64 gradient into caller buffers equals the allocated one; float32 buffers too. */
    @Test
    void gradientBuffersAreFilledAndReturned() {
        Random rnd = new Random(17);
        Inputs in = tripletAwayFromKinks(rnd, 6, 4, 1.0, "euclidean", true);
        Loss l = loss("triplet", "swap", true);
        LossResult plain = l.compute(in);
        double[] buf = new double[24];
        java.util.Arrays.fill(buf, 42); // stale content must be overwritten, inactive rows included
        Tensor bt = Tensor.of(buf, 6, 4);
        LossResult r = l.compute(in.gradInto("anchor", bt));
        assertThat(r.grad("anchor")).isSameAs(bt);
        assertThat(buf).containsExactly(plain.grad("anchor").f64());

        Inputs in32 = Data.toFloat32(in);
        float[] fb = new float[24];
        java.util.Arrays.fill(fb, 42f);
        Tensor ft = Tensor.of(fb, 6, 4);
        LossResult r32 = l.compute(in32.gradInto("negative", ft));
        assertThat(r32.grad("negative")).isSameAs(ft);
        double[] g64 = plain.grad("negative").f64();
        for (int i = 0; i < fb.length; i++) {
            assertThat((double) fb[i]).isCloseTo(g64[i], org.assertj.core.data.Offset.offset(1e-5 * (1 + Math.abs(g64[i]))));
        }
    }
}
