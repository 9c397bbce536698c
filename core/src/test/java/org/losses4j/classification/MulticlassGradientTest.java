package org.losses4j.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
 * nll, categorical_cross_entropy, sparse_categorical_cross_entropy, softmax_focal,
 * poly1_cross_entropy, generalized_cross_entropy, categorical_hinge, multiclass_hinge, multi_margin
 * and zero_one over every option combination: the value against
 * the catalog formula (evaluated naively) and the gradient against central finite differences,
 * on random inputs kept away from the kinks.
 */
class MulticlassGradientTest {
    private static final String[] REDUCTIONS = {"mean", "sum", "none"};

    private static Map<String, Object> opts(String red, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reduction", red);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Value (reduced and unreduced) against the reference, then finite differences. */
    private static void check(Loss loss, Inputs in, Ref ref, String red, int[] termShape) {
        LossResult r = loss.compute(in);
        double e = ref.reduced(red);
        assertThat(r.value()).as("value").isCloseTo(e, within(1e-12 * (1 + Math.abs(e))));
        if ("none".equals(red) && termShape.length > 0) {
            assertThat(r.terms().shape()).containsExactly(termShape);
            double[] t = r.terms().f64();
            for (int i = 0; i < t.length; i++) {
                assertThat(t[i]).as("term %d", i).isCloseTo(ref.terms[i], within(1e-12 * (1 + Math.abs(ref.terms[i]))));
            }
        }
        GradCheck.gradients(loss, in);
    }

    @TestFactory
    Stream<DynamicTest> nll() {
        List<DynamicTest> tests = new ArrayList<>();
        long seed = 1;
        for (int[] shape : new int[][] {{5, 4}, {2, 3, 2, 2}, {4}}) {
            for (String red : REDUCTIONS) {
                for (boolean weighted : new boolean[] {false, true}) {
                    for (long ignore : new long[] {-100, -1, 2}) {
                        if (shape.length == 1 && ignore != -100) {
                            continue;
                        }
                        long s = seed++;
                        tests.add(DynamicTest.dynamicTest(Arrays.toString(shape) + " " + red + (weighted ? " weighted" : "")
                                + " ignore_index=" + ignore, () -> {
                                    Random rnd = new Random(s);
                                    int[] l = MulticlassReference.ncs(shape);
                                    int[] ts = MulticlassReference.termShape(shape);
                                    double[] x = MulticlassReference.logSoftmax(
                                            MulticlassReference.uniform(rnd, MulticlassReference.size(shape), -3, 3), shape);
                                    long[] y = MulticlassReference.labels(rnd, l[0] * l[2], l[1]);
                                    if (ignore != -100) {
                                        y[0] = ignore;
                                        y[y.length - 1] = (ignore + 1 + l[1]) % l[1];
                                    }
                                    double[] w = weighted ? MulticlassReference.uniform(rnd, l[1], 0.3, 2) : null;
                                    Loss loss = Losses.create("nll", opts(red, "ignore_index", ignore));
                                    Inputs in = Inputs.of(Tensor.of(x, shape), Tensor.ofLabels(y, ts)).with("weight",
                                            w == null ? null : Tensor.vector(w));
                                    check(loss, in, MulticlassReference.nll(x, shape, y, w, ignore), red, ts);
                                }));
                    }
                }
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> categoricalCrossEntropy() {
        List<DynamicTest> tests = new ArrayList<>();
        long seed = 100;
        for (String red : REDUCTIONS) {
            for (boolean oneHot : new boolean[] {false, true}) {
                long s = seed++;
                tests.add(DynamicTest.dynamicTest(red + (oneHot ? " one-hot" : " soft"), () -> {
                    Random rnd = new Random(s);
                    int n = 4;
                    int c = 5;
                    double[] p = MulticlassReference.uniform(rnd, n * c, 0.05, 1); // rows not normalised
                    double[] y = oneHot ? new double[n * c] : MulticlassReference.distributions(rnd, new int[] {n, c});
                    if (oneHot) {
                        for (int r = 0; r < n; r++) {
                            y[r * c + rnd.nextInt(c)] = 1;
                        }
                    }
                    Loss loss = Losses.create("categorical_cross_entropy", opts(red));
                    Inputs in = Inputs.of(Tensor.of(p, n, c), Tensor.of(y, n, c));
                    check(loss, in, MulticlassReference.categorical(p, y, n, c), red, new int[] {n});
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> sparseCategoricalCrossEntropy() {
        List<DynamicTest> tests = new ArrayList<>();
        long seed = 200;
        for (String red : REDUCTIONS) {
            long s = seed++;
            tests.add(DynamicTest.dynamicTest(red, () -> {
                Random rnd = new Random(s);
                int n = 5;
                int c = 4;
                double[] p = MulticlassReference.uniform(rnd, n * c, 0.05, 1);
                long[] y = MulticlassReference.labels(rnd, n, c);
                double[] onehot = new double[n * c];
                for (int r = 0; r < n; r++) {
                    onehot[r * c + (int) y[r]] = 1;
                }
                Loss loss = Losses.create("sparse_categorical_cross_entropy", opts(red));
                check(loss, Inputs.of(Tensor.of(p, n, c), Tensor.labels(y)),
                        MulticlassReference.categorical(p, onehot, n, c), red, new int[] {n});
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> softmaxFocal() {
        List<DynamicTest> tests = new ArrayList<>();
        long seed = 300;
        for (String red : REDUCTIONS) {
            for (double gamma : new double[] {0, 0.5, 1, 2, 3.5}) {
                for (boolean withAlpha : new boolean[] {false, true}) {
                    long s = seed++;
                    tests.add(DynamicTest.dynamicTest(red + " gamma=" + gamma + (withAlpha ? " alpha" : ""), () -> {
                        Random rnd = new Random(s);
                        int n = 5;
                        int c = 4;
                        double[] x = MulticlassReference.uniform(rnd, n * c, -3, 3);
                        long[] y = MulticlassReference.labels(rnd, n, c);
                        double[] alpha = withAlpha ? MulticlassReference.uniform(rnd, c, 0.1, 1) : null;
                        Loss loss = Losses.create("softmax_focal", opts(red, "gamma", gamma));
                        Inputs in = Inputs.of(Tensor.of(x, n, c), Tensor.labels(y)).with("alpha",
                                alpha == null ? null : Tensor.vector(alpha));
                        check(loss, in, MulticlassReference.softmaxFocal(x, n, c, y, alpha, gamma), red, new int[] {n});
                    }));
                }
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> poly1AndGeneralizedCrossEntropy() {
        List<DynamicTest> tests = new ArrayList<>();
        long seed = 350;
        for (String red : REDUCTIONS) {
            for (double eps : new double[] {-1, 0, 1, 2.5}) {
                long s = seed++;
                tests.add(DynamicTest.dynamicTest("poly1 " + red + " epsilon=" + eps, () -> {
                    Random rnd = new Random(s);
                    double[] x = MulticlassReference.uniform(rnd, 20, -3, 3);
                    long[] y = MulticlassReference.labels(rnd, 5, 4);
                    check(Losses.create("poly1_cross_entropy", opts(red, "epsilon", eps)), Inputs.of(Tensor.of(x, 5, 4),
                            Tensor.labels(y)), MulticlassReference.poly1(x, 5, 4, y, eps), red, new int[] {5});
                }));
            }
            for (double q : new double[] {0.1, 0.7, 1}) {
                long s = seed++;
                tests.add(DynamicTest.dynamicTest("generalized_cross_entropy " + red + " q=" + q, () -> {
                    Random rnd = new Random(s);
                    double[] x = MulticlassReference.uniform(rnd, 20, -3, 3);
                    long[] y = MulticlassReference.labels(rnd, 5, 4);
                    check(Losses.create("generalized_cross_entropy", opts(red, "q", q)), Inputs.of(Tensor.of(x, 5, 4),
                            Tensor.labels(y)), MulticlassReference.generalizedCrossEntropy(x, 5, 4, y, q), red,
                            new int[] {5});
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> categoricalHinge() {
        List<DynamicTest> tests = new ArrayList<>();
        long seed = 450;
        for (String red : REDUCTIONS) {
            for (boolean soft : new boolean[] {false, true}) {
                long s = seed++;
                tests.add(DynamicTest.dynamicTest(red + (soft ? " soft" : " one-hot"), () -> {
                    Inputs in = CategoricalHingeTest.data(new Random(s), 6, 4, soft);
                    check(Losses.create("categorical_hinge", opts(red)), in, MulticlassReference.categoricalHinge(
                            in.get("input").f64(), in.get("target").f64(), 6, 4), red, new int[] {6});
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> multiclassHinge() {
        List<DynamicTest> tests = new ArrayList<>();
        long seed = 400;
        for (String red : REDUCTIONS) {
            for (double margin : new double[] {0, 0.5, 1, 2}) {
                for (int c : new int[] {2, 5}) {
                    long s = seed++;
                    tests.add(DynamicTest.dynamicTest(red + " margin=" + margin + " C=" + c, () -> {
                        Random rnd = new Random(s);
                        int n = 8;
                        long[] y = MulticlassReference.labels(rnd, n, c);
                        double[] x = awayFromHingeKinks(rnd, n, c, y, margin);
                        Loss loss = Losses.create("multiclass_hinge", opts(red, "margin", margin));
                        check(loss, Inputs.of(Tensor.of(x, n, c), Tensor.labels(y)),
                                MulticlassReference.multiclassHinge(x, n, c, y, margin), red, new int[] {n});
                    }));
                }
            }
        }
        return tests.stream();
    }

    /** Scores with distinct wrong-class maxima and margin + max_{j≠y} x_j − x_y at least 0.05 from 0; both signs occur. */
    private static double[] awayFromHingeKinks(Random rnd, int n, int c, long[] y, double margin) {
        double[] x = new double[n * c];
        for (int r = 0; r < n; r++) {
            while (true) {
                double best = Double.NEGATIVE_INFINITY;
                double second = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < c; k++) {
                    x[r * c + k] = rnd.nextDouble() * 4 - 2;
                    if (k != y[r]) {
                        double v = x[r * c + k];
                        if (v > best) {
                            second = best;
                            best = v;
                        } else if (v > second) {
                            second = v;
                        }
                    }
                }
                double slack = margin + best - x[r * c + (int) y[r]];
                if (Math.abs(slack) > 0.05 && best - second > 0.05) {
                    break;
                }
            }
        }
        return x;
    }

    @TestFactory
    Stream<DynamicTest> multiMargin() {
        List<DynamicTest> tests = new ArrayList<>();
        long seed = 500;
        for (String red : REDUCTIONS) {
            for (int p : new int[] {1, 2}) {
                for (double margin : new double[] {0, 0.5, 1, 2}) {
                    for (boolean weighted : new boolean[] {false, true}) {
                        long s = seed++;
                        tests.add(DynamicTest.dynamicTest(red + " p=" + p + " margin=" + margin + (weighted ? " weighted" : ""),
                                () -> {
                                    Random rnd = new Random(s);
                                    int n = 6;
                                    int c = 4;
                                    long[] y = MulticlassReference.labels(rnd, n, c);
                                    double[] x = awayFromMarginKinks(rnd, n, c, y, margin);
                                    double[] w = weighted ? MulticlassReference.uniform(rnd, c, 0.3, 2) : null;
                                    Loss loss = Losses.create("multi_margin", opts(red, "p", p, "margin", margin));
                                    Inputs in = Inputs.of(Tensor.of(x, n, c), Tensor.labels(y)).with("weight",
                                            w == null ? null : Tensor.vector(w));
                                    check(loss, in, MulticlassReference.multiMargin(x, n, c, y, w, p, margin), red,
                                            new int[] {n});
                                }));
                    }
                }
            }
        }
        return tests.stream();
    }

    /** Scores with every margin − x_y + x_j at least 0.05 away from 0. */
    private static double[] awayFromMarginKinks(Random rnd, int n, int c, long[] y, double margin) {
        double[] x = new double[n * c];
        for (int r = 0; r < n; r++) {
            boolean ok = false;
            while (!ok) {
                ok = true;
                for (int k = 0; k < c; k++) {
                    x[r * c + k] = rnd.nextDouble() * 4 - 2;
                }
                for (int k = 0; k < c; k++) {
                    if (k != y[r] && Math.abs(margin - x[r * c + (int) y[r]] + x[r * c + k]) < 0.05) {
                        ok = false;
                    }
                }
            }
        }
        return x;
    }

    /** zero_one: the (zero) gradient agrees with finite differences away from the decision boundaries. */
    @TestFactory
    Stream<DynamicTest> zeroOne() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String red : REDUCTIONS) {
            tests.add(DynamicTest.dynamicTest("binary " + red, () -> {
                Random rnd = new Random(600);
                double[] x = new double[12];
                double[] y = new double[12];
                int errors = 0;
                for (int i = 0; i < x.length; i++) {
                    x[i] = (0.1 + rnd.nextDouble()) * (rnd.nextBoolean() ? 1 : -1);
                    y[i] = rnd.nextBoolean() ? 1 : -1;
                    errors += y[i] * x[i] <= 0 ? 1 : 0;
                }
                Loss loss = Losses.create("zero_one", opts(red));
                Inputs in = Inputs.of(Tensor.of(x, 3, 4), Tensor.of(y, 3, 4));
                LossResult r = loss.compute(in);
                assertThat(r.value()).isCloseTo("mean".equals(red) ? errors / 12.0 : errors, within(1e-15));
                MulticlassReference.assertAllZero(r.grad().f64());
                GradCheck.gradients(loss, in);
            }));
            tests.add(DynamicTest.dynamicTest("multiclass " + red, () -> {
                Random rnd = new Random(601);
                int n = 10;
                int c = 4;
                long[] y = MulticlassReference.labels(rnd, n, c);
                double[] x = new double[n * c];
                int errors = 0;
                for (int r = 0; r < n; r++) {
                    for (int k = 0; k < c; k++) {
                        x[r * c + k] = k * 0.5 + rnd.nextDouble() * 0.3; // maxima separated by ≥ 0.2
                    }
                    // shuffle a row by swapping the max into a random place
                    int to = rnd.nextInt(c);
                    double t = x[r * c + to];
                    x[r * c + to] = x[r * c + c - 1];
                    x[r * c + c - 1] = t;
                    errors += to == y[r] ? 0 : 1;
                }
                Loss loss = Losses.create("zero_one", opts(red));
                Inputs in = Inputs.of(Tensor.of(x, n, c), Tensor.labels(y));
                LossResult r = loss.compute(in);
                assertThat(r.value()).isCloseTo("mean".equals(red) ? errors / (double) n : errors, within(1e-15));
                MulticlassReference.assertAllZero(r.grad().f64());
                GradCheck.gradients(loss, in);
            }));
        }
        return tests.stream();
    }
}
