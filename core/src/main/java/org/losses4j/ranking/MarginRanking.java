package org.losses4j.ranking;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.AbstractLoss;
import org.losses4j.Check;
import org.losses4j.ErrorKind;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossCall;
import org.losses4j.LossException;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * Margin ranking loss: input1 should rank above input2 by a margin where the target is +1,
 * below it where the target is −1.
 *
 * <p>Term: {@code max(0, −y·(x1 − x2) + m)}. Gradient with respect to x1: {@code −y} where the
 * hinge is active, 0 elsewhere (also at the kink); with respect to x2 its negative.
 *
 * <p>Shapes: input1, input2 and target of the same (any) shape, target in {−1, +1}.
 * {@code mean} divides by the number of elements; {@code none} gives input1's shape.
 *
 * <p>Reference: PyTorch {@code MarginRankingLoss}; Herbrich, Graepel, Obermayer (1999),
 * "Support vector learning for ordinal regression".
 */
public final class MarginRanking extends AbstractLoss {
    /**
     * {@code margin}: By how much the preferred score must exceed the other (within ±1e15: a larger margin overflows
     * the loss, squared or summed). Default {@code 0.0}; allowed: in [-1e15, 1e15].
     */
    public static final OptionSpec<Double> MARGIN = OptionSpec.real("margin", 0.0, OptionSpec.Range.BOUNDED,
            "by how much the preferred score must exceed the other (within ±1e15: a larger margin overflows the loss, squared or summed)");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("margin_ranking", Family.RANKING)
            .summary("pairwise ranking hinge: the preferred score of each pair should win by a margin")
            .formula("max(0, −y·(x1 − x2) + m)")
            .gradInput("input1", "any shape: scores of the first items")
            .gradInput("input2", "same shape as input1: scores of the second items")
            .input("target", "same shape as input1, in {−1, +1}: +1 where input1 should rank higher")
            .options(MARGIN, REDUCTION)
            .divisor("the number of elements")
            .convex(true)
            .tasks("learning to rank", "pairwise preference", "recommendation")
            .reference("PyTorch MarginRankingLoss; Herbrich et al. 1999")
            .layout(LossInfo.Layout.ROW)
            .example((r, n, o) -> Inputs.of("input1", Examples.t(Examples.gauss(r, n * 3, 1), n, 3))
                    .with("input2", Examples.t(Examples.gauss(r, n * 3, 1), n, 3))
                    .with("target", Examples.t(Examples.binary(r, n * 3, -1), n, 3)))
            .kinks(true)
            .factory(MarginRanking::new)
            .build();

    private final double margin;

    private MarginRanking(Options o) {
        super(INFO, o);
        this.margin = o.real(MARGIN);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code MarginRanking}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<MarginRanking, Builder> {
        private Builder() {
            super(INFO, MarginRanking.class);
        }

        /**
         * {@code margin}: By how much the preferred score must exceed the other (within ±1e15: a larger margin
         * overflows the loss, squared or summed). Default {@code 0.0}; allowed: in [-1e15, 1e15].
         */
        public Builder margin(double value) {
            return set(MARGIN, value);
        }
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor t1 = call.input("input1");
        Tensor t2 = call.input("input2");
        Tensor ty = call.input("target");
        Check.sameShape("input1", t1, "input2", t2);
        Check.sameShape("input1", t1, "target", ty);
        Check.oneOf("target", ty, -1, 1);
        int n = t1.size();
        if (reduction() == Reduction.MEAN && n == 0) {
            throw new LossException(ErrorKind.EMPTY_INPUT, "input1 " + t1.shapeString()
                    + " is empty: the mean of no terms is undefined");
        }
        double[] x1 = t1.f64();
        double[] x2 = t2.f64();
        double[] y = ty.f64();
        double scale = call.reduce(n);
        double[] g1 = call.gradient("input1", t1);
        double[] g2 = call.gradient("input2", t2);
        // the terms: scratch unless they are the result (reduction none)
        double[] terms = call.terms(n);
        double m = margin;
        for (int i = 0; i < n; i++) {
            double yi = y[i];
            double z = m - yi * (x1[i] - x2[i]);
            terms[i] = RowVectors.hinge(z);
            if (g1 != null) {
                double c = RowVectors.hingeSlope(z) * yi * scale;
                g1[i] = -c;
                g2[i] = c;
            }
        }
        return call.finish(terms, t1.shape());
    }
}
