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
 * simpo and cpo (issue 18): finite differences over every option, TRL's closed forms, the
 * identities that tie them to each other and to dpo, swap symmetry, ±1e4 margins, NaN, refusals.
 */
class SimpoCpoTest {
    static final String[] TYPES = {"sigmoid", "hinge", "ipo", "simpo"};
    static final String[] REDUCTIONS = {"mean", "sum", "none"};

    static Inputs pair(double[] pc, double[] pr) {
        return Inputs.of("policy_chosen_logps", Tensor.vector(pc)).with("policy_rejected_logps", Tensor.vector(pr));
    }

    static Inputs cpo(double[] pc, double[] pr, double[] nll) {
        return pair(pc, pr).with("chosen_nll", Tensor.vector(nll));
    }

    static double sp(double z) {
        return Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0);
    }

    static double[] positive(Random r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = 0.1 + 3 * r.nextDouble();
        }
        return a;
    }

    @Test
    void simpoGradientsEveryOption() {
        Random r = new Random(181);
        for (String red : REDUCTIONS) {
            for (double ls : new double[] {0.0, 0.3, 1.0}) {
                for (double beta : new double[] {0.1, 2.0, 10.0}) {
                    for (double gamma : new double[] {0.0, 0.5, 3.0}) {
                        GradCheck.gradients(loss("simpo", "reduction", red, "label_smoothing", ls, "beta", beta,
                                "gamma", gamma), pair(normal(r, 5, 1, -1.5), normal(r, 5, 1, -1.5)));
                    }
                }
            }
        }
    }

    /** Every loss_type × reduction × label_smoothing × β × simpo_gamma × cpo_alpha, away from the hinge kink. */
    @Test
    void cpoGradientsEveryOption() {
        Random r = new Random(182);
        for (String type : TYPES) {
            for (String red : REDUCTIONS) {
                for (double ls : new double[] {0.0, 0.3}) {
                    for (double beta : new double[] {0.1, 1.0}) {
                        for (double alpha : new double[] {0.0, 1.0, 2.5}) {
                            double[] pc = normal(r, 5, 2, -8);
                            double[] pr = normal(r, 5, 2, -8);
                            for (int i = 0; i < 5; i++) {
                                if (Math.abs(beta * (pc[i] - pr[i]) - 1) < 0.05) {
                                    pc[i] += 0.5 / beta;
                                }
                            }
                            GradCheck.gradients(loss("cpo", "loss_type", type, "reduction", red, "label_smoothing", ls,
                                    "beta", beta, "cpo_alpha", alpha, "simpo_gamma", 0.7), cpo(pc, pr, positive(r, 5)));
                        }
                    }
                }
            }
        }
    }

    /** TRL: logits = πc − πr − γ/β, −(1 − ls)·log σ(β·logits) − ls·log σ(−β·logits). */
    @Property(tries = 40)
    void simpoMatchesTrl(@ForAll long seed, @ForAll @IntRange(min = 1, max = 9) int n) {
        Random r = new Random(seed);
        double beta = 0.05 + r.nextDouble() * 5;
        double gamma = r.nextDouble() * 2;
        double ls = r.nextDouble();
        double[] pc = normal(r, n, 1, -1.5);
        double[] pr = normal(r, n, 1, -1.5);
        double e = 0;
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            double z = beta * (pc[i] - pr[i] - gamma / beta);
            e += ((1 - ls) * sp(-z) + ls * sp(z)) / n;
            g[i] = beta * (ls / (1 + Math.exp(-z)) - (1 - ls) / (1 + Math.exp(z))) / n;
        }
        LossResult res = loss("simpo", "beta", beta, "gamma", gamma, "label_smoothing", ls).compute(pair(pc, pr));
        assertClose(res.value(), e, 1e-12);
        for (int i = 0; i < n; i++) {
            assertThat(res.grad("policy_chosen_logps").f64()[i]).isCloseTo(g[i], within(1e-13));
            assertThat(res.grad("policy_rejected_logps").f64()[i]).isCloseTo(-g[i], within(1e-13));
        }
    }

    /**
     * simpo = cpo with loss_type simpo and cpo_alpha 0; cpo's sigmoid/hinge/ipo = dpo's with a reference of
     * 0; γ = 0 makes simpo cpo's sigmoid; cpo_alpha adds α·mean nll; simpo_gamma only enters simpo.
     */
    @Property(tries = 40)
    void identities(@ForAll long seed, @ForAll @IntRange(min = 1, max = 9) int n) {
        Random r = new Random(seed);
        double beta = 0.05 + r.nextDouble() * 3;
        double ls = r.nextDouble();
        double gamma = r.nextDouble() * 2;
        double alpha = r.nextDouble() * 3;
        double[] pc = normal(r, n, 2, -6);
        double[] pr = normal(r, n, 2, -6);
        double[] nll = positive(r, n);
        Inputs p = pair(pc, pr);
        Inputs c = cpo(pc, pr, nll);
        double simpo = loss("simpo", "beta", beta, "gamma", gamma, "label_smoothing", ls).value(p).value();
        assertClose(loss("cpo", "loss_type", "simpo", "beta", beta, "simpo_gamma", gamma, "label_smoothing", ls,
                "cpo_alpha", 0.0).value(c).value(), simpo, 1e-13);
        assertClose(loss("simpo", "beta", beta, "gamma", 0.0, "label_smoothing", ls).value(p).value(),
                loss("cpo", "beta", beta, "label_smoothing", ls, "cpo_alpha", 0.0).value(c).value(), 1e-13);
        double meanNll = 0;
        for (double v : nll) {
            meanNll += v / n;
        }
        double[] zero = new double[n];
        for (String type : new String[] {"sigmoid", "hinge", "ipo"}) {
            double d = loss("dpo", "loss_type", type, "beta", beta, "label_smoothing", ls).value(dpo(pc, pr, zero,
                    zero.clone())).value();
            double got = loss("cpo", "loss_type", type, "beta", beta, "label_smoothing", ls, "cpo_alpha", alpha,
                    "simpo_gamma", gamma).value(c).value();
            assertThat(got).as(type).isCloseTo(d + alpha * meanNll, within(1e-12 * (1 + Math.abs(got))));
        }
    }

    /** Swapping chosen and rejected with γ = 0 mirrors label_smoothing (ls ↔ 1 − ls). */
    @Property(tries = 30)
    void swapMirrorsLabelSmoothing(@ForAll long seed, @ForAll @IntRange(min = 1, max = 9) int n) {
        Random r = new Random(seed);
        double beta = 0.05 + r.nextDouble() * 3;
        double ls = r.nextDouble();
        double[] pc = normal(r, n, 1, -1.5);
        double[] pr = normal(r, n, 1, -1.5);
        assertClose(loss("simpo", "beta", beta, "gamma", 0.0, "label_smoothing", ls).value(pair(pc, pr)).value(),
                loss("simpo", "beta", beta, "gamma", 0.0, "label_smoothing", 1 - ls).value(pair(pr, pc)).value(), 1e-13);
    }

    @Property(tries = 30)
    void reductionsAgree(@ForAll long seed, @ForAll @IntRange(min = 1, max = 10) int n) {
        Random r = new Random(seed);
        Inputs c = cpo(normal(r, n, 2, -6), normal(r, n, 2, -6), positive(r, n));
        for (String name : new String[] {"simpo", "cpo"}) {
            for (String type : name.equals("cpo") ? TYPES : new String[] {null}) {
                Object[] base = type == null ? new Object[0] : new Object[] {"loss_type", type};
                Inputs in = name.equals("cpo") ? c : pair(c.get("policy_chosen_logps").f64(),
                        c.get("policy_rejected_logps").f64());
                LossResult mean = loss(name, base).compute(in);
                LossResult sum = loss(name, with(base, "reduction", "sum")).compute(in);
                LossResult none = loss(name, with(base, "reduction", "none")).compute(in);
                GradCheck.sumIsNTimesMean(sum.value(), mean.value(), n);
                double s = 0;
                for (double t : none.terms().f64()) {
                    s += t;
                    assertThat(t).isGreaterThanOrEqualTo(0);
                }
                assertClose(s, sum.value(), 1e-13);
                assertThat(none.grad("policy_chosen_logps").f64()).containsExactly(sum.grad("policy_chosen_logps").f64());
            }
        }
    }

    static Object[] with(Object[] kv, Object k, Object v) {
        Object[] out = java.util.Arrays.copyOf(kv, kv.length + 2);
        out[kv.length] = k;
        out[kv.length + 1] = v;
        return out;
    }

    @Test
    void cpoNllGradientIsAlpha() {
        LossResult res = loss("cpo", "cpo_alpha", 2.5).compute(cpo(new double[] {-3, -4}, new double[] {-5, -1},
                new double[] {1, 2}));
        assertThat(res.grad("chosen_nll").f64()).containsExactly(1.25, 1.25);
        LossResult off = loss("cpo", "cpo_alpha", 0.0).compute(cpo(new double[] {-3}, new double[] {-5},
                new double[] {Double.POSITIVE_INFINITY}));
        assertClose(off.value(), sp(-0.2), 1e-15); // α = 0 leaves the NLL out, as TRL
        assertThat(off.grad("chosen_nll").f64()).containsExactly(0.0);
    }

    /** β·(πc − πr) − γ = ±1e4 and beyond: exact limits, finite gradients. */
    @Test
    void extremeMargins() {
        LossResult s = loss("simpo", "beta", 1.0, "reduction", "none").compute(pair(new double[] {1e4, -1e4},
                new double[] {-1e4, 1e4}));
        assertThat(s.terms().f64()).containsExactly(0.0, 2e4 + 0.5);
        assertThat(s.grad("policy_chosen_logps").f64()).containsExactly(0.0, -1.0);
        for (String type : TYPES) {
            LossResult c = loss("cpo", "loss_type", type, "beta", 1.0, "reduction", "none", "label_smoothing", 0.2)
                    .compute(cpo(new double[] {1e4, -1e4}, new double[] {-1e4, 1e4}, new double[] {1, 1e4}));
            for (double t : c.terms().f64()) {
                assertThat(t).as(type).isFinite();
            }
            for (double g : c.grad("policy_rejected_logps").f64()) {
                assertThat(g).as(type).isFinite();
            }
        }
    }

    @Test
    void nanPropagates() {
        double[] nan = {Double.NaN, -1};
        double[] v = {-2, -3};
        assertThat(loss("simpo").compute(pair(nan, v)).value()).isNaN();
        for (String type : TYPES) {
            LossResult none = loss("cpo", "loss_type", type, "reduction", "none").compute(cpo(v, v.clone(), nan));
            assertThat(none.terms().f64()[0]).as(type).isNaN();
            assertThat(none.terms().f64()[1]).as(type).isNotNaN();
        }
    }

    @Property(tries = 20)
    void float32WithinTolOfFloat64(@ForAll long seed) {
        Random r = new Random(seed);
        float[] a = toFloat(normal(r, 7, 1, -1.5));
        float[] b = toFloat(normal(r, 7, 1, -1.5));
        float[] c = toFloat(positive(r, 7));
        Loss s = loss("simpo", "beta", 2.0, "reduction", "none");
        compare32(s.compute(Inputs.of("policy_chosen_logps", Tensor.vector(a)).with("policy_rejected_logps",
                Tensor.vector(b))), s.compute(pair(widen(a), widen(b))));
        for (String type : TYPES) {
            Loss l = loss("cpo", "loss_type", type, "label_smoothing", 0.1);
            compare32(l.compute(Inputs.of("policy_chosen_logps", Tensor.vector(a)).with("policy_rejected_logps",
                    Tensor.vector(b)).with("chosen_nll", Tensor.vector(c))), l.compute(cpo(widen(a), widen(b), widen(c))));
        }
    }

    @Test
    void refusals() {
        double[] v = {-1, -2, -3};
        assertRefused(() -> loss("simpo").compute(pair(v, new double[2])), ErrorKind.SHAPE_MISMATCH,
                "policy_rejected_logps shape [2] != policy_chosen_logps shape [3]");
        assertRefused(() -> loss("simpo", "gamma", -0.5), ErrorKind.INVALID_OPTION,
                "option gamma = -0.5 must be in [0, 1e15]");
        assertRefused(() -> loss("simpo", "beta", 0.0), ErrorKind.INVALID_OPTION, "option beta = 0.0 must be in (0, 1e15]");
        assertRefused(() -> loss("simpo", "loss_type", "hinge"), ErrorKind.UNKNOWN_OPTION, "has no option 'loss_type'");
        assertRefused(() -> loss("simpo").compute(pair(new double[0], new double[0])), ErrorKind.EMPTY_INPUT,
                "is empty");
        assertRefused(() -> loss("cpo").compute(pair(v, v.clone())), ErrorKind.MISSING_INPUT,
                "needs input 'chosen_nll'");
        assertRefused(() -> loss("cpo").compute(cpo(v, v.clone(), new double[4])), ErrorKind.SHAPE_MISMATCH,
                "chosen_nll shape [4] != policy_chosen_logps shape [3]");
        assertRefused(() -> loss("cpo", "cpo_alpha", -1.0), ErrorKind.INVALID_OPTION,
                "option cpo_alpha = -1.0 must be in [0, 1e15]");
        assertRefused(() -> loss("cpo", "loss_type", "alphapo"), ErrorKind.INVALID_OPTION,
                "option loss_type = 'alphapo' must be one of sigmoid, hinge, ipo, simpo");
    }
}
