package org.losses4j;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An elementwise loss as a gradient-boosting objective, independent of any boosting library:
 * for each prediction {@code f_i} with target {@code y_i} and weight {@code w_i},
 * {@code grad_i = s·w_i·∂ℓ/∂f_i} and {@code hess_i = s·w_i·c·max(∂²ℓ/∂f_i², floor)}, where
 * {@code ℓ} is the loss term of that prediction (computed with reduction {@code sum}, so each
 * derivative is the sample's own, not divided by n: boosting objectives are sums over
 * samples), {@code s} the {@link #scale(double) scale} and {@code c} the
 * {@link #hessianFactor(double) Hessian factor}. The XGBoost and LightGBM adapters are this
 * plus their library's calling convention.
 *
 * <p>The floor raises every Hessian below it (default {@value #DEFAULT_HESSIAN_FLOOR}, which
 * leaves smooth losses alone): where a loss's second derivative is zero (mae, quantile,
 * hinge; huber beyond delta) or negative (focal far from the boundary) a Newton step is
 * undefined or points the wrong way. A NaN Hessian stays NaN.
 *
 * <p>Only elementwise losses with a reduction and no required input but {@code input} and
 * {@code target} qualify; others are refused when the objective is made. Immutable and
 * serialisable (it keeps the loss name and options and rebuilds the loss where it is used).
 */
public final class BoostingObjective implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The default lower bound on each Hessian entry. */
    public static final double DEFAULT_HESSIAN_FLOOR = 1e-6;

    private final String lossName;
    private final LinkedHashMap<String, Object> options;
    private final double floor;
    private final double scale;
    private final double hessianFactor;
    private transient DiagonalHessian loss;

    private BoostingObjective(String lossName, Map<String, ?> options, double floor, double scale,
            double hessianFactor) {
        this.lossName = lossName;
        this.options = new LinkedHashMap<>(options);
        this.floor = floor;
        this.scale = scale;
        this.hessianFactor = hessianFactor;
        this.loss = build();
    }

    /** The named elementwise loss with options (a {@code reduction} option is refused: the objective works per sample). */
    public static BoostingObjective of(String lossName, Map<String, ?> options) {
        return new BoostingObjective(lossName, options, DEFAULT_HESSIAN_FLOOR, 1.0, 1.0);
    }

    /** A copy with another Hessian floor ({@code >= 0}; 0 keeps the loss's own curvature). */
    public BoostingObjective hessianFloor(double newFloor) {
        if (!(newFloor >= 0) || Double.isInfinite(newFloor)) {
            throw new LossException(ErrorKind.INVALID_OPTION, "hessianFloor = " + newFloor + " must be finite and >= 0");
        }
        return new BoostingObjective(lossName, options, newFloor, scale, hessianFactor);
    }

    /** A copy whose gradient and Hessian are multiplied by {@code s > 0} (0.5 turns mse into ½(f − y)²). */
    public BoostingObjective scale(double s) {
        requirePositive("scale", s);
        return new BoostingObjective(lossName, options, floor, s, hessianFactor);
    }

    /** A copy whose Hessian alone is multiplied by {@code f > 0} (after the floor), as a Poisson objective's exp(max_delta_step). */
    public BoostingObjective hessianFactor(double f) {
        requirePositive("hessianFactor", f);
        return new BoostingObjective(lossName, options, floor, scale, f);
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

    public double scale() {
        return scale;
    }

    public double hessianFactor() {
        return hessianFactor;
    }

    private DiagonalHessian build() {
        LossInfo info = Losses.info(lossName);
        if (options.containsKey("reduction")) {
            throw new LossException(ErrorKind.INVALID_OPTION, "a boosting objective works per sample: leave out"
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
            throw new LossException(ErrorKind.INVALID_OPTION, "loss " + lossName + " cannot be a boosting"
                    + " objective:" + (info.hessian()
                            ? " it is always a scalar (no per-sample terms; use its square, e.g. mse for rmse)"
                            : " it is not elementwise (one term per prediction with its own gradient and Hessian)"));
        }
        for (LossInfo.InputSpec s : info.inputs()) {
            if (s.required() && !s.name().equals("input") && !s.name().equals("target")) {
                throw new LossException(ErrorKind.INVALID_OPTION, "loss " + lossName + " needs input '" + s.name()
                        + "' besides the margin and the label, which a boosting objective cannot give it");
            }
        }
        return (DiagonalHessian) l;
    }

    /**
     * True when the loss's terms couple the samples (cox: risk sets), so that a model may give only
     * one output per sample; false for the elementwise losses.
     */
    public boolean couplesSamples() {
        return !loss().info().hessian();
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
     * {gradient, Hessian} for predictions {@code margin} and targets of the same length, each
     * weighted by {@code weights[i]} (null: weight 1).
     */
    public double[][] gradHess(double[] margin, double[] target, double[] weights) {
        int m = margin.length;
        if (target.length != m || (weights != null && weights.length != m)) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, m + " margins, " + target.length + " targets"
                    + (weights == null ? "" : " and " + weights.length + " weights") + " differ in length");
        }
        LossResult r = loss().computeWithHessian(Inputs.of(Tensor.vector(margin), Tensor.vector(target)));
        double[] g = r.grad("input").f64();
        double[] h = r.hessian().f64();
        double[] grad = new double[m];
        double[] hess = new double[m];
        for (int i = 0; i < m; i++) {
            double w = weights == null ? 1.0 : weights[i];
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

    /** {gradient, Hessian} narrowed to float32, as the boosting libraries take them. */
    public static float[][] toFloat(double[][] gradHess) {
        float[][] out = new float[gradHess.length][];
        for (int j = 0; j < gradHess.length; j++) {
            out[j] = new float[gradHess[j].length];
            for (int i = 0; i < gradHess[j].length; i++) {
                out[j][i] = (float) gradHess[j][i];
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return lossName + options + ", hessianFloor=" + floor + (scale != 1 ? ", scale=" + scale : "")
                + (hessianFactor != 1 ? ", hessianFactor=" + hessianFactor : "");
    }
}
