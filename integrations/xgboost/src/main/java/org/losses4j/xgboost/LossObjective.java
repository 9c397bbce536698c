package org.losses4j.xgboost;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.IObjective;
import ml.dmlc.xgboost4j.java.XGBoostError;

import org.losses4j.DiagonalHessian;
import org.losses4j.ErrorKind;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossException;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/**
 * An XGBoost4J custom objective from any elementwise losses4j loss, or cox (any
 * {@link DiagonalHessian} loss with a reduction): for each sample i,
 * {@code grad_i = s·w_i·∂ℓ/∂f_i} and {@code hess_i = s·w_i·max(∂²ℓ/∂f_i², floor)}, where
 * {@code f_i} is the raw margin XGBoost passes in, {@code ℓ} the loss term of that sample
 * (computed by the core with reduction {@code sum}, so each derivative is the sample's own,
 * not divided by n: XGBoost objectives are sums over samples), {@code w_i} the DMatrix
 * weight (1 when none is set) and {@code s} the optional {@link #scale(double) scale}.
 *
 * <pre>{@code
 * IObjective obj = LossObjective.of("huber", Map.of("delta", 1.0)).hessianFloor(1.0);
 * Booster b = XGBoost.train(dtrain, params, 50, Map.of(), obj, null);
 * float[][] margins = b.predict(dtest, true);   // raw scores: a custom objective has no link
 * }</pre>
 *
 * <h2>The Hessian floor</h2>
 * A Newton step puts {@code −Σg / (Σh + λ)} in each leaf; where a loss's second derivative is
 * zero (mae, quantile, hinge everywhere; huber and smooth_l1 beyond their threshold) or
 * negative (focal loss away from the decision boundary), that step is undefined or points the
 * wrong way. Every Hessian below {@code floor} is therefore raised to {@code floor} (default
 * {@value #DEFAULT_HESSIAN_FLOOR}, which leaves smooth losses untouched). For losses whose
 * second derivative is zero over whole regions, choose a floor of the order of the curvature
 * elsewhere, e.g. {@code 1.0} (XGBoost's own {@code reg:absoluteerror} uses a unit Hessian),
 * and lower {@code min_child_weight}, which is a bound on Σh in a leaf.
 *
 * <h2>Conventions</h2>
 * The margin is the loss's {@code input} and the DMatrix label its {@code target}, with
 * the loss's own label convention (focal and bce_with_logits take 0/1, hinge losses ±1,
 * poisson_nll a log-rate margin and counts). XGBoost's built-in {@code reg:squarederror} is
 * ½(f − y)², losses4j's mse is (f − y)²: {@code LossObjective.of("mse").scale(0.5)} is the
 * built-in objective (or keep mse and double {@code lambda}, {@code gamma} and
 * {@code min_child_weight}). {@code count:poisson} is poisson_nll with its default
 * {@code max_delta_step = 0.7} doing two things: its Hessian is {@code exp(f + 0.7)} and each
 * leaf step is capped at 0.7; {@code LossObjective.of("poisson_nll").hessianFactor(Math.exp(0.7))}
 * with the parameter {@code max_delta_step = 0.7} reproduces it (with {@code max_delta_step = 0}
 * for both, plain poisson_nll does).
 * {@code reg:tweedie} (with {@code tweedie_variance_power} = p) and {@code reg:gamma} are
 * {@code LossObjective.of("tweedie", Map.of("variance_power", p))} and {@code LossObjective.of("gamma")},
 * whose margin is the log of the mean; the built-ins take {@code base_score} as a mean, so
 * {@code base_score = μ₀} there is the margin {@code log μ₀} here ({@code reg:gamma} also multiplies the
 * weight of labels exactly 1 by {@code scale_pos_weight}, default 1: give such weights in the DMatrix).
 * With a custom objective XGBoost applies no link function: predict with
 * {@code outputMargin = true} and apply the inverse link yourself (σ for logistic losses, exp
 * for poisson_nll), and give {@code base_score} as a margin.
 *
 * <p>cox is XGBoost's {@code survival:cox}: labels t > 0 events, t ≤ 0 censored at |t|, the
 * margin a log hazard ratio (predict exp(margin) for the hazard ratio; survival:cox's
 * {@code base_score} 1 is the margin 0). Its terms couple the samples through their risk sets, so
 * the whole DMatrix is one call and one output per row is required. On distinct times it trains
 * survival:cox's trees; at tied times its gradient is the exact Breslow derivative, which
 * survival:cox's is not (it depends on the order of the tied samples).
 *
 * <p>Multi-output boosters (several margins per row) are supported when the DMatrix holds one
 * label per output (row-major, n × k). The objective is serialisable: it keeps only the loss
 * name and options and rebuilds the loss object where it is used.
 */
public final class LossObjective implements IObjective {
    private static final long serialVersionUID = 1L;

    /** The default lower bound on each Hessian entry. */
    public static final double DEFAULT_HESSIAN_FLOOR = 1e-6;

    private final String lossName;
    private final LinkedHashMap<String, Object> options;
    private final double floor;
    private final double scale;
    private final double hessianFactor;
    private transient DiagonalHessian loss;

    private LossObjective(String lossName, Map<String, ?> options, double floor, double scale, double hessianFactor) {
        this.lossName = lossName;
        this.options = new LinkedHashMap<>(options);
        this.floor = floor;
        this.scale = scale;
        this.hessianFactor = hessianFactor;
        this.loss = build();
    }

    /** The objective of the named elementwise loss with its default options. */
    public static LossObjective of(String lossName) {
        return of(lossName, Map.of());
    }

    /**
     * The objective of the named elementwise loss with options (as {@link Losses#create(String, Map)};
     * a {@code reduction} option is refused: the objective always works per sample).
     */
    public static LossObjective of(String lossName, Map<String, ?> options) {
        return new LossObjective(lossName, options, DEFAULT_HESSIAN_FLOOR, 1.0, 1.0);
    }

    /** A copy with another lower bound on the Hessian (≥ 0; 0 keeps zero curvature as is). */
    public LossObjective hessianFloor(double newFloor) {
        if (!(newFloor >= 0) || Double.isInfinite(newFloor)) {
            throw new LossException(ErrorKind.INVALID_OPTION, "hessianFloor = " + newFloor + " must be finite and >= 0");
        }
        return new LossObjective(lossName, options, newFloor, scale, hessianFactor);
    }

    /** A copy whose gradient and Hessian are multiplied by {@code s > 0} (0.5 turns mse into ½(f − y)²). */
    public LossObjective scale(double s) {
        requirePositive("scale", s);
        return new LossObjective(lossName, options, floor, s, hessianFactor);
    }

    /** A copy whose Hessian alone is multiplied by {@code f > 0} (after the floor), as count:poisson's exp(max_delta_step). */
    public LossObjective hessianFactor(double f) {
        requirePositive("hessianFactor", f);
        return new LossObjective(lossName, options, floor, scale, f);
    }

    private static void requirePositive(String what, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new LossException(ErrorKind.INVALID_OPTION, what + " = " + v + " must be finite and > 0");
        }
    }

    public String lossName() {
        return lossName;
    }

    public Map<String, Object> options() {
        return Collections.unmodifiableMap(options);
    }

    public double hessianFloor() {
        return floor;
    }

    private DiagonalHessian build() {
        LossInfo info = Losses.info(lossName);
        if (options.containsKey("reduction")) {
            throw new LossException(ErrorKind.INVALID_OPTION, "an XGBoost objective works per sample: leave out"
                    + " the reduction option (got reduction = " + options.get("reduction") + ")");
        }
        Loss l = null;
        if (info.reducible()) {
            Map<String, Object> opts = new LinkedHashMap<>(options);
            opts.put("reduction", "sum");
            l = Losses.create(lossName, opts);
        }
        // the elementwise losses, and any other that gives a per-sample gradient and diagonal Hessian (cox)
        if (!(l instanceof DiagonalHessian)) {
            throw new LossException(ErrorKind.INVALID_OPTION, "loss " + lossName + " cannot be an XGBoost objective:"
                    + (info.hessian() ? " it is always a scalar (no per-sample terms; use its square, e.g. mse for rmse)"
                            : " it is not elementwise (one term per prediction with its own gradient and Hessian)"));
        }
        for (LossInfo.InputSpec s : info.inputs()) {
            if (s.required() && !s.name().equals("input") && !s.name().equals("target")) {
                throw new LossException(ErrorKind.INVALID_OPTION, "loss " + lossName + " needs input '" + s.name()
                        + "' besides the margin and the label, which an XGBoost objective cannot give it");
            }
        }
        return (DiagonalHessian) l;
    }

    private DiagonalHessian loss() {
        DiagonalHessian l = loss;
        if (l == null) {
            l = build();
            loss = l;
        }
        return l;
    }

    /**
     * The per-sample gradient and Hessian for margins {@code predicts} ([n][k]) against the
     * labels and weights of {@code dtrain}.
     */
    @Override
    public List<float[]> getGradient(float[][] predicts, DMatrix dtrain) {
        float[] labels;
        float[] weights;
        try {
            labels = dtrain.getLabel();
            weights = dtrain.getWeight();
        } catch (XGBoostError e) {
            throw new IllegalStateException("cannot read labels or weights from the DMatrix", e);
        }
        int n = predicts.length;
        int k = n == 0 ? 1 : predicts[0].length;
        double[] margin = new double[n * k];
        for (int i = 0; i < n; i++) {
            System.arraycopy(toDouble(predicts[i]), 0, margin, i * k, k);
        }
        double[][] gh = gradHess(margin, labels, weights, n, k);
        List<float[]> out = new ArrayList<>(2);
        out.add(toFloat(gh[0]));
        out.add(toFloat(gh[1]));
        return out;
    }

    /**
     * Gradient and floored Hessian (as {@link #getGradient}) for flat margins of n rows × k
     * outputs; {@code weights} is empty or has n entries (one per row). Returns {grad, hess}.
     */
    public double[][] gradHess(double[] margin, float[] labels, float[] weights, int n, int k) {
        int m = n * k;
        if (labels == null || labels.length != m) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "the DMatrix has " + (labels == null ? 0 : labels.length)
                    + " labels but the booster gives " + n + " rows × " + k + " outputs = " + m + " margins");
        }
        boolean weighted = weights != null && weights.length > 0;
        if (weighted && weights.length != n) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "the DMatrix has " + weights.length
                    + " weights for " + n + " rows");
        }
        if (k != 1 && !loss().info().hessian()) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "loss " + lossName + " couples the rows (its terms"
                    + " share risk sets): one output per row, not " + k);
        }
        double[] target = new double[m];
        for (int i = 0; i < m; i++) {
            target[i] = labels[i];
        }
        LossResult r = loss().computeWithHessian(Inputs.of(Tensor.vector(margin), Tensor.vector(target)));
        double[] g = r.grad("input").f64();
        double[] h = r.hessian().f64();
        double[] grad = new double[m];
        double[] hess = new double[m];
        for (int i = 0; i < m; i++) {
            double w = weighted ? weights[i / k] : 1.0;
            double hi = h[i];
            // raise zero or negative curvature to the floor; NaN stays NaN (a NaN margin is a bug upstream)
            if (hi < floor) {
                hi = floor;
            }
            grad[i] = scale * w * g[i];
            hess[i] = scale * w * hessianFactor * hi;
        }
        return new double[][] {grad, hess};
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    @Override
    public String toString() {
        return "LossObjective(" + lossName + options + ", hessianFloor=" + floor
                + (scale != 1 ? ", scale=" + scale : "") + (hessianFactor != 1 ? ", hessianFactor=" + hessianFactor : "") + ")";
    }
}
