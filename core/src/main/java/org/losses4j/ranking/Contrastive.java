package org.losses4j.ranking;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.AbstractLoss;
import org.losses4j.Check;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossCall;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * Contrastive loss for pairs of embeddings (Siamese networks).
 *
 * <p>Term, with {@code d = ‖x1 − x2‖₂}: {@code ½d²} for a similar pair, {@code ½max(0, m − d)²}
 * for a dissimilar one. Gradient with respect to x1: {@code x1 − x2} (similar),
 * {@code −max(0, m − d)·(x1 − x2)/d} (dissimilar, subgradient 0 at {@code d = 0}); with respect
 * to x2 its negative.
 *
 * <p>Shapes: x1, x2 {@code [N, D]}; target {@code [N]} in {0, 1}. Which value means "similar" is
 * the {@code similar_label} option: 1 (default, Hadsell et al.) or 0 (the other convention in the
 * literature, where 0 marks a genuine pair). {@code mean} divides by N; {@code none} gives
 * {@code [N]}.
 *
 * <p>Reference: Hadsell, Chopra, LeCun (2006), "Dimensionality Reduction by Learning an
 * Invariant Mapping".
 */
public final class Contrastive extends AbstractLoss {
    /**
     * {@code margin}: Distance beyond which a dissimilar pair costs nothing (at most 1e15: the squared margin overflows
     * beyond ~1e154). Default {@code 1.0}; allowed: in [0, 1e15].
     */
    public static final OptionSpec<Double> MARGIN = OptionSpec.real("margin", 1.0, OptionSpec.Range.BOUNDED_NON_NEGATIVE,
            "distance beyond which a dissimilar pair costs nothing (at most 1e15: the squared margin overflows beyond ~1e154)");
    /**
     * {@code similar_label}: The target value that marks a similar pair: 1 or 0. Default {@code 1}; allowed: in [0, 1].
     */
    public static final OptionSpec<Long> SIMILAR_LABEL = OptionSpec.integer("similar_label", 1,
            OptionSpec.Range.UNIT_CLOSED, "the target value that marks a similar pair: 1 or 0");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("contrastive", Family.RANKING)
            .summary("pulls similar pairs together and pushes dissimilar pairs at least a margin apart")
            .formula("similar: ½d²; dissimilar: ½max(0, m − d)², d = ‖x1 − x2‖₂")
            .gradInput("x1", "[N, D] embeddings")
            .gradInput("x2", "[N, D] embeddings")
            .input("target", "[N] in {0, 1}: which pairs are similar (see similar_label)")
            .options(MARGIN, SIMILAR_LABEL, REDUCTION)
            .divisor("the number of pairs N")
            .tasks("metric learning", "Siamese networks", "face verification")
            .reference("Hadsell, Chopra, LeCun 2006")
            .layout(LossInfo.Layout.ROW)
            .example((r, n, o) -> Inputs.of("x1", Examples.t(Examples.gauss(r, n * 3, 1), n, 3))
                    .with("x2", Examples.t(Examples.gauss(r, n * 3, 1), n, 3))
                    .with("target", Examples.t(Examples.binary(r, n, 0), n)))
            .kinks(true)
            .factory(Contrastive::new)
            .build();

    private final double margin;
    private final double similar;

    private Contrastive(Options o) {
        super(INFO, o);
        this.margin = o.real(MARGIN);
        this.similar = o.get(SIMILAR_LABEL);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code Contrastive}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<Contrastive, Builder> {
        private Builder() {
            super(INFO, Contrastive.class);
        }

        /**
         * {@code margin}: Distance beyond which a dissimilar pair costs nothing (at most 1e15: the squared
         * margin overflows beyond ~1e154). Default {@code 1.0}; allowed: in [0, 1e15].
         */
        public Builder margin(double value) {
            return set(MARGIN, value);
        }

        /**
         * {@code similar_label}: The target value that marks a similar pair: 1 or 0. Default {@code 1};
         * allowed: in [0, 1].
         */
        public Builder similarLabel(long value) {
            return set(SIMILAR_LABEL, value);
        }
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor t1 = call.input("x1");
        Tensor t2 = call.input("x2");
        Tensor tt = call.input("target");
        RowVectors.matrix("x1", t1);
        Check.sameShape("x1", t1, "x2", t2);
        int n = t1.dim(0);
        int d = t1.dim(1);
        RowVectors.perRow("target", tt, "x1", n);
        Check.oneOf("target", tt, 0, 1);

        double[] x1 = t1.f64();
        double[] x2 = t2.f64();
        double[] y = tt.f64();
        double scale = call.reduce(n);
        double[] g1 = call.gradient("x1", t1);
        double[] g2 = call.gradient("x2", t2);
        // the terms: scratch unless they are the result (reduction none)
        double[] terms = call.terms(n);
        double dissimilar = 1 - similar;
        for (int i = 0; i < n; i++) {
            int o = i * d;
            double dist = RowVectors.distance(x1, o, x2, o, d);
            double term;
            double c; // the gradient w.r.t. x1 is c·(x1 − x2)
            if (y[i] == similar) {
                term = 0.5 * dist * dist;
                c = 1;
            } else if (y[i] == dissimilar) {
                double h = RowVectors.hinge(margin - dist);
                term = 0.5 * h * h;
                // subgradient 0 at d = 0, where the direction (x1 − x2)/d is undefined; NaN stays NaN
                c = h > 0 && dist > 0 ? -h / dist : h * 0;
            } else { // NaN label
                term = Double.NaN;
                c = Double.NaN;
            }
            terms[i] = term;
            if (g1 != null && c != 0) {
                c *= scale;
                if (Double.isInfinite(c) && dist > 0 && dist < 1) {
                    // a subnormal distance: −h/d overflowed; scale the unit vector (x1 − x2)/d instead
                    double cu = -RowVectors.hinge(margin - dist) * scale;
                    for (int k = 0; k < d; k++) {
                        double v = cu * ((x1[o + k] - x2[o + k]) / dist);
                        g1[o + k] = v;
                        g2[o + k] = -v;
                    }
                    continue;
                }
                for (int k = 0; k < d; k++) {
                    double v = c * (x1[o + k] - x2[o + k]);
                    g1[o + k] = v;
                    g2[o + k] = -v;
                }
            }
        }
        return call.finish(terms, n);
    }
}
