package org.losses4j.preference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.losses4j.TestSupport.assertClose;
import static org.losses4j.TestSupport.assertRefused;
import static org.losses4j.TestSupport.compare32;
import static org.losses4j.TestSupport.widen;
import static org.losses4j.preference.PreferenceLossesTest.dpo;
import static org.losses4j.preference.PreferenceLossesTest.loss;
import static org.losses4j.preference.PreferenceLossesTest.normal;
import static org.losses4j.preference.PreferenceLossesTest.toFloat;

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
import org.losses4j.Tensor;

/**
 * dpo's TRL loss types beyond sigmoid/hinge/ipo (issue 18): finite differences over every type
 * and option, closed forms written here from TRL's definitions, properties (sum = N·mean, the
 * chosen/rejected swap symmetries, label_smoothing 0 as the plain form, aot's invariance to the
 * order of the batch), ±1e4 margins, NaN, refusals.
 */
class DpoLossTypesTest {
    static final String[] NEW_TYPES = {"exo_pair", "nca_pair", "robust", "bco_pair", "sppo_hard", "aot",
        "aot_unpaired", "apo_zero", "apo_down"};
    static final String[] REDUCTIONS = {"mean", "sum", "none"};

    static double sp(double z) {
        return Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0);
    }

    static double sig(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** TRL's per-pair term of the per-sample types, from c = πc − refc and r = πr − refr (|βc|, |βr| &lt; 700). */
    static double term(String type, double c, double r, double b, double ls, double delta) {
        double z = b * (c - r);
        switch (type) {
            case "exo_pair": {
                double e = ls == 0 ? 1e-3 : ls;
                return sig(z) * (-sp(-z) - Math.log(1 - e)) + sig(-z) * (-sp(z) - Math.log(e));
            }
            case "nca_pair":
                return sp(-b * c) + 0.5 * sp(b * c) + 0.5 * sp(b * r);
            case "robust":
                return ((1 - ls) * sp(-z) - ls * sp(z)) / (1 - 2 * ls);
            case "bco_pair":
                return sp(-(b * c - delta)) + sp(b * r - delta);
            case "sppo_hard":
                return Math.pow(c - 0.5 / b, 2) + Math.pow(r + 0.5 / b, 2);
            case "apo_zero":
                return 1 - sig(b * c) + sig(b * r);
            case "apo_down":
                return sig(b * c) + 1 - sig(z);
            default:
                throw new IllegalArgumentException(type);
        }
    }

    static double value(Loss l, Inputs in) {
        return l.value(in).value();
    }

    /** Every new type × reduction × label_smoothing × β (and bco_delta for bco_pair). */
    @Test
    void gradientsEveryTypeAndOption() {
        Random r = new Random(180);
        for (String type : NEW_TYPES) {
            for (String red : REDUCTIONS) {
                for (double ls : new double[] {0.0, 0.2, 0.45}) {
                    for (double beta : new double[] {0.1, 1.0, 3.0}) {
                        for (double delta : type.equals("bco_pair") ? new double[] {0, 0.8, -2} : new double[] {0}) {
                            int n = 5;
                            Inputs in = dpo(normal(r, n, 2, -10), normal(r, n, 2, -10), normal(r, n, 2, -10),
                                    normal(r, n, 2, -10));
                            GradCheck.gradients(loss("dpo", "loss_type", type, "reduction", red, "label_smoothing", ls,
                                    "beta", beta, "bco_delta", delta), in);
                        }
                    }
                }
            }
        }
    }

    @Property(tries = 40)
    void perSampleTypesMatchTrlsDefinitions(@ForAll long seed, @ForAll @IntRange(min = 1, max = 9) int n) {
        Random r = new Random(seed);
        double beta = 0.05 + r.nextDouble() * 2;
        double ls = r.nextDouble() * 0.49;
        double delta = r.nextGaussian();
        double[] pc = normal(r, n, 3, -20);
        double[] pr = normal(r, n, 3, -20);
        double[] rc = normal(r, n, 3, -20);
        double[] rr = normal(r, n, 3, -20);
        Inputs in = dpo(pc, pr, rc, rr);
        for (String type : new String[] {"exo_pair", "nca_pair", "robust", "bco_pair", "sppo_hard", "apo_zero",
            "apo_down"}) {
            double e = 0;
            for (int i = 0; i < n; i++) {
                e += term(type, pc[i] - rc[i], pr[i] - rr[i], beta, ls, delta) / n;
            }
            double got = value(loss("dpo", "loss_type", type, "beta", beta, "label_smoothing", ls, "bco_delta", delta),
                    in);
            assertThat(got).as(type).isCloseTo(e, within(1e-12 * (1 + Math.abs(e))));
        }
    }

    /** aot: the sigmoid term of the k-th smallest πc − πr against the k-th smallest refc − refr. */
    @Test
    void aotSortsBothLogRatios() {
        double[] pc = {-1, -5, -2};
        double[] pr = {-3, -1, -2};     // πc − πr = 2, −4, 0 → sorted −4, 0, 2
        double[] rc = {-2, -2, -7};
        double[] rr = {-1, -4, -2};     // refc − refr = −1, 2, −5 → sorted −5, −1, 2
        LossResult res = loss("dpo", "loss_type", "aot", "beta", 1.0, "reduction", "none").compute(dpo(pc, pr, rc, rr));
        assertThat(res.terms().f64()).containsExactly(new double[] {sp(-1), sp(-1), sp(0)}, within(1e-15));
        // rank 0 is sample 1, rank 1 sample 2, rank 2 sample 0: dℓ/dδ = −σ(−δ)
        assertThat(res.grad("policy_chosen_logps").f64()).containsExactly(new double[] {-sig(0), -sig(-1), -sig(-1)},
                within(1e-15));
        assertThat(res.grad("policy_rejected_logps").f64()).containsExactly(new double[] {sig(0), sig(-1), sig(-1)},
                within(1e-15));
        // aot_unpaired: sorted c = πc − refc = 1, −3, 5 → −3, 1, 5 against r = πr − refr = −2, 3, 0 → −2, 0, 3
        LossResult u = loss("dpo", "loss_type", "aot_unpaired", "beta", 1.0, "reduction", "none")
                .compute(dpo(pc, pr, rc, rr));
        assertThat(u.terms().f64()).containsExactly(new double[] {sp(1), sp(-1), sp(-2)}, within(1e-15));
        // chosen: rank 0 is sample 1, rank 1 sample 0, rank 2 sample 2; rejected: rank 0 sample 0, 1 sample 2, 2 sample 1
        assertThat(u.grad("policy_chosen_logps").f64()).containsExactly(new double[] {-sig(-1), -sig(1), -sig(-2)},
                within(1e-15));
        assertThat(u.grad("policy_rejected_logps").f64()).containsExactly(new double[] {sig(1), sig(-2), sig(-1)},
                within(1e-15));
    }

    /** A tie keeps the samples' order (stable sort): the earlier sample takes the lower rank. */
    @Test
    void aotTiesKeepTheSamplesOrder() {
        double[] pc = {-1, -1, -4};
        double[] pr = {-2, -2, -1};     // πc − πr = 1, 1, −3: samples 0 and 1 tie
        double[] rc = {-1, -1, -1};
        double[] rr = {-1, -3, -1.5};   // refc − refr = 0, 2, 0.5 → sorted 0, 0.5, 2
        LossResult res = loss("dpo", "loss_type", "aot", "beta", 1.0, "reduction", "none").compute(dpo(pc, pr, rc, rr));
        // ranks: sample 2 (−3), sample 0 (1), sample 1 (1); δ = −3, 0.5, −1
        assertThat(res.grad("policy_chosen_logps").f64()).containsExactly(new double[] {-sig(-0.5), -sig(1),
            -sig(3)}, within(1e-15));
    }

    /** Swapping chosen and rejected: sigmoid-like types mirror label_smoothing; apo_zero becomes 2 − itself. */
    @Property(tries = 40)
    void swapSymmetries(@ForAll long seed, @ForAll @IntRange(min = 1, max = 9) int n) {
        Random r = new Random(seed);
        double beta = 0.05 + r.nextDouble() * 2;
        double ls = 0.01 + r.nextDouble() * 0.98;
        double[] pc = normal(r, n, 3, -20);
        double[] pr = normal(r, n, 3, -20);
        double[] rc = normal(r, n, 3, -20);
        double[] rr = normal(r, n, 3, -20);
        Inputs in = dpo(pc, pr, rc, rr);
        Inputs swapped = dpo(pr, pc, rr, rc);
        for (String type : new String[] {"sigmoid", "exo_pair", "aot", "aot_unpaired"}) {
            double a = value(loss("dpo", "loss_type", type, "beta", beta, "label_smoothing", ls), in);
            double b = value(loss("dpo", "loss_type", type, "beta", beta, "label_smoothing", 1 - ls), swapped);
            assertThat(b).as(type).isCloseTo(a, within(1e-12 * (1 + Math.abs(a))));
        }
        double z = value(loss("dpo", "loss_type", "apo_zero", "beta", beta), in);
        assertClose(value(loss("dpo", "loss_type", "apo_zero", "beta", beta), swapped), 2 - z, 1e-13);
    }

    /** label_smoothing 0: robust, aot and exo_pair's limit are the plain forms; types that ignore it ignore it. */
    @Property(tries = 30)
    void labelSmoothingZeroIsPlain(@ForAll long seed, @ForAll @IntRange(min = 1, max = 9) int n) {
        Random r = new Random(seed);
        double beta = 0.05 + r.nextDouble() * 2;
        Inputs in = dpo(normal(r, n, 3, -20), normal(r, n, 3, -20), normal(r, n, 3, -20), normal(r, n, 3, -20));
        double sigmoid = value(loss("dpo", "beta", beta), in);
        assertClose(value(loss("dpo", "loss_type", "robust", "beta", beta), in), sigmoid, 1e-13);
        assertClose(value(loss("dpo", "loss_type", "exo_pair", "beta", beta), in),
                value(loss("dpo", "loss_type", "exo_pair", "beta", beta, "label_smoothing", 1e-3), in), 1e-15);
        for (String type : new String[] {"nca_pair", "bco_pair", "sppo_hard", "apo_zero", "apo_down"}) {
            assertThat(value(loss("dpo", "loss_type", type, "beta", beta, "label_smoothing", 0.4), in)).as(type)
                    .isEqualTo(value(loss("dpo", "loss_type", type, "beta", beta), in));
        }
    }

    /** aot = sigmoid when the policy and reference log-ratios are in the same order. */
    @Property(tries = 30)
    void aotIsSigmoidOnSortedBatches(@ForAll long seed, @ForAll @IntRange(min = 1, max = 9) int n) {
        Random r = new Random(seed);
        double[] pc = new double[n];
        double[] pr = new double[n];
        double[] rc = new double[n];
        double[] rr = new double[n];
        double a = 0;
        double e = 0;
        for (int i = 0; i < n; i++) {
            a += 0.1 + r.nextDouble();
            e += 0.1 + r.nextDouble();
            pr[i] = -5 + r.nextGaussian();
            pc[i] = pr[i] + a - 10;
            rr[i] = -5 + r.nextGaussian();
            rc[i] = rr[i] + e - 10;
        }
        Inputs in = dpo(pc, pr, rc, rr);
        double ls = r.nextDouble();
        assertClose(value(loss("dpo", "loss_type", "aot", "label_smoothing", ls), in),
                value(loss("dpo", "label_smoothing", ls), in), 1e-13);
    }

    /** aot's value does not depend on the order of the batch; aot_unpaired's not even on the pairing. */
    @Property(tries = 30)
    void aotIsInvariantToTheBatchOrder(@ForAll long seed, @ForAll @IntRange(min = 2, max = 9) int n) {
        Random r = new Random(seed);
        double[] pc = normal(r, n, 3, -20);
        double[] pr = normal(r, n, 3, -20);
        double[] rc = normal(r, n, 3, -20);
        double[] rr = normal(r, n, 3, -20);
        int[] p = permutation(r, n);
        int[] q = permutation(r, n);
        double base = value(loss("dpo", "loss_type", "aot", "reduction", "sum"), dpo(pc, pr, rc, rr));
        assertClose(value(loss("dpo", "loss_type", "aot", "reduction", "sum"),
                dpo(at(pc, p), at(pr, p), at(rc, p), at(rr, p))), base, 1e-13);
        double un = value(loss("dpo", "loss_type", "aot_unpaired", "reduction", "sum"), dpo(pc, pr, rc, rr));
        assertClose(value(loss("dpo", "loss_type", "aot_unpaired", "reduction", "sum"),
                dpo(at(pc, p), at(pr, q), at(rc, p), at(rr, q))), un, 1e-13);
    }

    static int[] permutation(Random r, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    static double[] at(double[] a, int[] p) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[p[i]];
        }
        return out;
    }

    /** sum = N·mean, none sums to sum with the same gradients; ≥ 0 for every type but robust. */
    @Property(tries = 30)
    void reductionsAgreeAndTermsAreNonNegative(@ForAll long seed, @ForAll @IntRange(min = 1, max = 10) int n) {
        Random r = new Random(seed);
        Inputs in = dpo(normal(r, n, 3, -5), normal(r, n, 3, -5), normal(r, n, 3, -5), normal(r, n, 3, -5));
        double ls = r.nextDouble() * 0.49;
        for (String type : NEW_TYPES) {
            LossResult mean = loss("dpo", "loss_type", type, "label_smoothing", ls).compute(in);
            LossResult sum = loss("dpo", "loss_type", type, "label_smoothing", ls, "reduction", "sum").compute(in);
            LossResult none = loss("dpo", "loss_type", type, "label_smoothing", ls, "reduction", "none").compute(in);
            GradCheck.sumIsNTimesMean(sum.value(), mean.value(), n);
            double s = 0;
            for (double t : none.terms().f64()) {
                s += t;
                if (!type.equals("robust")) {
                    assertThat(t).as(type).isGreaterThanOrEqualTo(0);
                }
            }
            assertClose(s, sum.value(), 1e-13);
            assertThat(none.grad("policy_rejected_logps").f64()).containsExactly(sum.grad("policy_rejected_logps").f64());
        }
    }

    /** βh, βc, βr = ±1e4: finite values and gradients with the exact limits. */
    @Test
    void extremeLogRatios() {
        // c = πc = ±1e5, r = πr = ∓1e5 (reference 0), β = 0.1: βc = ±1e4
        double[] pc = {1e5, -1e5};
        double[] pr = {-1e5, 1e5};
        double[] zero = {0, 0};
        Inputs in = dpo(pc, pr, zero, zero.clone());
        for (String type : NEW_TYPES) {
            for (double ls : new double[] {0.0, 0.3}) {
                LossResult res = loss("dpo", "loss_type", type, "reduction", "none", "label_smoothing", ls).compute(in);
                for (double t : res.terms().f64()) {
                    assertThat(t).as(type + " term").isFinite();
                }
                for (String g : new String[] {"policy_chosen_logps", "policy_rejected_logps"}) {
                    for (double v : res.grad(g).f64()) {
                        assertThat(v).as(type + " " + g).isFinite();
                    }
                }
            }
        }
        // exact limits: nca βc = 1e4 → ½·1e4 + ½·softplus(−1e4) = 5000; βc = −1e4 → 1e4 + ½·1e4
        LossResult nca = loss("dpo", "loss_type", "nca_pair", "reduction", "none").compute(in);
        assertThat(nca.terms().f64()).containsExactly(5000.0, 1e4 + 5000.0);
        assertThat(nca.grad("policy_chosen_logps").f64()).containsExactly(0.05, -0.1);
        // exo_pair (ε = 1e-3): z = 2e4 → −log(1 − ε); z = −2e4 → −log ε
        LossResult exo = loss("dpo", "loss_type", "exo_pair", "reduction", "none").compute(in);
        assertThat(exo.terms().f64()).containsExactly(new double[] {-Math.log1p(-1e-3), -Math.log(1e-3)},
                within(1e-15));
        assertThat(exo.grad("policy_chosen_logps").f64()).containsExactly(0.0, 0.0);
        // robust (ls = 0.25): z = 2e4 → −0.25·2e4/0.5 = −1e4; z = −2e4 → 0.75·2e4/0.5 = 3e4
        LossResult rob = loss("dpo", "loss_type", "robust", "reduction", "none", "label_smoothing", 0.25).compute(in);
        assertThat(rob.terms().f64()).containsExactly(new double[] {-1e4, 3e4}, within(1e-9));
        // bco_pair: βc = 1e4, βr = −1e4 → 0; βc = −1e4, βr = 1e4 → 2e4
        LossResult bco = loss("dpo", "loss_type", "bco_pair", "reduction", "none").compute(in);
        assertThat(bco.terms().f64()).containsExactly(0.0, 2e4);
        assertThat(bco.grad("policy_rejected_logps").f64()).containsExactly(0.0, 0.1);
        // apo_zero, apo_down: 0 and 2 at the limits
        assertThat(loss("dpo", "loss_type", "apo_zero", "reduction", "none").compute(in).terms().f64())
                .containsExactly(0.0, 2.0);
        assertThat(loss("dpo", "loss_type", "apo_down", "reduction", "none").compute(in).terms().f64())
                .containsExactly(1.0, 1.0);
    }

    @Test
    void nanPropagates() {
        double[] nan = {Double.NaN, -1, -2};
        double[] v = {-1, -2, -3};
        for (String type : NEW_TYPES) {
            LossResult none = loss("dpo", "loss_type", type, "reduction", "none").compute(dpo(nan, v, v.clone(),
                    new double[] {-2, -1, -4}));
            double[] t = none.terms().f64();
            int nans = 0;
            for (double x : t) {
                nans += Double.isNaN(x) ? 1 : 0;
            }
            assertThat(nans).as(type).isEqualTo(1);
            assertThat(loss("dpo", "loss_type", type).compute(dpo(nan, v, v.clone(), v.clone())).value()).as(type)
                    .isNaN();
        }
    }

    @Property(tries = 20)
    void float32WithinTolOfFloat64(@ForAll long seed) {
        Random r = new Random(seed);
        float[][] d = new float[4][];
        for (int k = 0; k < 4; k++) {
            d[k] = toFloat(normal(r, 7, 2, -8));
        }
        for (String type : NEW_TYPES) {
            Loss l = loss("dpo", "loss_type", type, "reduction", "none", "label_smoothing", 0.1, "bco_delta", 0.2);
            LossResult a = l.compute(Inputs.of("policy_chosen_logps", Tensor.vector(d[0]))
                    .with("policy_rejected_logps", Tensor.vector(d[1])).with("reference_chosen_logps", Tensor.vector(d[2]))
                    .with("reference_rejected_logps", Tensor.vector(d[3])));
            compare32(a, l.compute(dpo(widen(d[0]), widen(d[1]), widen(d[2]), widen(d[3]))));
        }
    }

    @Test
    void refusals() {
        double[] v = {-1, -2, -3, -4};
        Inputs in = dpo(v, v.clone(), v.clone(), v.clone());
        assertRefused(() -> loss("dpo", "loss_type", "robust", "label_smoothing", 0.5), ErrorKind.INVALID_OPTION,
                "option label_smoothing = 0.5 must be in [0, 0.5) for loss_type robust");
        assertRefused(() -> loss("dpo", "loss_type", "exo_pair", "label_smoothing", 1.0), ErrorKind.INVALID_OPTION,
                "option label_smoothing = 1.0 must be in [0, 1) for loss_type exo_pair");
        assertRefused(() -> loss("dpo", "bco_delta", 2e15), ErrorKind.INVALID_OPTION,
                "option bco_delta = 2.0E15 must be in [-1e15, 1e15]");
        assertRefused(() -> loss("dpo", "loss_type", "kto_pair"), ErrorKind.INVALID_OPTION,
                "must be one of sigmoid, hinge, ipo, exo_pair, nca_pair, robust, bco_pair, sppo_hard, aot,"
                        + " aot_unpaired, apo_zero, apo_down");
        for (String type : new String[] {"aot", "aot_unpaired"}) {
            assertRefused(() -> loss("dpo", "loss_type", type).compute(in.with("sample_weight",
                    Tensor.vector(new double[] {1, 1, 1, 1}))), ErrorKind.MISSING_INPUT,
                    "dpo with loss_type " + type + " takes no input 'sample_weight': its terms are ranks");
        }
        // the other types take sample_weight
        LossResult w = loss("dpo", "loss_type", "sppo_hard", "reduction", "sum").compute(in.with("sample_weight",
                Tensor.vector(new double[] {2, 0, 0, 0})));
        assertClose(w.value(), 2 * term("sppo_hard", 0, 0, 0.1, 0, 0), 1e-15);
        assertRefused(() -> loss("dpo", "loss_type", "aot").compute(dpo(new double[0], new double[0], new double[0],
                new double[0])), ErrorKind.EMPTY_INPUT, "is empty");
    }
}
