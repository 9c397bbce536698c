package org.losses4j.classification;

import java.util.Arrays;
import org.losses4j.AbstractLossBuilder;
import org.losses4j.AbstractLoss;
import org.losses4j.Check;
import org.losses4j.DType;
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
import org.losses4j.kernels.FloatKernels;
import org.losses4j.kernels.Kernels;
import org.losses4j.kernels.Parallel;

/**
 * Softmax cross-entropy on logits, with class-index or class-probability targets.
 *
 * <p>With {@code log p = log_softmax(input)} over the class dimension (dimension 1; dimension
 * 0 for a single row {@code [C]}):
 * <ul>
 * <li>index target {@code y}: term {@code −w_y·log p_y}; with label smoothing ε the term is
 * {@code (1 − ε)(−w_y·log p_y) + (ε/C)(−Σ_c w_c·log p_c)}; a target equal to
 * {@code ignore_index} gives a zero term and no gradient;</li>
 * <li>probability target {@code y} (input's shape, values in [0, 1]): term
 * {@code −Σ_c w_c·y'_c·log p_c} with {@code y' = y(1 − ε) + ε/C}; classes with
 * {@code w_c·y'_c = 0} contribute 0 (also at a logit of −∞).</li>
 * </ul>
 * Gradient with respect to the logits: {@code (Σ_c a_c)·p_j − a_j} for the per-class target
 * weights {@code a} of the term.
 *
 * <p>Shapes: input {@code [N, C]}, {@code [N, C, d1, ...]} or {@code [C]}; index target int64
 * {@code [N]}, {@code [N, d1, ...]} or {@code []}; probability target float of input's shape;
 * optional {@code weight [C]}. {@code none} gives the terms with shape {@code [N, d1, ...]}
 * (a number for a {@code [C]} input).
 *
 * <p>{@code mean} divides, for index targets, by {@code Σ w_y} over the non-ignored terms
 * (their count without weights; NaN when every target is ignored), and for probability targets
 * by the number of terms {@code N·d1·…}.
 *
 * <p>With {@code z_loss} c &gt; 0 each non-ignored term gains {@code c·w_y·log²Z} (index target,
 * {@code w_y = 1} without class weights) or {@code c·log²Z} (probability target), with
 * {@code log Z = logsumexp_c x_c} of that row: the auxiliary loss of PaLM (Chowdhery et al. 2022) and
 * T5X, which keeps the normaliser near 1; its gradient is {@code 2c·w·log Z·p_j}. The divisor of
 * {@code mean} is unchanged.
 *
 * <p>Numerics: one log-sum-exp per row (maximum, then {@code log1p} of the other classes'
 * exponentials), so logits of ±1e4 or −∞ give exact finite values; float32 inputs are computed
 * natively with float64 accumulation.
 *
 * <p>Reference: PyTorch {@code CrossEntropyLoss}; label smoothing: Szegedy et al. (2016),
 * "Rethinking the Inception Architecture for Computer Vision".
 */
public final class CrossEntropy extends AbstractLoss {
    /**
     * {@code ignore_index}: Index target value whose terms are skipped (no loss, no gradient, not counted by mean).
     * Default {@code -100}; allowed: a number.
     */
    public static final OptionSpec<Long> IGNORE_INDEX = OptionSpec.integer("ignore_index", -100,
            OptionSpec.Range.ANY, "index target value whose terms are skipped (no loss, no gradient, not counted by mean)");
    /**
     * {@code label_smoothing}: ε: mixes the target with the uniform distribution, y(1 − ε) + ε/C. Default {@code 0.0};
     * allowed: in [0, 1].
     */
    public static final OptionSpec<Double> LABEL_SMOOTHING = OptionSpec.real("label_smoothing", 0.0,
            OptionSpec.Range.UNIT_CLOSED, "ε: mixes the target with the uniform distribution, y(1 − ε) + ε/C");
    /**
     * {@code z_loss}: Coefficient c of the auxiliary term c·log²Z of each row, Z = Σ_c exp(x_c), which keeps the
     * softmax normaliser near 1 (PaLM uses 1e-4). Default {@code 0.0}; allowed: in [0, 1e15].
     */
    public static final OptionSpec<Double> Z_LOSS = OptionSpec.real("z_loss", 0.0, OptionSpec.Range.BOUNDED_NON_NEGATIVE,
            "coefficient c of the auxiliary term c·log²Z of each row, Z = Σ_c exp(x_c), which keeps the softmax"
                    + " normaliser near 1 (PaLM uses 1e-4)");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("cross_entropy", Family.CLASSIFICATION)
            .summary("softmax cross-entropy on logits: the standard multi-class classification loss")
            .formula("index target: −w_y·log softmax(x)_y; probability target: −Σ_c w_c·y_c·log softmax(x)_c;"
                    + " label smoothing ε mixes in ε/C of the uniform target; z_loss c adds c·w_y·log²Z per row")
            .gradInput("input", "logits [N, C], [N, C, d1, ...] (classes on dim 1) or [C]")
            .floatOrIndexInput("target", "int64 class indices [N] / [N, d1, ...] / [], or probabilities in [0, 1] of input's shape")
            .optionalInput("weight", "[C] class weights")
            .options(IGNORE_INDEX, LABEL_SMOOTHING, Z_LOSS, REDUCTION)
            .divisor("index target: Σ w_y over non-ignored terms (their count without weight; NaN when all are"
                    + " ignored); probability target: the number of terms N·d1·…")
            .convex(true)
            .tasks("multi-class classification", "language modelling (next-token prediction)",
                    "semantic segmentation (per-pixel classes)", "knowledge distillation (soft targets)")
            .reference("PyTorch CrossEntropyLoss; Szegedy et al. 2016 (label smoothing); Chowdhery et al. 2022, PaLM (z-loss)")
            .layout(LossInfo.Layout.ROW)
            .example(Examples::logitsWithWeights)
            .variable(LossInfo.Variable.TWO_CLASS)
            .factory(CrossEntropy::new)
            .build();

    private final long ignoreIndex;
    private final double smoothing;
    private final double zLoss;

    private CrossEntropy(Options o) {
        super(INFO, o);
        this.ignoreIndex = o.get(IGNORE_INDEX);
        this.smoothing = o.real(LABEL_SMOOTHING);
        this.zLoss = o.real(Z_LOSS);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code CrossEntropy}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<CrossEntropy, Builder> {
        private Builder() {
            super(INFO, CrossEntropy.class);
        }

        /**
         * {@code ignore_index}: Index target value whose terms are skipped (no loss, no gradient, not counted
         * by mean). Default {@code -100}; allowed: a number.
         */
        public Builder ignoreIndex(long value) {
            return set(IGNORE_INDEX, value);
        }

        /**
         * {@code label_smoothing}: ε: mixes the target with the uniform distribution, y(1 − ε) + ε/C. Default
         * {@code 0.0}; allowed: in [0, 1].
         */
        public Builder labelSmoothing(double value) {
            return set(LABEL_SMOOTHING, value);
        }

        /**
         * {@code z_loss}: Coefficient c of the auxiliary term c·log²Z of each row, Z = Σ_c exp(x_c), which keeps
         * the softmax normaliser near 1 (PaLM uses 1e-4). Default {@code 0.0}; allowed: in [0, 1e15].
         */
        public Builder zLoss(double value) {
            return set(Z_LOSS, value);
        }
    }


    /** Validated inputs of one call. */
    private static final class Batch {
        ClassLayout layout;
        Tensor x;
        Tensor target;
        double[] w;
        boolean index;
    }

    /** Checks the inputs and declares the reduction (a weighted mean is computed with the weights scaled: ClassLayout.forMean). */
    private Batch prepare(LossCall call) {
        Batch k = new Batch();
        k.x = call.require("input");
        k.target = call.require("target");
        k.layout = ClassLayout.of(k.x, true, true);
        ClassLayout l = k.layout;
        k.index = k.target.dtype() == DType.INT64;
        if (k.index) {
            l.requireIndexTarget(k.x, k.target);
            Check.labels("target", k.target, l.c, ignoreIndex);
        } else if (!Arrays.equals(k.target.shape(), k.x.shape())) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "a floating target holds"
                    + " class probabilities and must have input's shape " + k.x.shapeString() + ", got "
                    + k.target.shapeString() + " (class indices must be int64)");
        } else {
            Check.closed("target", k.target, 0, 1);
        }
        k.w = l.classVector("weight", call.input("weight"));
        if (k.index) {
            long[] y = k.target.i64();
            double divisor = ClassLayout.weightSum(y, k.w, ignoreIndex);
            k.w = ClassLayout.forMean(k.w, reduction());
            call.reduceWeighted(l.terms(), divisor, ClassLayout.weightSum(y, k.w, ignoreIndex));
        } else {
            call.reduce(l.terms());
        }
        return k;
    }

    /** float32 logits are computed natively (float64 accumulation), gradients written as float32. */
    @Override
    protected boolean computesFloat32(Inputs in) {
        return true;
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Batch k = prepare(call);
        double[] terms = call.keepsTerms() ? call.terms(k.layout.terms()) : null;
        double sum;
        if (call.precision() == DType.FLOAT64) {
            sum = softmaxRows(k, call.scale(), terms, call.gradient("input", k.x), null);
        } else {
            Tensor gt = call.gradientTensor("input", k.x); // every element is written: not cleared
            float[] g32 = gt == null ? null : gt.f32();
            sum = terms == null && k.index && k.w == null && k.layout.s == 1 && zLoss == 0
                    ? rows32(k, k.x.f32(), g32, (float) call.scale())
                    : softmaxRows(k, call.scale(), terms, null, g32);
        }
        return call.finish(terms, sum, k.layout.termShape);
    }

    /**
     * Contiguous float32 rows with index targets and no class weights, reduced: the fused row
     * kernel of the active {@link Kernels} path, rows split into chunks of about
     * {@value Parallel#CHUNK} elements (a size from the shape only) whose sums are added in
     * chunk order, so the result does not depend on the number of threads.
     */
    private double rows32(Batch k, float[] x, float[] g, float scale) {
        int c = k.layout.c;
        int rows = k.layout.terms();
        long[] labels = k.target.i64();
        double keep = 1 - smoothing;
        double uni = smoothing / c;
        long ign = ignoreIndex;
        FloatKernels f = Kernels.floats();
        return Parallel.sumChunks(rows, Math.max(1, Parallel.CHUNK / c),
                (from, to) -> f.crossEntropy(x, labels, g, c, from, to, scale, keep, uni, ign));
    }

    /**
     * One pass per row: load and find the maximum, exponentiate (storing e_c in the row),
     * then the term and the gradient from the stored row. Writes every gradient element of
     * every row (zeros for ignored ones), into {@code g64} or {@code g32} when not null.
     * Returns the sum of the terms.
     */
    private double softmaxRows(Batch k, double scale, double[] terms, double[] g64, float[] g32) {
        ClassLayout l = k.layout;
        int cc = l.c;
        double eps = smoothing;
        double keep = 1 - eps;
        double uni = eps / cc;
        double[] w = k.w;
        double wSum = cc;
        if (w != null) {
            wSum = 0;
            for (double v : w) {
                wSum += v;
            }
        }
        double[] z = new double[cc];
        double[] a = k.index ? null : new double[cc];
        long[] labels = k.index ? k.target.i64() : null;
        double sum = 0;
        for (int t = 0, nt = l.terms(); t < nt; t++) {
            int base = l.base(t);
            double term;
            if (k.index) {
                long lab = labels[t];
                if (lab == ignoreIndex) {
                    if (terms != null) {
                        terms[t] = 0;
                    }
                    storeConstant(l, base, 0.0, g64, g32);
                    continue;
                }
                int y = (int) lab;
                l.load(k.x, base, z);
                int am = ClassLayout.argmax(z, cc);
                double m = z[am];
                double zy = z[y] - m;
                // Σ_c w_c·(z_c − m), only needed for the smoothing part
                double wz = 0;
                if (uni != 0) {
                    if (w == null) {
                        for (int c = 0; c < cc; c++) {
                            wz += z[c] - m;
                        }
                    } else {
                        for (int c = 0; c < cc; c++) {
                            wz += w[c] * (z[c] - m);
                        }
                    }
                }
                double rest = ClassLayout.expShifted(z, cc, am);
                double logS = Math.log1p(rest);
                double wy = w == null ? 1.0 : w[y];
                term = 0;
                if (keep != 0) {
                    term += keep * (-wy * (zy - logS));
                }
                if (uni != 0) {
                    term += uni * (wSum * logS - wz);
                }
                // z-loss c·w_y·L², L = log Z = m + log S; its gradient 2c·w_y·L·p_j joins the p_j coefficient
                double zc = 0;
                if (zLoss != 0) {
                    double lz = m + logS;
                    term += zLoss * wy * lz * lz;
                    zc = 2 * zLoss * wy * lz;
                }
                if (g64 != null || g32 != null) {
                    // d/dz_j = p_j·((1 − ε)·w_y + (ε/C)·W + zc) − (ε/C)·w_j − (1 − ε)·w_y·[j = y]
                    double inv = 1 / (1 + rest);
                    // without smoothing (uni = 0) the other classes' weights take no part: 0·NaN must not enter
                    storeGrad(l, base, z, scale * (keep * wy + (uni == 0 ? 0 : uni * wSum) + zc) * inv,
                            uni == 0 ? null : w, -scale * uni, g64, g32);
                    // at y: −(1 − ε)·w_y·(1 − p_y) + (ε/C)·(W·p_y − w_y) + zc·p_y, with 1 − p_y = rest/(1 + rest)
                    // when y is the top class (no cancellation for a confident row)
                    double py = z[y] * inv;
                    double qy = y == am ? rest * inv : 1 - py;
                    put(l, base, y, scale * (-keep * wy * qy + (uni == 0 ? 0 : uni * (wSum * py - wy))
                            + (zc == 0 ? 0 : zc * py)), g64, g32);
                }
            } else {
                l.load(k.x, base, z);
                l.load(k.target, base, a);
                int am = ClassLayout.argmax(z, cc);
                double m = z[am];
                double aSum = 0;
                double aOthers = 0;
                double az = 0;
                for (int c = 0; c < cc; c++) {
                    double ac = (w == null ? 1.0 : w[c]) * (a[c] * keep + uni);
                    a[c] = ac;
                    aSum += ac;
                    aOthers += c == am ? 0 : ac;
                    if (ac != 0) { // 0·log 0 = 0: a class with no target mass adds nothing, even at −∞
                        az += ac * (z[c] - m);
                    }
                }
                double rest = ClassLayout.expShifted(z, cc, am);
                double logS = Math.log1p(rest);
                // −Σ a_c·(z_c − m − log S); aSum·logS also carries a NaN row into the term
                term = aSum * logS - az;
                // z-loss c·L² (no class weight: the weights act inside the sum over classes)
                double zc = 0;
                if (zLoss != 0) {
                    double lz = m + logS;
                    term += zLoss * lz * lz;
                    zc = 2 * zLoss * lz;
                }
                if (g64 != null || g32 != null) {
                    // d/dz_j = (Σ_c a_c + zc)·p_j − a_j
                    double inv = 1 / (1 + rest);
                    storeGradDense(l, base, z, scale * (aSum + zc) * inv, a, -scale, g64, g32);
                    // at the top class: −a·(1 − p) + (Σ_{c≠top} a_c + zc)·p, with 1 − p = rest/(1 + rest)
                    put(l, base, am, scale * (-a[am] * rest * inv + (aOthers + zc) * z[am] * inv), g64, g32);
                }
            }
            if (terms != null) {
                terms[t] = term;
            }
            sum += term;
        }
        return sum;
    }

    /** Gradient row {@code coef·e_j + uniCoef·w_j} (w_j = 1 without weights). */
    private static void storeGrad(ClassLayout l, int base, double[] e, double coef, double[] w, double uniCoef,
            double[] g64, float[] g32) {
        int cc = l.c;
        int st = l.s;
        if (g32 != null) {
            if (w == null) {
                for (int c = 0, i = base; c < cc; c++, i += st) {
                    g32[i] = (float) (coef * e[c] + uniCoef);
                }
            } else {
                for (int c = 0, i = base; c < cc; c++, i += st) {
                    g32[i] = (float) (coef * e[c] + uniCoef * w[c]);
                }
            }
        } else {
            if (w == null) {
                for (int c = 0, i = base; c < cc; c++, i += st) {
                    g64[i] = coef * e[c] + uniCoef;
                }
            } else {
                for (int c = 0, i = base; c < cc; c++, i += st) {
                    g64[i] = coef * e[c] + uniCoef * w[c];
                }
            }
        }
    }

    /** Sets the gradient of class {@code j} of the row at {@code base}. */
    private static void put(ClassLayout l, int base, int j, double v, double[] g64, float[] g32) {
        if (g32 != null) {
            g32[base + j * l.s] = (float) v;
        } else {
            g64[base + j * l.s] = v;
        }
    }

    /** Gradient row {@code coef·e_j + aCoef·a_j}. */
    private static void storeGradDense(ClassLayout l, int base, double[] e, double coef, double[] a, double aCoef,
            double[] g64, float[] g32) {
        int cc = l.c;
        int st = l.s;
        if (g32 != null) {
            for (int c = 0, i = base; c < cc; c++, i += st) {
                g32[i] = (float) (coef * e[c] + aCoef * a[c]);
            }
        } else {
            for (int c = 0, i = base; c < cc; c++, i += st) {
                g64[i] = coef * e[c] + aCoef * a[c];
            }
        }
    }

    private static void storeConstant(ClassLayout l, int base, double v, double[] g64, float[] g32) {
        if (g64 == null && g32 == null) {
            return;
        }
        for (int c = 0, i = base; c < l.c; c++, i += l.s) {
            if (g32 != null) {
                g32[i] = (float) v;
            } else {
                g64[i] = v;
            }
        }
    }
}
