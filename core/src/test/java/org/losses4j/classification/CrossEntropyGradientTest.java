package org.losses4j.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;
import org.losses4j.classification.MulticlassReference.Ref;

/**
 * cross_entropy over every option combination: each reduction, with and without class
 * weights, with ignored targets (ignore_index negative and naming a real class), label
 * smoothing 0 / 0.1 / 1, z_loss 0 / 0.3, layouts [N, C], [N, C, d1, d2] and [C], index and probability
 * targets. Each combination checks the value (and the unreduced terms) against the catalog
 * formula evaluated naively, and the gradient against central finite differences.
 */
class CrossEntropyGradientTest {
    private static final int[][] LAYOUTS = {{4, 5}, {2, 3, 2, 2}, {4}};
    private static final String[] REDUCTIONS = {"mean", "sum", "none"};
    private static final double[] SMOOTHING = {0.0, 0.1, 1.0};
    /** No ignored target (default −100), ignore_index −1 present, ignore_index naming class 1. */
    private static final long[] IGNORES = {-100, -1, 1};
    private static final double[] Z_LOSS = {0.0, 0.3};

    @TestFactory
    Stream<DynamicTest> indexTargets() {
        List<DynamicTest> tests = new ArrayList<>();
        long seed = 11;
        for (int[] shape : LAYOUTS) {
            for (String red : REDUCTIONS) {
                for (boolean weighted : new boolean[] {false, true}) {
                    for (long ignore : IGNORES) {
                        if (shape.length == 1 && ignore != -100) {
                            continue; // a single term: ignoring it is the all-ignored case (see the extremes test)
                        }
                        for (double eps : SMOOTHING) {
                            for (double z : Z_LOSS) {
                                long s = seed++;
                                String name = Arrays.toString(shape) + " " + red + (weighted ? " weighted" : "")
                                        + " ignore_index=" + ignore + " label_smoothing=" + eps + " z_loss=" + z;
                                tests.add(DynamicTest.dynamicTest(name,
                                        () -> checkIndex(shape, red, weighted, ignore, eps, z, s)));
                            }
                        }
                    }
                }
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> probabilityTargets() {
        List<DynamicTest> tests = new ArrayList<>();
        long seed = 1000;
        for (int[] shape : LAYOUTS) {
            for (String red : REDUCTIONS) {
                for (boolean weighted : new boolean[] {false, true}) {
                    for (double eps : new double[] {0.0, 0.2, 1.0}) {
                        for (boolean normalised : new boolean[] {true, false}) {
                            double z = normalised ? 0.0 : 0.3;
                            long s = seed++;
                            String name = Arrays.toString(shape) + " " + red + (weighted ? " weighted" : "")
                                    + " label_smoothing=" + eps + (normalised ? "" : " unnormalised target")
                                    + " z_loss=" + z;
                            tests.add(DynamicTest.dynamicTest(name,
                                    () -> checkProb(shape, red, weighted, eps, normalised, z, s)));
                        }
                    }
                }
            }
        }
        return tests.stream();
    }

    private static void checkIndex(int[] shape, String red, boolean weighted, long ignore, double eps, double z,
            long seed) {
        Random rnd = new Random(seed);
        int[] l = MulticlassReference.ncs(shape);
        int[] ts = MulticlassReference.termShape(shape);
        double[] x = MulticlassReference.uniform(rnd, MulticlassReference.size(shape), -3, 3);
        long[] y = MulticlassReference.labels(rnd, l[0] * l[2], l[1]);
        if (ignore == -100) {
            // the default: no target is ignored
        } else if (ignore < 0) {
            y[0] = ignore;
            y[y.length - 1] = ignore;
        } else {
            y[0] = ignore; // a real class, ignored
            y[y.length - 1] = (ignore + 1) % l[1];
        }
        double[] w = weighted ? MulticlassReference.uniform(rnd, l[1], 0.3, 2.0) : null;
        Map<String, Object> opts = options(red, ignore, eps);
        opts.put("z_loss", z);
        Loss loss = Losses.create("cross_entropy", opts);
        Inputs in = Inputs.of(Tensor.of(x, shape), Tensor.ofLabels(y, ts)).with("weight", w == null ? null
                : Tensor.vector(w));
        Ref ref = MulticlassReference.withZLoss(MulticlassReference.crossEntropyIndex(x, shape, y, w, ignore, eps),
                x, shape, y, w, ignore, z);
        checkValue(loss, in, ref, red, ts);
        GradCheck.gradients(loss, in);
        // ignored terms get no gradient at all
        double[] g = loss.compute(in).grad().f64();
        for (int t = 0; t < y.length; t++) {
            if (y[t] == ignore) {
                int base = (t / l[2]) * l[1] * l[2] + t % l[2];
                for (int c = 0; c < l[1]; c++) {
                    assertThat(g[base + c * l[2]]).isZero();
                }
            }
        }
    }

    private static void checkProb(int[] shape, String red, boolean weighted, double eps, boolean normalised,
            double z, long seed) {
        Random rnd = new Random(seed);
        int[] l = MulticlassReference.ncs(shape);
        int[] ts = MulticlassReference.termShape(shape);
        int n = MulticlassReference.size(shape);
        double[] x = MulticlassReference.uniform(rnd, n, -3, 3);
        double[] y = normalised ? MulticlassReference.distributions(rnd, shape)
                : MulticlassReference.uniform(rnd, n, 0, 1);
        double[] w = weighted ? MulticlassReference.uniform(rnd, l[1], 0.3, 2.0) : null;
        Map<String, Object> opts = options(red, -100, eps);
        opts.put("z_loss", z);
        Loss loss = Losses.create("cross_entropy", opts);
        Inputs in = Inputs.of(Tensor.of(x, shape), Tensor.of(y, shape)).with("weight", w == null ? null
                : Tensor.vector(w));
        Ref ref = MulticlassReference.withZLoss(MulticlassReference.crossEntropyProb(x, shape, y, w, eps),
                x, shape, null, w, -100, z);
        checkValue(loss, in, ref, red, ts);
        GradCheck.gradients(loss, in);
    }

    static Map<String, Object> options(String red, long ignore, double eps) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("reduction", red);
        o.put("ignore_index", ignore);
        o.put("label_smoothing", eps);
        return o;
    }

    private static void checkValue(Loss loss, Inputs in, Ref ref, String red, int[] termShape) {
        LossResult r = loss.compute(in);
        double expected = ref.reduced(red);
        assertThat(r.value()).as("value").isCloseTo(expected, within(1e-12 * (1 + Math.abs(expected))));
        if ("none".equals(red) && termShape.length > 0) {
            assertThat(r.isUnreduced()).isTrue();
            assertArrayEquals(termShape, r.terms().shape());
            double[] got = r.terms().f64();
            for (int i = 0; i < got.length; i++) {
                assertThat(got[i]).as("term %d", i).isCloseTo(ref.terms[i], within(1e-12 * (1 + Math.abs(ref.terms[i]))));
            }
        } else {
            assertThat(r.isUnreduced()).isFalse();
        }
    }
}
