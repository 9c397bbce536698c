package org.losses4j.ranking;

import org.losses4j.AbstractLoss;
import org.losses4j.Check;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossBuilder;
import org.losses4j.LossCall;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * Negative cosine similarity between each row of input and the same row of target (cosine
 * proximity).
 *
 * <p>Term: {@code −cos(x, y)}, {@code cos = x·y / (max(‖x‖, 1e-12)·max(‖y‖, 1e-12))}, in
 * [−1, 1]. Gradient with respect to x, with {@code Nx = max(‖x‖, 1e-12)} and
 * {@code u = x/Nx}: {@code −(u_y − cos·u_x)/Nx} where {@code ‖x‖ > 1e-12}, and
 * {@code −u_y/Nx} where the norm is clamped (the exact derivative of the clamped formula; a
 * zero row therefore has the value 0 and a large, finite gradient). Norms are computed without
 * overflow, so the value is right for any finite input.
 *
 * <p>Shapes: input, target {@code [N, D]}. {@code mean} divides by N; {@code none} gives
 * {@code [N]}.
 *
 * <p>Reference: Keras {@code CosineSimilarity} (which clamps at 1e-6 instead);
 * PyTorch {@code F.cosine_similarity}.
 */
public final class CosineSimilarity extends AbstractLoss {
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("cosine_similarity", Family.RANKING)
            .summary("negative cosine similarity per row: aligns directions, ignores lengths")
            .formula("−x·y / (max(‖x‖, 1e-12)·max(‖y‖, 1e-12))")
            .gradInput("input", "[N, D] predicted vectors")
            .input("target", "[N, D] target vectors")
            .options(REDUCTION)
            .divisor("the number of rows N")
            .robust(true)
            .tasks("embedding alignment", "text and document similarity", "knowledge distillation of features")
            .reference("Keras CosineSimilarity; PyTorch cosine_similarity")
            .layout(LossInfo.Layout.ROW)
            .example((r, n, o) -> Inputs.of(Examples.t(Examples.gauss(r, n * 3, 1), n, 3),
                    Examples.t(Examples.gauss(r, n * 3, 1), n, 3)))
            .factory(CosineSimilarity::new)
            .build();

    private CosineSimilarity(Options o) {
        super(INFO, o);
    }

    public static LossBuilder<CosineSimilarity> builder() {
        return new LossBuilder<>(INFO, CosineSimilarity.class);
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor tx = call.input("input");
        Tensor ty = call.input("target");
        RowVectors.matrix("input", tx);
        Check.sameShape("input", tx, "target", ty);
        int n = tx.dim(0);
        int d = tx.dim(1);
        double[] x = tx.f64();
        double[] y = ty.f64();
        double scale = call.reduce(n);
        double[] gx = call.gradient("input", tx);
        // the terms: scratch unless they are the result (reduction none)
        double[] terms = call.terms(n);
        for (int i = 0; i < n; i++) {
            int o = i * d;
            double nx = RowVectors.norm(x, o, d);
            double ny = RowVectors.norm(y, o, d);
            double ix = 1 / Math.max(nx, RowVectors.NORM_EPS);
            double iy = 1 / Math.max(ny, RowVectors.NORM_EPS);
            double cos = RowVectors.cosine(x, o, ix, y, o, iy, d);
            terms[i] = -cos;
            if (gx != null) {
                // the norm's own derivative only where it is not clamped; NaN stays NaN
                double kx = nx > RowVectors.NORM_EPS ? cos * ix : nx * 0;
                double s = -scale * ix;
                for (int k = o, e = o + d; k < e; k++) {
                    gx[k] = s * (y[k] * iy - kx * x[k]);
                }
            }
        }
        return call.finish(terms, n);
    }
}
