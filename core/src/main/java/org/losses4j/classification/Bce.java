package org.losses4j.classification;

import org.losses4j.Check;
import org.losses4j.ElementwiseLoss;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossBuilder;
import org.losses4j.LossInfo;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * Binary cross-entropy on probabilities.
 *
 * <p>Term: {@code ℓ = −w[y·max(log p, −100) + (1 − y)·max(log(1 − p), −100)]} (PyTorch
 * {@code BCELoss}: the clamp keeps p = 0 and p = 1 finite). Gradient, as PyTorch's backward,
 * {@code w·(p − y)/max(p(1 − p), 1e-12)}, also where the clamp is active. Second derivative:
 * the derivative of that gradient, {@code w·(y(1 − p)² + (1 − y)p²)/(p(1 − p))²} where
 * {@code p(1 − p) > 1e-12}, and {@code w·1e12} where the denominator is clamped.
 *
 * <p>Shapes: input (probabilities in [0, 1]), target (in [0, 1]) and the optional
 * {@code weight} all of the same (any) shape; values outside [0, 1] are refused.
 * {@code mean} divides by the number of elements; {@code none} returns the terms in input's
 * shape.
 *
 * <p>Reference: PyTorch {@code BCELoss}.
 */
public final class Bce extends ElementwiseLoss {
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    /** PyTorch's floor on the gradient's denominator p(1 − p). */
    private static final double EPS = 1e-12;

    public static final LossInfo INFO = LossInfo.builder("bce", Family.CLASSIFICATION)
            .summary("binary cross-entropy of probabilities: the Bernoulli negative log-likelihood")
            .formula("−w[y·max(log p, −100) + (1 − y)·max(log(1 − p), −100)]")
            .gradInput("input", "probabilities in [0, 1], any shape")
            .input("target", "same shape as input, values in [0, 1]")
            .optionalInput("weight", "same shape as input")
            .options(REDUCTION)
            .divisor("the number of elements")
            .convex(true).elementwise(true)
            .tasks("binary classification on probabilities", "multi-label classification")
            .reference("PyTorch BCELoss")
            .example((r, n, o) -> Inputs.of(Examples.t(Examples.uniform(r, n * 3, 0.05, 0.95), n, 3),
                    Examples.t(Examples.uniform(r, n * 3, 0, 1), n, 3))
                    .with("weight", Examples.t(Examples.uniform(r, n * 3, 0.5, 2), n, 3)))
            .variable(LossInfo.Variable.PROBABILITY)
            .factory(Bce::new)
            .build();

    private Bce(Options o) {
        super(INFO, o);
    }

    public static LossBuilder<Bce> builder() {
        return new LossBuilder<>(INFO, Bce.class);
    }

    @Override
    protected void validate(Tensor input, Tensor target) {
        Check.closed("input", input, 0, 1);
        Check.closed("target", target, 0, 1);
    }

    @Override
    protected void terms(Block b) {
        double[] x = b.x, y = b.y, t = b.term, dx = b.dx;
        for (int k = 0, n = b.n; k < n; k++) {
            double p = x[k], yk = y[k];
            // log(1 − p), not log1p(−p): PyTorch's rounding, which the reference values carry
            double lp = Math.max(Math.log(p), -100.0);
            double lq = Math.max(Math.log(1 - p), -100.0);
            // y·(−100) rather than y·log 0: the clamp also keeps 0·(−∞) out
            t[k] = -(yk * lp + (1 - yk) * lq);
            dx[k] = (p - yk) / Math.max((1 - p) * p, EPS);
        }
    }

    @Override
    protected void secondDerivative(Block b) {
        double[] x = b.x, y = b.y, h = b.dxx;
        for (int k = 0, n = b.n; k < n; k++) {
            double p = x[k], yk = y[k];
            double q = 1 - p;
            double den = q * p;
            // derivative of (p − y)/(p(1 − p)) is (y(1 − p)² + (1 − y)p²)/(p(1 − p))² (a sum of
            // non-negative parts); where the floor is active the gradient is (p − y)/1e-12
            h[k] = den > EPS ? (yk * q * q + (1 - yk) * p * p) / (den * den) : den == den ? 1 / EPS : den;
        }
    }
}
