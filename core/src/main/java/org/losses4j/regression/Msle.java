package org.losses4j.regression;

import org.losses4j.Check;
import org.losses4j.ElementwiseLoss;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.LossBuilder;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * Mean squared logarithmic error: squared error between {@code log(1 + x)} and
 * {@code log(1 + y)}, for targets spanning orders of magnitude.
 *
 * <p>Term, with {@code r = log1p(x) − log1p(y)}: {@code r²}; gradient {@code 2r/(1 + x)};
 * second derivative {@code 2(1 − r)/(1 + x)²}. Shapes: input and target of the same (any)
 * shape, every value {@code > −1} (a value {@code ≤ −1} in either is refused; NaN
 * propagates). {@code mean} divides by the number of elements.
 *
 * <p>Reference: Keras {@code MeanSquaredLogarithmicError}; scikit-learn
 * {@code mean_squared_log_error}.
 */
public final class Msle extends ElementwiseLoss {
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("msle", Family.REGRESSION)
            .summary("mean squared log error: relative error for positive targets spanning orders of magnitude")
            .formula("(log(1 + x) − log(1 + y))²")
            .gradInput("input", "any shape, values > −1")
            .input("target", "same shape as input, values > −1")
            .options(REDUCTION)
            .divisor("the number of elements")
            .elementwise(true)
            .tasks("regression of counts, prices or other positive quantities", "relative-error regression")
            .reference("Keras MeanSquaredLogarithmicError; scikit-learn mean_squared_log_error")
            .example(Examples::aboveMinusOne)
            .variable(LossInfo.Variable.LOG1P)
            .factory(Msle::new)
            .build();

    private Msle(Options o) {
        super(INFO, o);
    }

    public static LossBuilder<Msle> builder() {
        return new LossBuilder<>(INFO, Msle.class);
    }

    @Override
    protected void validate(Tensor input, Tensor target) {
        checkDomain(input, target);
    }

    @Override
    protected void terms(Block b) {
        kernel(b);
    }

    @Override
    protected void secondDerivative(Block b) {
        kernel2(b);
    }

    /** Both inputs > −1 (shared with rmsle). */
    static void checkDomain(Tensor input, Tensor target) {
        Check.greater("input", input, -1);
        Check.greater("target", target, -1);
    }

    /** Terms r² and gradients 2r/(1 + x) (shared with rmsle). */
    static void kernel(Block b) {
        double[] x = b.x, y = b.y, t = b.term, dx = b.dx;
        for (int k = 0, n = b.n; k < n; k++) {
            double r = Math.log1p(x[k]) - Math.log1p(y[k]);
            t[k] = r * r;
            dx[k] = 2 * r / (1 + x[k]);
        }
    }

    /** Second derivatives 2(1 − r)/(1 + x)² (shared with rmsle). */
    static void kernel2(Block b) {
        double[] x = b.x, y = b.y, dxx = b.dxx;
        for (int k = 0, n = b.n; k < n; k++) {
            double r = Math.log1p(x[k]) - Math.log1p(y[k]);
            double p = 1 + x[k];
            dxx[k] = 2 * (1 - r) / (p * p);
        }
    }
}
