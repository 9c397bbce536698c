package org.losses4j.regression;

import org.losses4j.ElementwiseLoss;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.LossBuilder;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;

/**
 * Log-cosh loss: about {@code ½d²} for small residuals and {@code |d| − log 2} for large ones,
 * smooth everywhere.
 *
 * <p>Term, with {@code d = x − y}: {@code log cosh d}; gradient {@code tanh d}; second
 * derivative {@code sech² d}. Shapes: input and target of the same (any) shape. {@code mean}
 * divides by the number of elements.
 *
 * <p>Numerics: {@code cosh} overflows beyond |d| ≈ 710, so for {@code |d| ≥ 1} the term is
 * {@code |d| − log 2 + log1p(e^{−2|d|})} (exact at ±1e4: {@code |d| − log 2}); below 1 it is
 * {@code log1p(2 sinh²(d/2))}, which keeps full relative precision for tiny residuals where
 * the first form cancels ({@code log cosh d ≈ d²/2}). {@code sech² d} is
 * {@code 4e^{−2|d|}/(1 + e^{−2|d|})²}, which underflows gracefully to 0.
 *
 * <p>Reference: Chen et al. (2019), "Log Hyperbolic Cosine Loss Improves Variational
 * Auto-Encoder"; Keras {@code LogCosh}.
 */
public final class LogCosh extends ElementwiseLoss {
    private static final double LOG2 = Math.log(2.0);

    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("log_cosh", Family.REGRESSION)
            .summary("log cosh of the residual: smooth like mse near 0, linear like mae far out")
            .formula("log cosh(x − y), computed stably for large |x − y|")
            .gradInput("input", "any shape")
            .input("target", "same shape as input")
            .options(REDUCTION)
            .divisor("the number of elements")
            .convex(true).robust(true).elementwise(true)
            .tasks("regression", "regression with outliers", "smooth robust regression")
            .reference("Keras LogCosh; Chen et al. 2019")
            .example(Examples::regression)
            .factory(LogCosh::new)
            .build();

    private LogCosh(Options o) {
        super(INFO, o);
    }

    public static LossBuilder<LogCosh> builder() {
        return new LossBuilder<>(INFO, LogCosh.class);
    }

    @Override
    protected void terms(Block b) {
        double[] x = b.x, y = b.y, t = b.term, dx = b.dx;
        for (int k = 0, n = b.n; k < n; k++) {
            double d = x[k] - y[k];
            double a = Math.abs(d);
            if (a < 1.0) {
                double s = Math.sinh(0.5 * d);
                t[k] = Math.log1p(2 * s * s);
            } else {
                // also the NaN path (NaN < 1 is false): NaN propagates
                t[k] = a - LOG2 + Math.log1p(Math.exp(-2 * a));
            }
            dx[k] = Math.tanh(d);
        }
    }

    @Override
    protected void secondDerivative(Block b) {
        for (int k = 0, n = b.n; k < n; k++) {
            double e = Math.exp(-2 * Math.abs(b.x[k] - b.y[k]));
            double q = 1 + e;
            b.dxx[k] = 4 * e / (q * q);
        }
    }
}
