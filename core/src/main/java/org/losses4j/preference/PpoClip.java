package org.losses4j.preference;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.AbstractLoss;
import org.losses4j.Check;
import org.losses4j.DType;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossCall;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Tensor;

/**
 * The PPO clipped surrogate loss (the negative of PPO's clipped objective).
 *
 * <p>With {@code r = exp(logp − old_logp)}: {@code −mean_n min(r·A, clip(r, 1 − ε_low, 1 + ε_high)·A)},
 * where {@code ε_low} and {@code ε_high} are the options {@code epsilon_low} and
 * {@code epsilon_high}, each {@code epsilon} when not set (so by default the symmetric clip
 * {@code [1 − ε, 1 + ε]} of PPO; DAPO's "clip-higher" takes ε_low = 0.2, ε_high = 0.28; TRL's
 * GRPOConfig names them {@code epsilon} and {@code epsilon_high}).
 * The gradient is taken with respect to {@code logp} only ({@code old_logp} and
 * {@code advantages} are constants of the update), with PyTorch autograd's conventions for
 * {@code min} and {@code clamp}: the unclipped branch contributes {@code r·A}, the clipped one
 * {@code r·A} only where {@code 1 − ε_low ≤ r ≤ 1 + ε_high} (clamp passes the gradient on its
 * bounds) and 0 where the clip is active; where both branches are equal (r inside the
 * interval, e.g. r = 1, or A = 0) each gets half, so the total is {@code −r·A/N}. Hence the
 * gradient is 0 exactly where the clipped branch is the strict minimum and clipping is active.
 *
 * <p>Shapes: {@code logp}, {@code old_logp}, {@code advantages} all {@code [N]}, N ≥ 1.
 * Always a scalar: the mean divides by N.
 *
 * <pre>{@code
 * Loss ppo = PpoClip.builder().set(PpoClip.EPSILON, 0.2).build();
 * LossResult r = ppo.compute(Inputs.of("logp", Tensor.vector(logp))
 *         .with("old_logp", Tensor.vector(oldLogp)).with("advantages", Tensor.vector(adv)));
 * double[] dLogp = r.grad("logp").f64();
 * }</pre>
 *
 * <p>References: Schulman et al. 2017, "Proximal Policy Optimization Algorithms" (L^CLIP); Yu et
 * al. 2025, "DAPO" (asymmetric clipping).
 */
public final class PpoClip extends AbstractLoss {
    /** {@code epsilon}: Clip range: the ratio is clipped to [1 − ε, 1 + ε]. Default {@code 0.2}; allowed: &gt;= 0. */
    public static final OptionSpec<Double> EPSILON = OptionSpec.real("epsilon", 0.2, OptionSpec.Range.NON_NEGATIVE,
            "clip range: the ratio is clipped to [1 − ε, 1 + ε]");
    /**
     * {@code epsilon_low}: Lower clip range: the ratio is clipped below at 1 − epsilon_low; null = epsilon. Default
     * {@code null}; allowed: &gt;= 0.
     */
    public static final OptionSpec<Double> EPSILON_LOW = OptionSpec.nullableReal("epsilon_low", null,
            OptionSpec.Range.NON_NEGATIVE, "lower clip range: the ratio is clipped below at 1 − epsilon_low; null ="
                    + " epsilon");
    /**
     * {@code epsilon_high}: Upper clip range: the ratio is clipped above at 1 + epsilon_high; null = epsilon.
     * Default {@code null}; allowed: &gt;= 0.
     */
    public static final OptionSpec<Double> EPSILON_HIGH = OptionSpec.nullableReal("epsilon_high", null,
            OptionSpec.Range.NON_NEGATIVE, "upper clip range: the ratio is clipped above at 1 + epsilon_high; null ="
                    + " epsilon");

    public static final LossInfo INFO = LossInfo.builder("ppo_clip", Family.PREFERENCE)
            .summary("PPO clipped surrogate: policy-gradient loss that ignores gains from moving the ratio past 1 ± ε")
            .formula("−mean min(r·A, clip(r, 1 − ε_low, 1 + ε_high)·A), r = exp(logp − old_logp), ε_low and ε_high"
                    + " ε unless set")
            .gradInput("logp", "[N]: log-probabilities of the taken actions under the current policy")
            .input("old_logp", "[N]: log-probabilities under the policy that collected the data")
            .input("advantages", "[N]: advantage estimates")
            .options(EPSILON, EPSILON_LOW, EPSILON_HIGH)
            .divisor("always a scalar: the mean divides by N")
            .tasks("reinforcement learning (policy optimisation)", "RLHF with PPO")
            .reference("Schulman et al. 2017 (PPO); Yu et al. 2025 (DAPO clip-higher)")
            .layout(LossInfo.Layout.SCALAR)
            .example((r, n, o) -> {
                double[] logp = Examples.uniform(r, n, -3, -0.2);
                double[] old = new double[n];
                for (int i = 0; i < n; i++) {
                    old[i] = logp[i] + 0.6 * r.nextGaussian();
                }
                return Inputs.of("logp", Examples.t(logp, n)).with("old_logp", Examples.t(old, n))
                        .with("advantages", Examples.t(Examples.gauss(r, n, 1), n));
            })
            .kinks(true)
            .factory(PpoClip::new)
            .build();

    private final double lo;
    private final double hi;

    private PpoClip(Options o) {
        super(INFO, o);
        double eps = o.real(EPSILON);
        Double low = o.get(EPSILON_LOW);
        Double high = o.get(EPSILON_HIGH);
        this.lo = 1 - (low == null ? eps : low);
        this.hi = 1 + (high == null ? eps : high);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code PpoClip}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<PpoClip, Builder> {
        private Builder() {
            super(INFO, PpoClip.class);
        }

        /**
         * {@code epsilon}: Clip range: the ratio is clipped to [1 − ε, 1 + ε]. Default {@code 0.2}; allowed:
         * &gt;= 0.
         */
        public Builder epsilon(double value) {
            return set(EPSILON, value);
        }

        /**
         * {@code epsilon_low}: Lower clip range: the ratio is clipped below at 1 − epsilon_low; null = epsilon.
         * Default {@code null}; allowed: &gt;= 0.
         */
        public Builder epsilonLow(Double value) {
            return set(EPSILON_LOW, value);
        }

        /**
         * {@code epsilon_high}: Upper clip range: the ratio is clipped above at 1 + epsilon_high; null = epsilon.
         * Default {@code null}; allowed: &gt;= 0.
         */
        public Builder epsilonHigh(Double value) {
            return set(EPSILON_HIGH, value);
        }
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor logp = call.input("logp");
        Tensor old = call.input("old_logp");
        Tensor adv = call.input("advantages");
        Check.rank("logp", logp, 1);
        Check.sameShape("logp", logp, "old_logp", old);
        Check.sameShape("logp", logp, "advantages", adv);
        Check.nonEmpty("logp", logp);
        double[] lp = data(logp);
        double[] op = data(old);
        double[] a = data(adv);
        double[] gl = call.gradient("logp", logp);
        double s = call.reduce(lp.length);
        double sum = 0;
        for (int i = 0; i < lp.length; i++) {
            double r = Math.exp(lp[i] - op[i]);
            double ai = a[i];
            double c = Math.min(Math.max(r, lo), hi);
            double u = r * ai;          // unclipped branch
            double v = c * ai;          // clipped branch
            // min that propagates NaN (Math.min does)
            double m = Math.min(u, v);
            sum -= m;
            if (gl != null) {
                // d(u)/dlogp = r·A; d(v)/dlogp = r·A where lo ≤ r ≤ hi, else 0 (clamp backward)
                double du = u;
                double dv = r >= lo && r <= hi ? u : 0;
                double d;
                if (u < v) {
                    d = du;
                } else if (v < u) {
                    d = dv;
                } else {
                    d = 0.5 * du + 0.5 * dv; // tie (or NaN): min's backward splits the gradient
                }
                gl[i] = -d * s;
            }
        }
        return call.finish(sum);
    }

    static double[] data(Tensor t) {
        return t.dtype() == DType.FLOAT64 ? t.f64() : t.toDoubleArray();
    }
}
