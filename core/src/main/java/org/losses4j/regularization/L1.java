package org.losses4j.regularization;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.AbstractLoss;
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
 * L1 (lasso) penalty on parameters: {@code λ·Σ|w|}.
 *
 * <p>Gradient {@code λ·sign(w)}, with the subgradient 0 at {@code w = 0} (the element of the
 * subdifferential [−λ, λ] that keeps a zero weight at zero). Shape: {@code weights} of any
 * shape, the scalar {@code []} and the empty tensor included (value 0). Always a scalar: a
 * plain sum, no mean. Use it as the Ω of {@link org.losses4j.objective.Objective}.
 *
 * <pre>{@code
 * Loss l1 = L1.builder().set(L1.LAMBDA, 0.5).build();
 * l1.compute(Inputs.of("weights", Tensor.vector(new double[] {1, -2, 0}))).value();  // 1.5
 * }</pre>
 *
 * <p>Reference: Tibshirani 1996, "Regression Shrinkage and Selection via the Lasso".
 */
public final class L1 extends AbstractLoss {
    /**
     * {@code lambda}: Penalty strength λ (at most 1e15: larger values overflow the weighted value or its float32
     * gradient). Default {@code 1.0}; allowed: in [0, 1e15].
     */
    public static final OptionSpec<Double> LAMBDA = OptionSpec.real("lambda", 1.0, OptionSpec.Range.BOUNDED_NON_NEGATIVE,
            "penalty strength λ (at most 1e15: larger values overflow the weighted value or its float32 gradient)");

    public static final LossInfo INFO = LossInfo.builder("l1", Family.REGULARIZATION)
            .summary("L1 (lasso) penalty: drives weights to exactly zero (sparsity)")
            .formula("λ·Σ|w|; subgradient 0 at w = 0")
            .gradInput("weights", "any shape: the parameters to penalise")
            .options(LAMBDA)
            .divisor("always a scalar: a sum over all weights (no mean)")
            .convex(true)
            .tasks("sparse models", "feature selection", "weight regularisation")
            .reference("Tibshirani 1996 (lasso)")
            .layout(LossInfo.Layout.SCALAR)
            .example(Examples::weights)
            .kinks(true)
            .factory(L1::new)
            .build();

    private final double lambda;

    private L1(Options o) {
        super(INFO, o);
        this.lambda = o.real(LAMBDA);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code L1}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<L1, Builder> {
        private Builder() {
            super(INFO, L1.class);
        }

        /**
         * {@code lambda}: Penalty strength λ (at most 1e15: larger values overflow the weighted value or its
         * float32 gradient). Default {@code 1.0}; allowed: in [0, 1e15].
         */
        public Builder lambda(double value) {
            return set(LAMBDA, value);
        }
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor t = call.input("weights");
        double[] w = data(t);
        double[] gw = call.gradient("weights", t);
        double c = lambda;
        double sum = 0;
        for (int i = 0; i < w.length; i++) {
            double v = w[i];
            sum += Math.abs(v);
            if (gw != null) {
                gw[i] = c * Math.signum(v); // signum(±0) = ±0: the subgradient 0 at w = 0
            }
        }
        return call.finishValue(lambda * sum); // a sum: no mean
    }

    static double[] data(Tensor t) {
        return t.dtype() == DType.FLOAT64 ? t.f64() : t.toDoubleArray();
    }
}
