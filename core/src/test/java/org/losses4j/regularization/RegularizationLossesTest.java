package org.losses4j.regularization;

import static org.losses4j.TestSupport.assertRefused;
import static org.losses4j.TestSupport.assertClose;
import static org.losses4j.TestSupport.widen;
import static org.losses4j.TestSupport.compare32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.losses4j.ErrorKind;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/**
 * l1, l2, elastic_net and uncertainty_weighting: finite-difference gradients over every option
 * value, closed forms, properties, extremes, NaN and refusals.
 */
class RegularizationLossesTest {
    static final int[][] SHAPES = {{}, {1}, {6}, {3, 4}, {2, 3, 2}};

    static Loss loss(String name, Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return Losses.create(name, m);
    }

    static int size(int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Gaussian values at least 0.05 away from 0 (the l1 kink). */
    static double[] weights(Random r, int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            double v = r.nextGaussian() * 2;
            w[i] = Math.abs(v) < 0.05 ? 0.3 : v;
        }
        return w;
    }

    static Inputs w(double[] w, int... shape) {
        return Inputs.of("weights", Tensor.of(w, shape));
    }

    static Inputs uw(double[] l, double[] s) {
        return Inputs.of("losses", Tensor.vector(l)).with("log_vars", Tensor.vector(s));
    }

    static void assertArrayClose(double[] got, double[] expected, double rel) {
        assertThat(got).hasSameSizeAs(expected);
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).as("element " + i).isCloseTo(expected[i], within(rel * (1 + Math.abs(expected[i]))));
        }
    }

    // ---------- finite differences ----------

    @Test
    void penaltyGradientsEveryOptionAndShape() {
        Random r = new Random(31);
        double[] lambdas = {0.0, 0.001, 1.0, 2.5};
        for (int[] shape : SHAPES) {
            for (double lambda : lambdas) {
                GradCheck.gradients(loss("l1", "lambda", lambda), w(weights(r, size(shape)), shape));
                GradCheck.gradients(loss("l2", "lambda", lambda), w(weights(r, size(shape)), shape));
                for (double l2 : lambdas) {
                    GradCheck.gradients(loss("elastic_net", "l1", lambda, "l2", l2), w(weights(r, size(shape)), shape));
                }
            }
        }
    }

    @Test
    void uncertaintyWeightingGradients() {
        Random r = new Random(32);
        for (int k : new int[] {1, 2, 5}) {
            for (double spread : new double[] {0.5, 3}) {
                double[] l = new double[k];
                double[] s = new double[k];
                for (int i = 0; i < k; i++) {
                    l[i] = r.nextGaussian() * 2;
                    s[i] = r.nextGaussian() * spread;
                }
                GradCheck.gradients(loss("uncertainty_weighting"), uw(l, s));
            }
        }
    }

    // ---------- closed forms and properties ----------

    @Property(tries = 60)
    void penaltiesMatchClosedForms(@ForAll long seed, @ForAll @IntRange(min = 0, max = 12) int n) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian() * 3;
        }
        double lambda = r.nextDouble() * 5;
        double abs = 0, sq = 0;
        double[] g1 = new double[n], g2 = new double[n];
        for (int i = 0; i < n; i++) {
            abs += Math.abs(v[i]);
            sq += v[i] * v[i];
            g1[i] = v[i] > 0 ? lambda : v[i] < 0 ? -lambda : 0;
            g2[i] = 2 * lambda * v[i];
        }
        LossResult l1 = loss("l1", "lambda", lambda).compute(w(v, n));
        LossResult l2 = loss("l2", "lambda", lambda).compute(w(v, n));
        assertClose(l1.value(), lambda * abs, 1e-13);
        assertClose(l2.value(), lambda * sq, 1e-13);
        assertArrayClose(l1.grad("weights").f64(), g1, 0);
        assertArrayClose(l2.grad("weights").f64(), g2, 1e-15);
    }

    /** elastic_net(λ1, λ2) = l1(λ1) + l2(λ2), value and gradient. */
    @Property(tries = 60)
    void elasticNetIsL1PlusL2(@ForAll long seed, @ForAll @IntRange(min = 1, max = 12) int n) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(5) == 0 ? 0.0 : r.nextGaussian() * 3;
        }
        double a = r.nextDouble() * 3;
        double b = r.nextDouble() * 3;
        LossResult en = loss("elastic_net", "l1", a, "l2", b).compute(w(v, n));
        LossResult p1 = loss("l1", "lambda", a).compute(w(v, n));
        LossResult p2 = loss("l2", "lambda", b).compute(w(v, n));
        assertClose(en.value(), p1.value() + p2.value(), 1e-14);
        double[] sum = new double[n];
        for (int i = 0; i < n; i++) {
            sum[i] = p1.grad("weights").f64()[i] + p2.grad("weights").f64()[i];
        }
        assertArrayClose(en.grad("weights").f64(), sum, 1e-15);
    }

    /** All three penalties are 0 with gradient 0 at w = 0 (l1: the catalog's subgradient 0). */
    @Test
    void zeroAtZeroWeights() {
        for (Loss l : new Loss[] {loss("l1", "lambda", 3.0), loss("l2", "lambda", 3.0), loss("elastic_net")}) {
            for (int[] shape : SHAPES) {
                LossResult res = l.compute(w(new double[size(shape)], shape));
                assertThat(res.value()).as(l.toString()).isZero();
                assertArrayClose(res.grad("weights").f64(), new double[size(shape)], 0);
                assertThat(res.grad("weights").shape()).containsExactly(shape);
            }
            LossResult empty = l.compute(w(new double[0], 0));
            assertThat(empty.value()).isZero();
        }
        // mixed: the zero entries get 0, the others ±λ
        LossResult mixed = loss("l1", "lambda", 0.5).compute(w(new double[] {0, -2, 0, 3}, 4));
        assertArrayClose(mixed.grad("weights").f64(), new double[] {0, -0.5, 0, 0.5}, 0);
        assertThat(mixed.value()).isEqualTo(2.5);
    }

    /** s = 0: the plain sum of the losses, ∂/∂L = 1, ∂/∂s = 1 − L. */
    @Property(tries = 60)
    void uncertaintyWithZeroLogVarsIsPlainSum(@ForAll long seed, @ForAll @IntRange(min = 0, max = 8) int k) {
        Random r = new Random(seed);
        double[] l = new double[k];
        double sum = 0;
        double[] ds = new double[k];
        double[] ones = new double[k];
        for (int i = 0; i < k; i++) {
            l[i] = r.nextGaussian() * 5;
            sum += l[i];
            ds[i] = 1 - l[i];
            ones[i] = 1;
        }
        LossResult res = loss("uncertainty_weighting").compute(uw(l, new double[k]));
        assertClose(res.value(), sum, 1e-14);
        assertArrayClose(res.grad("losses").f64(), ones, 0);
        assertArrayClose(res.grad("log_vars").f64(), ds, 1e-15);
    }

    @Property(tries = 60)
    void uncertaintyMatchesClosedForm(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int k) {
        Random r = new Random(seed);
        double[] l = new double[k];
        double[] s = new double[k];
        double e = 0;
        double[] dl = new double[k];
        double[] ds = new double[k];
        for (int i = 0; i < k; i++) {
            l[i] = Math.abs(r.nextGaussian() * 3);
            s[i] = r.nextGaussian() * 4;
            e += l[i] / Math.exp(s[i]) + s[i];
            dl[i] = 1 / Math.exp(s[i]);
            ds[i] = 1 - l[i] / Math.exp(s[i]);
        }
        LossResult res = loss("uncertainty_weighting").compute(uw(l, s));
        assertClose(res.value(), e, 1e-13);
        assertArrayClose(res.grad("losses").f64(), dl, 1e-14);
        assertArrayClose(res.grad("log_vars").f64(), ds, 1e-14);
    }

    /** exp(−s) overflows for s &lt; −709; the product with a zero or tiny loss stays exact. */
    @Test
    void uncertaintyExtremeLogVars() {
        LossResult res = loss("uncertainty_weighting").compute(uw(new double[] {0.0, 1e-300, 2.0}, new double[] {-800, -800, 800}));
        // 0·e^800 = 0; 1e-300·e^800 = e^(800 − 300 ln 10); 2·e^−800 + 800 = 800
        double mid = Math.exp(800 - 300 * Math.log(10));
        assertThat(mid).isFinite();
        assertClose(res.value(), (0 - 800) + (mid - 800) + 800, 1e-12);
        double[] ds = res.grad("log_vars").f64();
        assertThat(ds[0]).isEqualTo(1.0);
        assertClose(ds[1], 1 - mid, 1e-12);
        assertThat(ds[2]).isEqualTo(1.0);
        assertThat(res.grad("losses").f64()[0]).isInfinite(); // e^800: the honest weight
        assertThat(res.grad("losses").f64()[2]).isZero();
    }

    // ---------- NaN, float32 ----------

    @Test
    void nanPropagates() {
        double[] nan = {1, Double.NaN, -2};
        for (Loss l : new Loss[] {loss("l1"), loss("l2"), loss("elastic_net")}) {
            assertThat(l.compute(w(nan, 3)).value()).as(l.toString()).isNaN();
        }
        assertThat(loss("uncertainty_weighting").compute(uw(nan, new double[3])).value()).isNaN();
        assertThat(loss("uncertainty_weighting").compute(uw(new double[3], nan)).value()).isNaN();
        // s = NaN with a zero loss: still NaN (the s term itself)
        assertThat(loss("uncertainty_weighting").compute(uw(new double[] {0}, new double[] {Double.NaN})).value()).isNaN();
    }

    @Property(tries = 30)
    void float32WithinTolOfFloat64(@ForAll long seed) {
        Random r = new Random(seed);
        float[] f = new float[12];
        double[] d = new double[12];
        for (int i = 0; i < 12; i++) {
            f[i] = (float) (r.nextGaussian() * 2);
            d[i] = f[i];
        }
        for (Loss l : new Loss[] {loss("l1", "lambda", 0.3), loss("l2", "lambda", 0.3), loss("elastic_net", "l1", 0.2)}) {
            compare32(l.compute(Inputs.of("weights", Tensor.of(f, 3, 4))), l.compute(w(d, 3, 4)));
        }
        float[] s = new float[4];
        float[] lv = new float[4];
        for (int i = 0; i < 4; i++) {
            s[i] = (float) r.nextGaussian();
            lv[i] = Math.abs((float) r.nextGaussian());
        }
        Loss u = loss("uncertainty_weighting");
        compare32(u.compute(Inputs.of("losses", Tensor.vector(lv)).with("log_vars", Tensor.vector(s))),
                u.compute(uw(widen(lv), widen(s))));
    }

    // ---------- gradient buffers ----------

    @Test
    void writesIntoCallerBuffer() {
        double[] buf = {9, 9, 9};
        LossResult res = loss("l2", "lambda", 0.5).compute(w(new double[] {1, -2, 3}, 3).gradInto("weights", Tensor.vector(buf)));
        assertThat(res.grad("weights").f64()).isSameAs(buf);
        assertArrayClose(buf, new double[] {1, -2, 3}, 0);
    }

    /** The examples in the classes' Javadoc, with their stated numbers. */
    @Test
    void javadocExamples() {
        Inputs v = w(new double[] {1, -2, 0}, 3);
        assertClose(L1.builder().set(L1.LAMBDA, 0.5).build().compute(v).value(), 1.5, 1e-15);
        assertClose(L2.builder().set(L2.LAMBDA, 0.5).build().compute(v).value(), 2.5, 1e-15);
        assertClose(ElasticNet.builder().set(ElasticNet.L1, 0.1).set(ElasticNet.L2, 0.01).build()
                .compute(w(new double[] {1, -2}, 2)).value(), 0.35, 1e-15);
        LossResult r = loss("uncertainty_weighting").compute(uw(new double[] {0.8, 2.5}, new double[] {0.0, 1.0}));
        assertClose(r.value(), 0.8 + 2.5 * Math.exp(-1) + 1, 1e-15);
        assertArrayClose(r.grad("log_vars").f64(), new double[] {1 - 0.8, 1 - 2.5 * Math.exp(-1)}, 1e-15);
    }

    // ---------- refusals ----------

    @Test
    void refusals() {
        assertRefused(() -> loss("l1", "lambda", -0.1), ErrorKind.INVALID_OPTION, "option lambda = -0.1 must be in [0, 1e15]");
        assertRefused(() -> loss("l2", "lambda", "strong"), ErrorKind.INVALID_OPTION, "option lambda = 'strong' is not a number");
        assertRefused(() -> loss("elastic_net", "l2", -1.0), ErrorKind.INVALID_OPTION, "option l2 = -1.0 must be in [0, 1e15]");
        assertRefused(() -> loss("elastic_net", "lambda", 1.0), ErrorKind.UNKNOWN_OPTION, "has no option 'lambda'");
        assertRefused(() -> loss("l1", "reduction", "mean"), ErrorKind.UNKNOWN_OPTION, "has no option 'reduction'");
        assertRefused(() -> loss("l1").compute(Inputs.of("input", Tensor.vector(new double[] {1}))), ErrorKind.MISSING_INPUT,
                "has no input 'input'");
        assertRefused(() -> loss("uncertainty_weighting").compute(uw(new double[3], new double[1])), ErrorKind.SHAPE_MISMATCH,
                "log_vars shape [1] != losses shape [3]");
        assertRefused(() -> loss("uncertainty_weighting").compute(Inputs.of("losses", Tensor.of(new double[4], 2, 2))
                .with("log_vars", Tensor.of(new double[4], 2, 2))), ErrorKind.SHAPE_MISMATCH, "losses must have rank 1");
        assertRefused(() -> loss("uncertainty_weighting", "beta", 1.0), ErrorKind.UNKNOWN_OPTION, "(it takes none)");
    }

    @Test
    void registeredInCatalogOrder() {
        assertThat(RegularizationLosses.all()).extracting(i -> i.name())
                .containsExactly("l1", "l2", "elastic_net", "uncertainty_weighting");
    }
}
