package org.losses4j.preference;

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
 * ppo_clip (with its asymmetric clip epsilon_low/epsilon_high) and dpo's sigmoid, hinge and ipo: finite-difference gradients over every option combination, autograd tie
 * semantics of ppo's min/clamp, closed forms, properties, extremes, NaN and refusals.
 * Expected values are closed forms evaluated here or finite differences.
 */
class PreferenceLossesTest {
    static final String[] TYPES = {"sigmoid", "hinge", "ipo"};
    static final String[] REDUCTIONS = {"mean", "sum", "none"};

    static Loss loss(String name, Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return Losses.create(name, m);
    }

    static double[] normal(Random r, int n, double scale, double shift) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = shift + r.nextGaussian() * scale;
        }
        return a;
    }

    static Inputs ppo(double[] logp, double[] old, double[] adv) {
        return Inputs.of("logp", Tensor.vector(logp)).with("old_logp", Tensor.vector(old))
                .with("advantages", Tensor.vector(adv));
    }

    static Inputs dpo(double[] pc, double[] pr, double[] rc, double[] rr) {
        return Inputs.of("policy_chosen_logps", Tensor.vector(pc)).with("policy_rejected_logps", Tensor.vector(pr))
                .with("reference_chosen_logps", Tensor.vector(rc)).with("reference_rejected_logps", Tensor.vector(rr));
    }

    static void assertArrayClose(double[] got, double[] expected, double rel) {
        assertThat(got).hasSameSizeAs(expected);
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).as("element " + i).isCloseTo(expected[i], within(rel * (1 + Math.abs(expected[i]))));
        }
    }

    /** The PPO objective term by its definition (independent of the implementation's branch logic). */
    static double ppoTerm(double logp, double old, double a, double eps) {
        double r = Math.exp(logp - old);
        double clipped = Math.min(Math.max(r, 1 - eps), 1 + eps);
        return -Math.min(r * a, clipped * a);
    }

    // ---------- ppo_clip ----------

    /** n samples whose ratios stay 0.01 away from the clip points 1 − lo and 1 + hi. */
    static Inputs awayFromClips(Random r, int n, double lo, double hi) {
        double[] old = normal(r, n, 1, -2);
        double[] logp = new double[n];
        for (int i = 0; i < n; i++) {
            double d;
            do {
                d = r.nextGaussian() * 0.4;
            } while (Math.abs(Math.exp(d) - (1 + hi)) < 0.01 || Math.abs(Math.exp(d) - (1 - lo)) < 0.01);
            logp[i] = old[i] + d;
        }
        return ppo(logp, old, normal(r, n, 1, 0));
    }

    /** Random ratios kept 0.01 away from the clip points 1 ± ε, so the loss is smooth around them. */
    @Test
    void ppoGradientsEveryEpsilon() {
        Random r = new Random(21);
        for (double eps : new double[] {0.0, 0.1, 0.2, 0.3}) {
            for (int rep = 0; rep < 4; rep++) {
                GradCheck.gradients(loss("ppo_clip", "epsilon", eps), awayFromClips(r, 3 + rep * 2, eps, eps));
            }
        }
    }

    @Property(tries = 60)
    void ppoMatchesDefinition(@ForAll long seed, @ForAll @IntRange(min = 1, max = 10) int n) {
        Random r = new Random(seed);
        double eps = r.nextDouble() * 0.5;
        double[] old = normal(r, n, 1, -2);
        double[] logp = normal(r, n, 1, -2);
        double[] adv = normal(r, n, 1, 0);
        double e = 0;
        for (int i = 0; i < n; i++) {
            e += ppoTerm(logp[i], old[i], adv[i], eps) / n;
        }
        assertClose(loss("ppo_clip", "epsilon", eps).value(ppo(logp, old, adv)).value(), e, 1e-13);
    }

    /**
     * Autograd semantics at the ties: at r = 1 both branches are equal and clamp passes its
     * gradient, so d/dlogp = −r·A/N (min splits the gradient between two equal branches, each
     * r·A); where the clip is active and the clipped branch is the strict minimum the gradient is
     * 0; at A = 0 it is 0.
     */
    @Test
    void ppoTieSemantics() {
        double[] old = {-1.0, -2.0, -0.5, -3.0, -1.5, -1.5};
        double[] logp = {-1.0, -2.0, -0.5 + 0.5, -3.0 - 0.5, -1.5 + 0.5, -1.5 - 0.5};
        double[] adv = {0.7, -1.3, 2.0, -2.0, -1.0, 1.0};
        LossResult res = loss("ppo_clip", "epsilon", 0.2).compute(ppo(logp, old, adv));
        double n = 6;
        double up = Math.exp(0.5);
        double down = Math.exp(-0.5);
        // r = 1 (tie): −A/N; r = e^0.5 > 1.2 with A > 0: clipped is the min → 0; r = e^−0.5 < 0.8 with
        // A < 0: clipped (0.8A) is the min → 0; r = e^0.5 with A < 0: unclipped r·A is the min → −rA/N;
        // r = e^−0.5 with A > 0: unclipped is the min → −rA/N
        assertArrayClose(res.grad("logp").f64(),
                new double[] {-0.7 / n, 1.3 / n, 0, 0, up / n, -down / n}, 1e-15);
        assertClose(res.value(), (-0.7 + 1.3 - 1.2 * 2 + 0.8 * 2 + up - down) / n, 1e-15);

        // A = 0: both branches are 0, gradient 0
        LossResult zero = loss("ppo_clip").compute(ppo(new double[] {-1, -2}, new double[] {-1.5, -1}, new double[2]));
        assertThat(zero.value()).isZero();
        assertArrayClose(zero.grad("logp").f64(), new double[2], 0);
    }

    /**
     * r exactly on a clip point (ε chosen so that 1 ± ε equals the ratio in floating point):
     * both branches are equal, min splits the gradient in halves and clamp passes its gradient
     * on the bound, so the total is −r·A/N on both bounds and for both signs of A.
     */
    @Test
    void ppoExactlyOnTheClipPoints() {
        double d = 0.15;
        double rUp = Math.exp(d);
        double epsUp = rUp - 1;            // exact: rUp in [1, 2)
        assertThat(1 + epsUp).isEqualTo(rUp);
        double rDown = Math.exp(-d);
        double epsDown = 1 - rDown;        // exact: rDown in [0.5, 1]
        assertThat(1 - epsDown).isEqualTo(rDown);
        for (double a : new double[] {1.5, -2.0}) {
            LossResult up = loss("ppo_clip", "epsilon", epsUp).compute(ppo(new double[] {d}, new double[] {0}, new double[] {a}));
            assertThat(up.grad("logp").f64()[0]).isCloseTo(-rUp * a, within(1e-15));
            LossResult down = loss("ppo_clip", "epsilon", epsDown).compute(
                    ppo(new double[] {-d}, new double[] {0}, new double[] {a}));
            assertThat(down.grad("logp").f64()[0]).isCloseTo(-rDown * a, within(1e-15));
        }
    }

    @Test
    void ppoEpsilonZeroIsClippedToOne() {
        // ε = 0: clip(r) = 1, min(rA, A): gradient −rA/N only where rA < A
        double[] logp = {0.3, -0.3, 0.3, -0.3};
        double[] adv = {1, 1, -1, -1};
        LossResult res = loss("ppo_clip", "epsilon", 0.0).compute(ppo(logp, new double[4], adv));
        double u = Math.exp(0.3);
        double dn = Math.exp(-0.3);
        assertArrayClose(res.grad("logp").f64(), new double[] {0, -dn / 4, u / 4, 0}, 1e-15);
        assertClose(res.value(), -(1 + dn - u - 1) / 4, 1e-15);
    }

    @Test
    void ppoExtremeRatios() {
        // r = e^±30 and e^±800: finite where the definition is finite
        double[] logp = {-31, -32, -5, -3.5};
        double[] old = {-1, -2, -35, -3};
        double[] adv = {1, -1, -0.5, 2};
        LossResult res = loss("ppo_clip").compute(ppo(logp, old, adv));
        double big = Math.exp(30);
        double small = Math.exp(-30);
        double e = (-small + 0.8 + 0.5 * big - 2 * Math.exp(-0.5)) / 4;
        assertClose(res.value(), e, 1e-14);
        assertArrayClose(res.grad("logp").f64(), new double[] {-small / 4, 0, 0.5 * big / 4, -2 * Math.exp(-0.5) / 4}, 1e-14);
        // ratio overflowing to ∞ with A > 0: the clipped branch 1.2·A is the minimum, gradient 0
        LossResult inf = loss("ppo_clip").compute(ppo(new double[] {0}, new double[] {-800}, new double[] {1}));
        assertThat(inf.value()).isEqualTo(-1.2);
        assertThat(inf.grad("logp").f64()[0]).isZero();
    }

    /** The asymmetric term: clip(r, 1 − lo, 1 + hi). */
    static double ppoTerm(double logp, double old, double a, double lo, double hi) {
        double r = Math.exp(logp - old);
        double clipped = Math.min(Math.max(r, 1 - lo), 1 + hi);
        return -Math.min(r * a, clipped * a);
    }

    /** epsilon_low, epsilon_high (set, or null = epsilon): finite differences away from the clip points. */
    @Test
    void ppoAsymmetricGradients() {
        Random r = new Random(23);
        double[][] pairs = {{0.2, 0.28}, {0.0, 0.3}, {0.3, 0.0}, {0.1, 0.5}, {1.5, 2.0}};
        for (double[] lh : pairs) {
            for (int rep = 0; rep < 3; rep++) {
                Inputs in = awayFromClips(r, 3 + rep * 2, lh[0], lh[1]);
                GradCheck.gradients(loss("ppo_clip", "epsilon_low", lh[0], "epsilon_high", lh[1]), in);
                GradCheck.gradients(loss("ppo_clip", "epsilon", lh[0], "epsilon_high", lh[1]), in);
                GradCheck.gradients(loss("ppo_clip", "epsilon", lh[1], "epsilon_low", lh[0]), in);
            }
        }
    }

    @Property(tries = 60)
    void ppoAsymmetricMatchesDefinition(@ForAll long seed, @ForAll @IntRange(min = 1, max = 10) int n) {
        Random r = new Random(seed);
        double lo = r.nextDouble() * 0.5;
        double hi = r.nextDouble() * 0.5;
        double[] old = normal(r, n, 1, -2);
        double[] logp = normal(r, n, 1, -2);
        double[] adv = normal(r, n, 1, 0);
        double e = 0;
        for (int i = 0; i < n; i++) {
            e += ppoTerm(logp[i], old[i], adv[i], lo, hi) / n;
        }
        assertClose(loss("ppo_clip", "epsilon_low", lo, "epsilon_high", hi).value(ppo(logp, old, adv)).value(), e, 1e-13);
    }

    /** epsilon_low = epsilon_high = epsilon (or unset) is the symmetric ppo_clip, bit for bit. */
    @Property(tries = 40)
    void ppoEqualEpsilonsAreTheSymmetricClip(@ForAll long seed, @ForAll @IntRange(min = 1, max = 10) int n) {
        Random r = new Random(seed);
        double eps = r.nextDouble() * 0.5;
        Inputs in = ppo(normal(r, n, 1, -2), normal(r, n, 1, -2), normal(r, n, 1, 0));
        LossResult old = loss("ppo_clip", "epsilon", eps).compute(in);
        for (LossResult res : new LossResult[] {
            loss("ppo_clip", "epsilon", eps, "epsilon_low", eps, "epsilon_high", eps).compute(in),
            loss("ppo_clip", "epsilon_low", eps, "epsilon_high", eps).compute(in),
            loss("ppo_clip", "epsilon", eps, "epsilon_low", null, "epsilon_high", null).compute(in)}) {
            assertThat(res.value()).isEqualTo(old.value());
            assertThat(res.grad("logp").f64()).containsExactly(old.grad("logp").f64());
        }
    }

    /** DAPO's clip-higher: the ratio is held at 0.8 below and 1.28 above; only the upper bound moved. */
    @Test
    void ppoClipHigher() {
        double up = Math.log(1.25);    // inside [0.8, 1.28]: the unclipped branch, −r·A
        double over = Math.log(1.4);   // above 1.28 with A > 0: clipped, 1.28·A, gradient 0
        double under = Math.log(0.7);  // below 0.8 with A < 0: clipped, 0.8·A, gradient 0
        LossResult res = loss("ppo_clip", "epsilon_high", 0.28).compute(ppo(new double[] {up, over, under},
                new double[3], new double[] {1, 1, -1}));
        assertClose(res.value(), -(1.25 + 1.28 - 0.8) / 3, 1e-15);
        assertArrayClose(res.grad("logp").f64(), new double[] {-1.25 / 3, 0, 0}, 1e-15);
        // the symmetric clip holds r = 1.25 at 1.2 (gradient 0)
        LossResult sym = loss("ppo_clip").compute(ppo(new double[] {up}, new double[1], new double[] {1}));
        assertClose(sym.value(), -1.2, 1e-15);
        assertThat(sym.grad("logp").f64()[0]).isZero();
    }

    // ---------- dpo ----------

    /** Every loss_type × reduction × label_smoothing × beta, away from the hinge kink βh = 1. */
    @Test
    void dpoGradientsEveryOptionCombination() {
        Random r = new Random(22);
        for (String type : TYPES) {
            for (String red : REDUCTIONS) {
                for (double ls : new double[] {0.0, 0.3, 1.0}) {
                    for (double beta : new double[] {0.1, 1.0, 3.0}) {
                        int n = 5;
                        double[] pc = normal(r, n, 2, -10);
                        double[] pr = normal(r, n, 2, -10);
                        double[] rc = normal(r, n, 2, -10);
                        double[] rr = normal(r, n, 2, -10);
                        for (int i = 0; i < n; i++) {
                            double h = (pc[i] - pr[i]) - (rc[i] - rr[i]);
                            if (Math.abs(beta * h - 1) < 0.05) {
                                pc[i] += 0.5 / beta;
                            }
                        }
                        GradCheck.gradients(loss("dpo", "loss_type", type, "reduction", red, "label_smoothing", ls,
                                "beta", beta), dpo(pc, pr, rc, rr));
                    }
                }
            }
        }
    }

    /** sigmoid with label_smoothing 0 = mean softplus(−βh) = mean log(1 + e^−βh). */
    @Property(tries = 60)
    void dpoSigmoidIsSoftplus(@ForAll long seed, @ForAll @IntRange(min = 1, max = 10) int n) {
        Random r = new Random(seed);
        double beta = 0.01 + r.nextDouble() * 2;
        double[] pc = normal(r, n, 3, -20);
        double[] pr = normal(r, n, 3, -20);
        double[] rc = normal(r, n, 3, -20);
        double[] rr = normal(r, n, 3, -20);
        double e = 0;
        double[] gc = new double[n];
        for (int i = 0; i < n; i++) {
            double h = (pc[i] - pr[i]) - (rc[i] - rr[i]);
            e += Math.log1p(Math.exp(-beta * h)) / n;
            gc[i] = -beta / (1 + Math.exp(beta * h)) / n;
        }
        LossResult res = loss("dpo", "beta", beta, "label_smoothing", 0.0).compute(dpo(pc, pr, rc, rr));
        assertClose(res.value(), e, 1e-13);
        assertArrayClose(res.grad("policy_chosen_logps").f64(), gc, 1e-13);
        double[] neg = gc.clone();
        for (int i = 0; i < n; i++) {
            neg[i] = -neg[i];
        }
        assertArrayClose(res.grad("policy_rejected_logps").f64(), neg, 1e-13);
    }

    @Property(tries = 40)
    void dpoVariantsMatchDefinitions(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int n) {
        Random r = new Random(seed);
        double beta = 0.05 + r.nextDouble() * 2;
        double ls = r.nextDouble();
        double[] pc = normal(r, n, 3, -20);
        double[] pr = normal(r, n, 3, -20);
        double[] rc = normal(r, n, 3, -20);
        double[] rr = normal(r, n, 3, -20);
        double sig = 0, hin = 0, ipo = 0;
        for (int i = 0; i < n; i++) {
            double h = (pc[i] - pr[i]) - (rc[i] - rr[i]);
            // −log σ(z) = log(1 + e^−z), −log σ(−z) = log(1 + e^z): accurate here (|z| < 100)
            sig += ((1 - ls) * Math.log1p(Math.exp(-beta * h)) + ls * Math.log1p(Math.exp(beta * h))) / n;
            hin += Math.max(0, 1 - beta * h) / n;
            ipo += Math.pow(h - 1 / (2 * beta), 2) / n;
        }
        Inputs in = dpo(pc, pr, rc, rr);
        assertClose(loss("dpo", "beta", beta, "label_smoothing", ls).value(in).value(), sig, 1e-13);
        // label_smoothing does not enter hinge and ipo
        assertClose(loss("dpo", "beta", beta, "label_smoothing", ls, "loss_type", "hinge").value(in).value(), hin, 1e-12);
        assertClose(loss("dpo", "beta", beta, "label_smoothing", ls, "loss_type", "ipo").value(in).value(), ipo, 1e-12);
    }

    /** sum = N·mean; none gives the N terms whose sum is the sum reduction. */
    @Property(tries = 40)
    void dpoReductionsAgree(@ForAll long seed, @ForAll @IntRange(min = 1, max = 10) int n) {
        Random r = new Random(seed);
        Inputs in = dpo(normal(r, n, 3, -5), normal(r, n, 3, -5), normal(r, n, 3, -5), normal(r, n, 3, -5));
        for (String type : TYPES) {
            LossResult mean = loss("dpo", "loss_type", type).compute(in);
            LossResult sum = loss("dpo", "loss_type", type, "reduction", "sum").compute(in);
            LossResult none = loss("dpo", "loss_type", type, "reduction", "none").compute(in);
            GradCheck.sumIsNTimesMean(sum.value(), mean.value(), n);
            assertThat(none.terms().shape()).containsExactly(n);
            double s = 0;
            for (double t : none.terms().f64()) {
                s += t;
            }
            assertClose(s, sum.value(), 1e-13);
            double[] gm = mean.grad("policy_chosen_logps").f64();
            double[] gs = sum.grad("policy_chosen_logps").f64();
            for (int i = 0; i < n; i++) {
                assertThat(gs[i]).isCloseTo(n * gm[i], within(1e-12 * (1 + Math.abs(gs[i]))));
            }
            assertThat(none.grad("policy_chosen_logps").f64()).containsExactly(gs);
        }
    }

    @Test
    void dpoPolicyEqualToReferenceGivesLog2() {
        double[] a = {-3, -5, -7};
        double[] b = {-4, -1, -9};
        LossResult res = loss("dpo", "reduction", "none").compute(dpo(a, b, a.clone(), b.clone()));
        for (double t : res.terms().f64()) {
            assertThat(t).isCloseTo(Math.log(2), within(1e-15));
        }
        // ∂/∂πc = −β·σ(0) = −β/2
        assertThat(res.grad("policy_chosen_logps").f64()).containsOnly(-0.05);
    }

    /** βh = ±1e4: exact, finite limits for every variant. */
    @Test
    void dpoExtremeMargins() {
        double[] pc = {-1, -100001};
        double[] pr = {-100001, -1};
        double[] ref = {-2, -2};
        Inputs in = dpo(pc, pr, ref, ref.clone()); // h = ±1e5, β = 0.1 → βh = ±1e4
        LossResult s0 = loss("dpo", "reduction", "none").compute(in);
        assertThat(s0.terms().f64()).containsExactly(0.0, 1e4);
        assertArrayClose(s0.grad("policy_chosen_logps").f64(), new double[] {0, -0.1}, 0);
        assertArrayClose(s0.grad("policy_rejected_logps").f64(), new double[] {0, 0.1}, 0);
        LossResult s25 = loss("dpo", "reduction", "none", "label_smoothing", 0.25).compute(in);
        assertThat(s25.terms().f64()).containsExactly(2500.0, 7500.0);
        assertArrayClose(s25.grad("policy_chosen_logps").f64(), new double[] {0.025, -0.075}, 1e-15);
        LossResult hinge = loss("dpo", "reduction", "none", "loss_type", "hinge").compute(in);
        assertThat(hinge.terms().f64()).containsExactly(0.0, 1 + 1e4);
        assertArrayClose(hinge.grad("policy_chosen_logps").f64(), new double[] {0, -0.1}, 0);
        LossResult ipo = loss("dpo", "reduction", "none", "loss_type", "ipo").compute(in);
        assertArrayClose(ipo.terms().f64(), new double[] {Math.pow(1e5 - 5, 2), Math.pow(-1e5 - 5, 2)}, 1e-15);
        assertArrayClose(ipo.grad("policy_chosen_logps").f64(), new double[] {2 * (1e5 - 5), 2 * (-1e5 - 5)}, 1e-15);
    }

    @Test
    void dpoHingeSubgradientZeroAtKink() {
        // βh = 1 exactly (β = 0.5, h = 2): term 0, subgradient 0
        LossResult res = loss("dpo", "loss_type", "hinge", "beta", 0.5, "reduction", "none").compute(
                dpo(new double[] {-1, -1}, new double[] {-3, -2}, new double[] {-5, -5}, new double[] {-5, -5}));
        assertThat(res.terms().f64()).containsExactly(0.0, 0.5);
        assertArrayClose(res.grad("policy_chosen_logps").f64(), new double[] {0, -0.5}, 0);
    }

    // ---------- NaN, float32 ----------

    @Test
    void nanPropagates() {
        double[] nan = {Double.NaN, -1};
        assertThat(loss("ppo_clip").compute(ppo(nan, new double[] {-1, -1}, new double[] {1, 1})).value()).isNaN();
        assertThat(loss("ppo_clip").compute(ppo(new double[] {-1, -1}, new double[] {-1, -1}, nan)).value()).isNaN();
        for (String type : TYPES) {
            assertThat(loss("dpo", "loss_type", type).compute(dpo(new double[] {-1, -2}, new double[] {-1, -2},
                    nan, new double[] {-1, -2})).value()).as(type).isNaN();
            LossResult none = loss("dpo", "loss_type", type, "reduction", "none").compute(
                    dpo(nan, new double[] {-1, -2}, new double[] {-1, -2}, new double[] {-1, -2}));
            assertThat(none.terms().f64()[0]).as(type).isNaN();
            assertThat(none.terms().f64()[1]).as(type).isNotNaN();
        }
    }

    @Property(tries = 30)
    void float32WithinTolOfFloat64(@ForAll long seed) {
        Random r = new Random(seed);
        float[][] d = new float[4][];
        for (int k = 0; k < 4; k++) {
            d[k] = toFloat(normal(r, 6, 2, -8));
        }
        for (String type : TYPES) {
            for (String red : REDUCTIONS) {
                Loss l = loss("dpo", "loss_type", type, "reduction", red, "label_smoothing", 0.1);
                LossResult a = l.compute(Inputs.of("policy_chosen_logps", Tensor.vector(d[0]))
                        .with("policy_rejected_logps", Tensor.vector(d[1])).with("reference_chosen_logps", Tensor.vector(d[2]))
                        .with("reference_rejected_logps", Tensor.vector(d[3])));
                LossResult b = l.compute(dpo(widen(d[0]), widen(d[1]), widen(d[2]), widen(d[3])));
                compare32(a, b);
            }
        }
        float[] adv = toFloat(normal(r, 6, 1, 0));
        float[] old = toFloat(normal(r, 6, 1, -2));
        float[] logp = new float[6];
        for (int i = 0; i < 6; i++) {
            logp[i] = old[i] + (float) (r.nextGaussian() * 0.3);
        }
        Loss p = loss("ppo_clip");
        compare32(p.compute(Inputs.of("logp", Tensor.vector(logp)).with("old_logp", Tensor.vector(old))
                .with("advantages", Tensor.vector(adv))), p.compute(ppo(widen(logp), widen(old), widen(adv))));
    }

    static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    // ---------- refusals ----------

    @Test
    void refusals() {
        double[] v4 = {-1, -2, -3, -4};
        assertRefused(() -> loss("ppo_clip").compute(ppo(new double[5], v4, new double[5])), ErrorKind.SHAPE_MISMATCH,
                "old_logp shape [4] != logp shape [5]");
        assertRefused(() -> loss("ppo_clip").compute(ppo(v4, v4, new double[3])), ErrorKind.SHAPE_MISMATCH,
                "advantages shape [3] != logp shape [4]");
        assertRefused(() -> loss("ppo_clip").compute(Inputs.of("logp", Tensor.of(v4, 2, 2))
                .with("old_logp", Tensor.of(v4, 2, 2)).with("advantages", Tensor.of(v4, 2, 2))), ErrorKind.SHAPE_MISMATCH,
                "logp must have rank 1");
        assertRefused(() -> loss("ppo_clip").compute(ppo(new double[0], new double[0], new double[0])),
                ErrorKind.EMPTY_INPUT, "logp [0] is empty");
        assertRefused(() -> loss("ppo_clip", "epsilon", -0.1), ErrorKind.INVALID_OPTION, "option epsilon = -0.1 must be >= 0");
        assertRefused(() -> loss("ppo_clip", "reduction", "sum"), ErrorKind.UNKNOWN_OPTION, "has no option 'reduction'");
        assertRefused(() -> loss("ppo_clip", "epsilon_low", -0.1), ErrorKind.INVALID_OPTION,
                "option epsilon_low = -0.1 must be >= 0");
        assertRefused(() -> loss("ppo_clip", "epsilon_high", Double.POSITIVE_INFINITY), ErrorKind.INVALID_OPTION,
                "option epsilon_high = Infinity");
        assertRefused(() -> loss("ppo_clip").compute(ppo(v4, v4, v4).with("values", Tensor.vector(v4))),
                ErrorKind.MISSING_INPUT, "has no input 'values'");
        assertRefused(() -> loss("dpo").compute(dpo(new double[5], new double[5], new double[5], v4)),
                ErrorKind.SHAPE_MISMATCH, "reference_rejected_logps shape [4] != policy_chosen_logps shape [5]");
        assertRefused(() -> loss("dpo").compute(dpo(new double[0], new double[0], new double[0], new double[0])),
                ErrorKind.EMPTY_INPUT, "is empty");
        assertThat(loss("dpo", "reduction", "sum").compute(dpo(new double[0], new double[0], new double[0],
                new double[0])).value()).isZero();
        assertRefused(() -> loss("dpo", "beta", 0.0, "loss_type", "ipo"), ErrorKind.INVALID_OPTION,
                "option beta = 0.0 must be in (0, 1e15]");
        assertRefused(() -> loss("dpo", "label_smoothing", 1.5), ErrorKind.INVALID_OPTION,
                "option label_smoothing = 1.5 must be in [0, 1]");
        assertRefused(() -> loss("dpo", "loss_type", "kto"), ErrorKind.INVALID_OPTION,
                "option loss_type = 'kto' must be one of sigmoid, hinge, ipo");
        assertRefused(() -> loss("dpo").compute(Inputs.of("policy_chosen_logps", Tensor.vector(v4))),
                ErrorKind.MISSING_INPUT, "needs input 'policy_rejected_logps'");
    }

    @Test
    void registeredInCatalogOrder() {
        assertThat(PreferenceLosses.all()).extracting(i -> i.name()).containsExactly("ppo_clip", "dpo", "simpo", "cpo");
        assertThat(Losses.info("dpo").inputs()).extracting(s -> s.name() + ":" + s.differentiable()).containsExactly(
                "policy_chosen_logps:true", "policy_rejected_logps:true", "reference_chosen_logps:false",
                "reference_rejected_logps:false", "sample_weight:false"); // sample_weight: every row loss (SampleWeightTest)
    }
}
