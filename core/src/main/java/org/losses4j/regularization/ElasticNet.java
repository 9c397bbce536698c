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
 * Elastic-net penalty: {@code λ1·Σ|w| + λ2·Σw²}, the sum of the {@link L1} and {@link L2}
 * penalties.
 *
 * <p>Gradient {@code λ1·sign(w) + 2λ2·w}, with the L1 subgradient 0 at {@code w = 0}. Shape:
 * {@code weights} of any shape. Always a scalar: a plain sum, no mean.
 *
 * <pre>{@code
 * Loss en = ElasticNet.builder().set(ElasticNet.L1, 0.1).set(ElasticNet.L2, 0.01).build();
 * en.compute(Inputs.of("weights", Tensor.vector(new double[] {1, -2}))).value();  // 0.3 + 0.05
 * }</pre>
 *
 * <p>Reference: Zou &amp; Hastie 2005, "Regularization and variable selection via the elastic net".
 */
public final class ElasticNet extends AbstractLoss {
    /**
     * {@code l1}: Strength λ1 of the L1 part (at most 1e15: larger values overflow the weighted value or its float32
     * gradient). Default {@code 1.0}; allowed: in [0, 1e15].
     */
    public static final OptionSpec<Double> L1 = OptionSpec.real("l1", 1.0, OptionSpec.Range.BOUNDED_NON_NEGATIVE,
            "strength λ1 of the L1 part (at most 1e15: larger values overflow the weighted value or its float32 gradient)");
    /**
     * {@code l2}: Strength λ2 of the L2 part (at most 1e15: larger values overflow the weighted value or its float32
     * gradient). Default {@code 1.0}; allowed: in [0, 1e15].
     */
    public static final OptionSpec<Double> L2 = OptionSpec.real("l2", 1.0, OptionSpec.Range.BOUNDED_NON_NEGATIVE,
            "strength λ2 of the L2 part (at most 1e15: larger values overflow the weighted value or its float32 gradient)");

    public static final LossInfo INFO = LossInfo.builder("elastic_net", Family.REGULARIZATION)
            .summary("elastic-net penalty: L1 sparsity plus L2 shrinkage (stable with correlated features)")
            .formula("λ1·Σ|w| + λ2·Σw²; L1 subgradient 0 at w = 0")
            .gradInput("weights", "any shape: the parameters to penalise")
            .options(L1, L2)
            .divisor("always a scalar: a sum over all weights (no mean)")
            .convex(true)
            .tasks("sparse models with correlated features", "weight regularisation")
            .reference("Zou & Hastie 2005 (elastic net)")
            .layout(LossInfo.Layout.SCALAR)
            .example(Examples::weights)
            .kinks(true)
            .factory(ElasticNet::new)
            .build();

    private final double l1;
    private final double l2;

    private ElasticNet(Options o) {
        super(INFO, o);
        this.l1 = o.real(L1);
        this.l2 = o.real(L2);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code ElasticNet}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<ElasticNet, Builder> {
        private Builder() {
            super(INFO, ElasticNet.class);
        }

        /**
         * {@code l1}: Strength λ1 of the L1 part (at most 1e15: larger values overflow the weighted value or
         * its float32 gradient). Default {@code 1.0}; allowed: in [0, 1e15].
         */
        public Builder l1(double value) {
            return set(L1, value);
        }

        /**
         * {@code l2}: Strength λ2 of the L2 part (at most 1e15: larger values overflow the weighted value or
         * its float32 gradient). Default {@code 1.0}; allowed: in [0, 1e15].
         */
        public Builder l2(double value) {
            return set(L2, value);
        }
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor t = call.input("weights");
        double[] w = org.losses4j.regularization.L1.data(t);
        double[] gw = call.gradient("weights", t);
        double c1 = l1;
        double c2 = 2 * l2;
        double sumAbs = 0;
        double sumSq = 0;
        for (int i = 0; i < w.length; i++) {
            double v = w[i];
            sumAbs += Math.abs(v);
            sumSq += v * v;
            if (gw != null) {
                gw[i] = c1 * Math.signum(v) + c2 * v;
            }
        }
        return call.finishValue(l1 * sumAbs + l2 * sumSq); // a sum: no mean
    }
}
