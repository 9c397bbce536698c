package org.losses4j.regularization;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.AbstractLoss;
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
 * L2 (ridge, weight decay) penalty on parameters: {@code λ·Σw²} (no ½ factor).
 *
 * <p>Gradient {@code 2λw}. Shape: {@code weights} of any shape, the scalar {@code []} and the
 * empty tensor included (value 0). Always a scalar: a plain sum, no mean. Use it as the Ω of
 * {@link org.losses4j.objective.Objective}.
 *
 * <pre>{@code
 * Loss l2 = L2.builder().set(L2.LAMBDA, 0.5).build();
 * l2.compute(Inputs.of("weights", Tensor.vector(new double[] {1, -2, 0}))).value();  // 2.5
 * }</pre>
 *
 * <p>Reference: Hoerl &amp; Kennard 1970 (ridge regression); Tikhonov regularisation.
 */
public final class L2 extends AbstractLoss {
    /**
     * {@code lambda}: Penalty strength λ (at most 1e15: larger values overflow the weighted value or its float32
     * gradient). Default {@code 1.0}; allowed: in [0, 1e15].
     */
    public static final OptionSpec<Double> LAMBDA = OptionSpec.real("lambda", 1.0, OptionSpec.Range.BOUNDED_NON_NEGATIVE,
            "penalty strength λ (at most 1e15: larger values overflow the weighted value or its float32 gradient)");

    public static final LossInfo INFO = LossInfo.builder("l2", Family.REGULARIZATION)
            .summary("L2 (ridge) penalty: shrinks all weights smoothly towards zero")
            .formula("λ·Σw²")
            .gradInput("weights", "any shape: the parameters to penalise")
            .options(LAMBDA)
            .divisor("always a scalar: a sum over all weights (no mean)")
            .convex(true)
            .tasks("weight decay", "ridge regression", "weight regularisation")
            .reference("Hoerl & Kennard 1970 (ridge); Tikhonov")
            .layout(LossInfo.Layout.SCALAR)
            .example(Examples::weights)
            .factory(L2::new)
            .build();

    private final double lambda;

    private L2(Options o) {
        super(INFO, o);
        this.lambda = o.real(LAMBDA);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code L2}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<L2, Builder> {
        private Builder() {
            super(INFO, L2.class);
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
        double[] w = L1.data(t);
        double[] gw = call.gradient("weights", t);
        double c = 2 * lambda;
        double sum = 0;
        for (int i = 0; i < w.length; i++) {
            double v = w[i];
            sum += v * v;
            if (gw != null) {
                gw[i] = c * v;
            }
        }
        return call.finishValue(lambda * sum); // a sum: no mean
    }
}
