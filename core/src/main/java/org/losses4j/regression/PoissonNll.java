package org.losses4j.regression;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.Check;
import org.losses4j.ElementwiseLoss;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * Poisson negative log-likelihood, for count targets.
 *
 * <p>Term: with {@code log_input} (default), {@code x} is a log-rate and the term is
 * {@code eˣ − y·x} (gradient {@code eˣ − y}, second derivative {@code eˣ}); otherwise
 * {@code x} is a rate and the term is {@code x − y·log(x + eps)} (gradient
 * {@code 1 − y/(x + eps)}, second derivative {@code y/(x + eps)²}). With {@code full}, the
 * Stirling approximation of {@code log y!}, {@code y·log y − y + ½log(2πy)}, is added for
 * {@code y > 1} only (it does not depend on {@code x}). Shapes: input and target of the same
 * (any) shape; target {@code ≥ 0}, and input {@code ≥ 0} when {@code log_input} is false
 * (refused otherwise; NaN propagates). {@code mean} divides by the number of elements.
 *
 * <p>Numerics: in log space no clamp is needed: {@code eˣ} is finite up to x ≈ 709, and at
 * very negative x the term is {@code −y·x} exactly.
 *
 * <p>Reference: PyTorch {@code PoissonNLLLoss}.
 */
public final class PoissonNll extends ElementwiseLoss {
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    /**
     * {@code log_input}: Input is a log-rate (true) or a rate (false). Default {@code true}; allowed: true or false.
     */
    public static final OptionSpec<Boolean> LOG_INPUT = OptionSpec.bool("log_input", true,
            "input is a log-rate (true) or a rate (false)");
    /**
     * {@code full}: Add Stirling's approximation of log(y!) for y &gt; 1. Default {@code false}; allowed: true or
     * false.
     */
    public static final OptionSpec<Boolean> FULL = OptionSpec.bool("full", false,
            "add Stirling's approximation of log(y!) for y > 1");
    /** {@code eps}: Added to a rate before its log when log_input is false. Default {@code 1.0E-8}; allowed: &gt; 0. */
    public static final OptionSpec<Double> EPS = OptionSpec.real("eps", 1e-8, OptionSpec.Range.POSITIVE,
            "added to a rate before its log when log_input is false");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("poisson_nll", Family.REGRESSION)
            .summary("Poisson negative log-likelihood: the loss for count targets (events, clicks, photons)")
            .formula("log_input: eˣ − y·x; else x − y·log(x + eps); full adds y·log y − y + ½log(2πy) for y > 1")
            .gradInput("input", "any shape; a log-rate, or a rate >= 0 when log_input is false")
            .input("target", "same shape as input, counts >= 0")
            .options(LOG_INPUT, FULL, EPS, REDUCTION)
            .divisor("the number of elements")
            .convex(true).elementwise(true)
            .tasks("count regression", "Poisson regression", "rate estimation")
            .reference("PyTorch PoissonNLLLoss")
            .example((r, n, o) -> {
                // log-rate inputs by default; rates (positive) with log_input = false
                double[] x = o.get(LOG_INPUT) ? Examples.gauss(r, n * 3, 1) : Examples.uniform(r, n * 3, 0.2, 4);
                double[] y = new double[n * 3];
                for (int i = 0; i < y.length; i++) {
                    y[i] = r.nextInt(6);
                }
                return Inputs.of(Examples.t(x, n, 3), Examples.t(y, n, 3));
            })
            .factory(PoissonNll::new)
            .build();

    private final boolean logInput;
    private final boolean full;
    private final double eps;

    private PoissonNll(Options o) {
        super(INFO, o);
        this.logInput = o.get(LOG_INPUT);
        this.full = o.get(FULL);
        this.eps = o.real(EPS);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code PoissonNll}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<PoissonNll, Builder> {
        private Builder() {
            super(INFO, PoissonNll.class);
        }

        /**
         * {@code log_input}: Input is a log-rate (true) or a rate (false). Default {@code true}; allowed: true
         * or false.
         */
        public Builder logInput(boolean value) {
            return set(LOG_INPUT, value);
        }

        /**
         * {@code full}: Add Stirling's approximation of log(y!) for y &gt; 1. Default {@code false}; allowed:
         * true or false.
         */
        public Builder full(boolean value) {
            return set(FULL, value);
        }

        /**
         * {@code eps}: Added to a rate before its log when log_input is false. Default {@code 1.0E-8};
         * allowed: &gt; 0.
         */
        public Builder eps(double value) {
            return set(EPS, value);
        }
    }

    @Override
    protected void validate(Tensor input, Tensor target) {
        Check.atLeast("target", target, 0);
        if (!logInput) {
            Check.atLeast("input", input, 0);
        }
    }

    @Override
    protected void terms(Block b) {
        double[] x = b.x, y = b.y, t = b.term, dx = b.dx;
        int n = b.n;
        if (logInput) {
            for (int k = 0; k < n; k++) {
                double e = Math.exp(x[k]);
                t[k] = e - y[k] * x[k];
                dx[k] = e - y[k];
            }
        } else {
            double ep = eps;
            for (int k = 0; k < n; k++) {
                double r = x[k] + ep;
                t[k] = x[k] - y[k] * Math.log(r);
                dx[k] = 1 - y[k] / r;
            }
        }
        if (full) {
            for (int k = 0; k < n; k++) {
                double v = y[k];
                if (v > 1) {
                    t[k] += v * Math.log(v) - v + HALF_LOG_2PI + 0.5 * Math.log(v);
                }
            }
        }
    }

    @Override
    protected void secondDerivative(Block b) {
        double[] x = b.x, y = b.y, dxx = b.dxx;
        int n = b.n;
        if (logInput) {
            for (int k = 0; k < n; k++) {
                dxx[k] = Math.exp(x[k]);
            }
        } else {
            double ep = eps;
            for (int k = 0; k < n; k++) {
                double r = x[k] + ep;
                dxx[k] = y[k] / (r * r);
            }
        }
    }
}
