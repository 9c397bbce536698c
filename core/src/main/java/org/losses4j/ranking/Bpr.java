package org.losses4j.ranking;

import org.losses4j.AbstractLoss;
import org.losses4j.Check;
import org.losses4j.ErrorKind;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossBuilder;
import org.losses4j.LossCall;
import org.losses4j.LossException;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * Bayesian personalised ranking on implicit feedback: for each user (row) a positive item's
 * score {@code p_n} and one or K sampled negatives' scores {@code q_nk}, the term
 * {@code −log σ(p_n − q_nk) = log(1 + exp(q_nk − p_n))} per pair, evaluated as
 * {@code max(z, 0) + log1p(exp(−|z|))}, z = q − p: finite for any scores (no log of 0; RecBole's
 * BPRLoss adds γ = 1e-10 inside the log instead, which caps the loss at 23).
 *
 * <p>Shapes: positive_scores {@code [N]}; negative_scores {@code [N]} (one negative per positive)
 * or {@code [N, K]} (K negatives, each paired with its row's positive). {@code none} gives the
 * shape of negative_scores; {@code mean} divides by the number of pairs N·K.
 *
 * <p>Reference: Rendle et al. (2009), "BPR: Bayesian Personalized Ranking from Implicit Feedback".
 */
public final class Bpr extends AbstractLoss {
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("bpr", Family.RANKING)
            .summary("BPR: log-sigmoid loss on the score margin of an observed item over sampled unobserved ones")
            .formula("−log σ(p_n − q_nk) per pair of a positive and a negative score")
            .gradInput("positive_scores", "[N] scores of the observed (positive) items")
            .gradInput("negative_scores", "as positive_scores, or N rows of K negatives: each paired with its row's"
                    + " positive")
            .options(REDUCTION)
            .divisor("the number of pairs (N, or N·K)")
            .convex(true)
            .layout(LossInfo.Layout.ROW)
            .tasks("recommendation from implicit feedback", "collaborative filtering", "matrix factorisation")
            .reference("Rendle et al. 2009 (BPR)")
            .example((r, n, o) -> Inputs.of("positive_scores", Examples.t(Examples.gauss(r, n, 1), n))
                    .with("negative_scores", Examples.t(Examples.gauss(r, n, 1), n)))
            .factory(Bpr::new)
            .build();

    private Bpr(Options o) {
        super(INFO, o);
    }

    public static LossBuilder<Bpr> builder() {
        return new LossBuilder<>(INFO, Bpr.class);
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor pt = call.require("positive_scores");
        Tensor qt = call.require("negative_scores");
        Check.rank("positive_scores", pt, 1);
        Check.rank("negative_scores", qt, 1, 2);
        int n = pt.dim(0);
        if (qt.dim(0) != n) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "negative_scores shape " + qt.shapeString()
                    + " must be [" + n + "] or [" + n + ", K]: one row per positive of positive_scores "
                    + pt.shapeString());
        }
        int k = qt.rank() == 2 ? qt.dim(1) : 1;
        int pairs = n * k;
        double scale = call.reduce(pairs);
        double[] p = pt.f64();
        double[] q = qt.f64();
        double[] gp = call.gradient("positive_scores", pt);
        double[] gq = call.gradient("negative_scores", qt);
        double[] terms = call.terms(pairs);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i * k; j < (i + 1) * k; j++) {
                double z = q[j] - p[i];
                double t = RankedLists.softplusNeg(-z);
                terms[j] = t;
                sum += t;
                if (gq != null) {
                    double s = scale * RankedLists.sigmoidNeg(-z); // σ(z)
                    gq[j] = s;
                    gp[i] -= s;
                }
            }
        }
        return call.finish(terms, sum, qt.shape());
    }
}
