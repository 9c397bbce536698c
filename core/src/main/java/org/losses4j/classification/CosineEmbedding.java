package org.losses4j.classification;

import org.losses4j.AbstractLoss;
import org.losses4j.AbstractLossBuilder;
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
 * Cosine embedding loss (PyTorch {@code CosineEmbeddingLoss}): pairs of vectors that should point
 * the same way ({@code y = 1}) or not ({@code y = −1}).
 *
 * <p>Term, one per row: {@code 1 − cos} if {@code y = 1}; {@code max(0, cos − margin)} if
 * {@code y = −1}, with PyTorch's cosine {@code cos = Σ x1·x2 / sqrt((‖x1‖² + ε)(‖x2‖² + ε))},
 * {@code ε} added to each squared norm: ATen's EPSILON, the float 1e-12 (9.999999960041972e-13 as a
 * double), so a zero vector has cosine 0.
 * Gradient {@code ∂cos/∂x1 = x2/sqrt(AB) − cos·x1/A} (A, B the two ε-shifted squared norms), and
 * symmetrically for x2; its negative for {@code y = 1}, itself where {@code cos > margin} for
 * {@code y = −1}, 0 at and below the kink (subgradient 0; PyTorch's backward passes it there).
 *
 * <p>Numerics: as PyTorch for every input whose squared norms and dot product are finite; beyond
 * that (components above about 1e154) the rows are rescaled by their largest magnitude, so the
 * cosine of finite vectors is always finite (PyTorch gives NaN there).
 *
 * <p>Shapes: input1 and input2 {@code [N, D]}; target {@code [N]} in {−1, +1}; {@code none} gives
 * {@code [N]}. {@code mean} divides by the number of rows N.
 *
 * <p>Reference: PyTorch {@code CosineEmbeddingLoss} (which also accepts other target values,
 * giving them a zero term; they are refused here).
 */
public final class CosineEmbedding extends AbstractLoss {
    /**
     * ATen's EPSILON, added to each squared norm: a C++ {@code float} 1e-12, so the double nearest to
     * the float nearest to 1e-12 (9.999999960041972e-13), which is what PyTorch 1.13 adds.
     */
    static final double EPSILON = (double) 1e-12f;

    /**
     * {@code margin}: The cosine below which a dissimilar pair (y = −1) costs nothing. Default {@code 0.0}; allowed: in
     * [-1, 1].
     */
    public static final OptionSpec<Double> MARGIN = OptionSpec.real("margin", 0.0, OptionSpec.Range.SYMMETRIC_UNIT,
            "the cosine below which a dissimilar pair (y = −1) costs nothing");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("cosine_embedding", Family.CLASSIFICATION)
            .summary("cosine embedding loss: similar pairs aligned, dissimilar pairs below a cosine margin")
            .formula("1 − cos(x1, x2) if y = 1; max(0, cos(x1, x2) − margin) if y = −1")
            .gradInput("input1", "[N, D] first vectors of the pairs")
            .gradInput("input2", "[N, D] second vectors of the pairs")
            .input("target", "[N] in {−1, +1}: +1 for a similar pair")
            .options(MARGIN, REDUCTION)
            .divisor("the number of rows N")
            .kinks(true)
            .tasks("learning embeddings from similar / dissimilar pairs", "semantic similarity")
            .reference("PyTorch CosineEmbeddingLoss")
            .layout(LossInfo.Layout.ROW)
            .example((r, n, o) -> Inputs.of("input1", Examples.t(Examples.gauss(r, n * 3, 1), n, 3))
                    .with("input2", Examples.t(Examples.gauss(r, n * 3, 1), n, 3))
                    .with("target", Examples.t(Examples.binary(r, n, -1), n)))
            .factory(CosineEmbedding::new)
            .build();

    private final double margin;

    private CosineEmbedding(Options o) {
        super(INFO, o);
        this.margin = o.real(MARGIN);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code CosineEmbedding}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<CosineEmbedding, Builder> {
        private Builder() {
            super(INFO, CosineEmbedding.class);
        }

        /**
         * {@code margin}: The cosine below which a dissimilar pair (y = −1) costs nothing. Default {@code 0.0};
         * allowed: in [-1, 1].
         */
        public Builder margin(double value) {
            return set(MARGIN, value);
        }
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor t1 = call.require("input1");
        Tensor t2 = call.require("input2");
        Tensor ty = call.require("target");
        Check.rank("input1", t1, 2);
        Check.sameShape("input1", t1, "input2", t2);
        int n = t1.dim(0);
        int d = t1.dim(1);
        if (ty.rank() != 1 || ty.dim(0) != n) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "target shape " + ty.shapeString() + " must be [" + n
                    + "]: one label per row of input1 " + t1.shapeString());
        }
        Check.oneOf("target", ty, -1, 1);
        double scale = call.reduce(n);
        double[] x1 = t1.f64();
        double[] x2 = t2.f64();
        double[] y = ty.f64();
        double[] g1 = call.gradient("input1", t1);
        double[] g2 = call.gradient("input2", t2);
        double[] terms = call.terms(n);
        double[] c = new double[3];
        double m = margin;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int o = i * d;
            cosine(x1, x2, o, d, c);
            double cos = c[0];
            double yi = y[i];
            double term;
            double k; // d term / d cos
            if (yi == 1) {
                term = 1 - cos;
                k = -1;
            } else if (yi == -1) {
                double h = cos - m;
                term = Math.max(0.0, h);
                k = h > 0 ? 1 : h <= 0 ? 0 : h;
            } else {
                term = yi; // NaN: the only other value validation lets through
                k = yi;
            }
            terms[i] = term;
            sum += term;
            if (g1 != null) {
                if (k == 0) {
                    continue; // a flat term (y = −1 at or below the margin): the gradient stays 0
                }
                // ∂cos/∂x1 = r1·(v − cos·u), ∂cos/∂x2 = r2·(u − cos·v) with the unit-scale u = r1·x1, v = r2·x2
                // (r1·r2 itself underflows for rows of 1e200, whose gradient of 1e-200 does not)
                double r1 = c[1];
                double r2 = c[2];
                double k1 = k * scale * r1;
                double k2 = k * scale * r2;
                for (int j = o, e = o + d; j < e; j++) {
                    double u = x1[j] * r1;
                    double v = x2[j] * r2;
                    g1[j] = k1 * (v - cos * u);
                    g2[j] = k2 * (u - cos * v);
                }
            }
        }
        return call.finish(terms, sum, n);
    }

    /**
     * Writes into {@code out} the cosine of rows {@code [o, o + d)} of {@code x1} and {@code x2} as
     * PyTorch defines it, {@code 1/sqrt(A)} and {@code 1/sqrt(B)} (A, B the squared norms plus
     * {@link #EPSILON}); rows whose squares or dot product overflow are rescaled by their largest
     * magnitude first.
     */
    private static void cosine(double[] x1, double[] x2, int o, int d, double[] out) {
        double aa = 0;
        double bb = 0;
        double p = 0;
        for (int j = o, e = o + d; j < e; j++) {
            double u = x1[j];
            double v = x2[j];
            aa += u * u;
            bb += v * v;
            p += u * v;
        }
        aa += EPSILON;
        bb += EPSILON;
        if (Double.isFinite(aa) && Double.isFinite(bb) && Double.isFinite(p)) {
            double ab = aa * bb;
            double den = Double.isFinite(ab) ? Math.sqrt(ab) : Math.sqrt(aa) * Math.sqrt(bb);
            out[0] = p / den;
            out[1] = 1 / Math.sqrt(aa);
            out[2] = 1 / Math.sqrt(bb);
            return;
        }
        // an overflow in the squares (or a NaN, which stays NaN below): rescale each row by its largest magnitude
        double s1 = 0;
        double s2 = 0;
        for (int j = o, e = o + d; j < e; j++) {
            s1 = Math.max(s1, Math.abs(x1[j]));
            s2 = Math.max(s2, Math.abs(x2[j]));
        }
        s1 = s1 > 0 ? s1 : 1;
        s2 = s2 > 0 ? s2 : 1;
        double ua = 0;
        double vb = 0;
        double q = 0;
        for (int j = o, e = o + d; j < e; j++) {
            double u = x1[j] / s1;
            double v = x2[j] / s2;
            ua += u * u;
            vb += v * v;
            q += u * v;
        }
        double na = Math.sqrt(ua + EPSILON / s1 / s1);
        double nb = Math.sqrt(vb + EPSILON / s2 / s2);
        out[0] = q / (na * nb);
        out[1] = 1 / na / s1;
        out[2] = 1 / nb / s2;
    }
}
