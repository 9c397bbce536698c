package org.losses4j.xgboost;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.IObjective;
import ml.dmlc.xgboost4j.java.XGBoostError;

import org.losses4j.BoostingObjective;
import org.losses4j.ErrorKind;
import org.losses4j.LossException;
import org.losses4j.Losses;

/**
 * An XGBoost4J custom objective from any elementwise losses4j loss, or cox (any
 * {@link org.losses4j.DiagonalHessian} loss with a reduction): for each sample i,
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
 * With a custom objective XGBoost applies no link function: predict with
 * {@code outputMargin = true} and apply the inverse link yourself (σ for logistic losses, exp
 * for poisson_nll), and give {@code base_score} as a margin.
 *
 * <p>Multi-output boosters (several margins per row) are supported when the DMatrix holds one
 * label per output (row-major, n × k). The objective is serialisable: it keeps only the loss
 * name and options and rebuilds the loss object where it is used.
 */
public final class LossObjective implements IObjective {
    private static final long serialVersionUID = 1L;

    /** The default lower bound on each Hessian entry. */
    public static final double DEFAULT_HESSIAN_FLOOR = BoostingObjective.DEFAULT_HESSIAN_FLOOR;

    private final BoostingObjective objective;

    private LossObjective(BoostingObjective objective) {
        this.objective = objective;
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
        return new LossObjective(BoostingObjective.of(lossName, options));
    }

    /** A copy with another Hessian floor ({@code >= 0}; 0 keeps the loss's own curvature). */
    public LossObjective hessianFloor(double newFloor) {
        return new LossObjective(objective.hessianFloor(newFloor));
    }

    /** A copy whose gradient and Hessian are multiplied by {@code s > 0} (0.5 turns mse into ½(f − y)²). */
    public LossObjective scale(double s) {
        return new LossObjective(objective.scale(s));
    }

    /** A copy whose Hessian alone is multiplied by {@code f > 0} (after the floor), as count:poisson's exp(max_delta_step). */
    public LossObjective hessianFactor(double f) {
        return new LossObjective(objective.hessianFactor(f));
    }

    public String lossName() {
        return objective.lossName();
    }

    public Map<String, Object> options() {
        return objective.options();
    }

    public double hessianFloor() {
        return objective.hessianFloor();
    }

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
            for (int j = 0; j < k; j++) {
                margin[i * k + j] = predicts[i][j];
            }
        }
        float[][] gh = BoostingObjective.toFloat(gradHess(margin, labels, weights, n, k));
        return new ArrayList<>(List.of(gh[0], gh[1]));
    }

    /**
     * {gradient, Hessian} for margins [n·k] (row-major, k outputs per row) against labels
     * [n·k] and optional weights [n] (empty or null: unweighted).
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
        if (k != 1 && objective.couplesSamples()) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "loss " + objective.lossName() + " couples the rows"
                    + " (its terms share risk sets): one output per row, not " + k);
        }
        double[] target = new double[m];
        double[] w = weighted ? new double[m] : null;
        for (int i = 0; i < m; i++) {
            target[i] = labels[i];
            if (weighted) {
                w[i] = weights[i / k];
            }
        }
        return objective.gradHess(margin, target, w);
    }

    @Override
    public String toString() {
        return "LossObjective(" + objective + ")";
    }
}
