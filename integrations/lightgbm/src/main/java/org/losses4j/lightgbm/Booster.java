package org.losses4j.lightgbm;

import static com.microsoft.ml.lightgbm.lightgbmlib.LGBM_BoosterCreate;
import static com.microsoft.ml.lightgbm.lightgbmlib.LGBM_BoosterFree;
import static com.microsoft.ml.lightgbm.lightgbmlib.LGBM_BoosterGetNumClasses;
import static com.microsoft.ml.lightgbm.lightgbmlib.LGBM_BoosterGetPredict;
import static com.microsoft.ml.lightgbm.lightgbmlib.LGBM_BoosterPredictForMat;
import static com.microsoft.ml.lightgbm.lightgbmlib.LGBM_BoosterUpdateOneIter;
import static com.microsoft.ml.lightgbm.lightgbmlib.LGBM_BoosterUpdateOneIterCustom;
import static com.microsoft.ml.lightgbm.lightgbmlib.LGBM_DatasetCreateFromMat;
import static com.microsoft.ml.lightgbm.lightgbmlib.LGBM_DatasetFree;
import static com.microsoft.ml.lightgbm.lightgbmlib.LGBM_DatasetSetField;
import static com.microsoft.ml.lightgbm.lightgbmlib.LGBM_GetLastError;
import static com.microsoft.ml.lightgbm.lightgbmlib.delete_doubleArray;
import static com.microsoft.ml.lightgbm.lightgbmlib.delete_floatArray;
import static com.microsoft.ml.lightgbm.lightgbmlib.delete_int64_tp;
import static com.microsoft.ml.lightgbm.lightgbmlib.delete_intp;
import static com.microsoft.ml.lightgbm.lightgbmlib.delete_voidpp;
import static com.microsoft.ml.lightgbm.lightgbmlib.doubleArray_getitem;
import static com.microsoft.ml.lightgbm.lightgbmlib.doubleArray_setitem;
import static com.microsoft.ml.lightgbm.lightgbmlib.double_to_voidp_ptr;
import static com.microsoft.ml.lightgbm.lightgbmlib.floatArray_setitem;
import static com.microsoft.ml.lightgbm.lightgbmlib.float_to_voidp_ptr;
import static com.microsoft.ml.lightgbm.lightgbmlib.intp_value;
import static com.microsoft.ml.lightgbm.lightgbmlib.new_doubleArray;
import static com.microsoft.ml.lightgbm.lightgbmlib.new_floatArray;
import static com.microsoft.ml.lightgbm.lightgbmlib.new_int64_tp;
import static com.microsoft.ml.lightgbm.lightgbmlib.new_intp;
import static com.microsoft.ml.lightgbm.lightgbmlib.new_voidpp;
import static com.microsoft.ml.lightgbm.lightgbmlib.voidpp_value;

import com.microsoft.ml.lightgbm.SWIGTYPE_p_double;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_float;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_int;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_long_long;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_p_void;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_void;
import com.microsoft.ml.lightgbm.lightgbmlibConstants;

import org.losses4j.BoostingObjective;
import org.losses4j.ErrorKind;
import org.losses4j.LossException;

/**
 * A LightGBM booster over a dense training matrix, through Microsoft's SWIG binding, trained
 * with a losses4j objective: {@link #update(BoostingObjective)} makes one boosting round with
 * the gradient and Hessian of any elementwise catalog loss (a {@link BoostingObjective}) at the
 * current training scores, for a booster made with {@code objective=none}.
 *
 * <pre>{@code
 * BoostingObjective huber = BoostingObjective.of("huber", Map.of("delta", 1.0)).hessianFloor(1.0);
 * try (Booster b = new Booster(x, n, d, y, null, "objective=none num_leaves=15 verbose=-1")) {
 *     for (int it = 0; it < 50; it++) {
 *         b.update(huber);
 *     }
 *     double[] margin = b.predictRaw(xTest, m);   // raw scores: a custom objective has no link
 * }
 * }</pre>
 *
 * <h2>Multiclass</h2>
 * With {@code num_class = K > 1} LightGBM keeps K scores per row, class-major
 * ({@code [c·n + i]}), and the label is the class index; each score's target is then the
 * one-hot label, so bce_with_logits is LightGBM's {@code multiclassova}.
 *
 * <h2>Conventions</h2>
 * LightGBM's {@code regression} is ½(f − y)²: {@code of("mse", ...).scale(0.5)}; {@code binary}
 * is bce_with_logits; {@code poisson}'s Hessian is {@code exp(f + poisson_max_delta_step)}
 * (0.7 by default): {@code of("poisson_nll", ...).hessianFactor(Math.exp(0.7))}; {@code huber}
 * has a unit Hessian: {@code of("huber", ...).hessianFloor(1.0)}. Built-in objectives start
 * from the label average unless {@code boost_from_average=false}; a custom one starts from 0.
 * The built-in objective's round ({@link #updateBuiltIn()}) is there for comparison. Not
 * thread-safe; close it to free the native booster and dataset.
 */
public final class Booster implements AutoCloseable {
    private final SWIGTYPE_p_void dataset;
    private final SWIGTYPE_p_void booster;
    private final int rows;
    private final int cols;
    private final float[] labels;
    private final float[] weights;
    private final int numClass;
    private boolean closed;

    /**
     * Builds the dataset (row-major {@code rows × cols} features, a label per row, optional
     * weights) and a booster with LightGBM's parameter string, e.g.
     * {@code "objective=none num_leaves=15 learning_rate=0.1 verbose=-1"}.
     */
    public Booster(double[] features, int rows, int cols, float[] labels, float[] weights, String parameters) {
        LightGbmNative.load();
        if (features.length != (long) rows * cols || labels.length != rows || (weights != null && weights.length != rows)) {
            throw new IllegalArgumentException("features must be rows × cols, labels and weights one per row");
        }
        this.rows = rows;
        this.cols = cols;
        this.labels = labels.clone();
        this.weights = weights == null ? null : weights.clone();
        SWIGTYPE_p_double data = doubles(features);
        SWIGTYPE_p_p_void out = new_voidpp();
        try {
            check(LGBM_DatasetCreateFromMat(double_to_voidp_ptr(data), lightgbmlibConstants.C_API_DTYPE_FLOAT64, rows,
                    cols, 1, parameters, null, out));
            dataset = voidpp_value(out);
        } finally {
            delete_doubleArray(data);
        }
        setField("label", labels);
        if (weights != null) {
            setField("weight", weights);
        }
        try {
            check(LGBM_BoosterCreate(dataset, parameters, out));
            booster = voidpp_value(out);
        } finally {
            delete_voidpp(out);
        }
        SWIGTYPE_p_int k = new_intp();
        try {
            check(LGBM_BoosterGetNumClasses(booster, k));
            numClass = intp_value(k);
        } finally {
            delete_intp(k);
        }
    }

    private void setField(String name, float[] v) {
        SWIGTYPE_p_float a = floats(v);
        try {
            check(LGBM_DatasetSetField(dataset, name, float_to_voidp_ptr(a), v.length,
                    lightgbmlibConstants.C_API_DTYPE_FLOAT32));
        } finally {
            delete_floatArray(a);
        }
    }

    static void check(int code) {
        if (code != 0) {
            throw new IllegalStateException("LightGBM: " + LGBM_GetLastError());
        }
    }

    private static SWIGTYPE_p_double doubles(double[] v) {
        SWIGTYPE_p_double a = new_doubleArray(v.length);
        for (int i = 0; i < v.length; i++) {
            doubleArray_setitem(a, i, v[i]);
        }
        return a;
    }

    private static SWIGTYPE_p_float floats(float[] v) {
        SWIGTYPE_p_float a = new_floatArray(v.length);
        for (int i = 0; i < v.length; i++) {
            floatArray_setitem(a, i, v[i]);
        }
        return a;
    }

    public int rows() {
        return rows;
    }

    /** Scores per row: 1, or num_class. */
    public int numClass() {
        return numClass;
    }

    public float[] labels() {
        return labels.clone();
    }

    /** The weights, or null. */
    public float[] weights() {
        return weights == null ? null : weights.clone();
    }

    /** The current raw scores of the training rows, class-major ({@code [c·rows + i]}) as LightGBM keeps them. */
    public double[] trainingScores() {
        int m = rows * numClass;
        SWIGTYPE_p_double a = new_doubleArray(m);
        SWIGTYPE_p_long_long len = new_int64_tp();
        try {
            check(LGBM_BoosterGetPredict(booster, 0, len, a));
            double[] out = new double[m];
            for (int i = 0; i < m; i++) {
                out[i] = doubleArray_getitem(a, i);
            }
            return out;
        } finally {
            delete_doubleArray(a);
            delete_int64_tp(len);
        }
    }

    /** One round with the booster's own objective; true when no further split can be made. */
    public boolean updateBuiltIn() {
        SWIGTYPE_p_int finished = new_intp();
        try {
            check(LGBM_BoosterUpdateOneIter(booster, finished));
            return intp_value(finished) != 0;
        } finally {
            delete_intp(finished);
        }
    }

    /** One round with the given gradients and Hessians (class-major, as {@link #trainingScores()}). */
    public boolean update(float[] grad, float[] hess) {
        if (grad.length != rows * numClass || hess.length != grad.length) {
            throw new IllegalArgumentException("need " + rows * numClass + " gradients and Hessians");
        }
        SWIGTYPE_p_float g = floats(grad);
        SWIGTYPE_p_float h = floats(hess);
        SWIGTYPE_p_int finished = new_intp();
        try {
            check(LGBM_BoosterUpdateOneIterCustom(booster, g, h, finished));
            return intp_value(finished) != 0;
        } finally {
            delete_floatArray(g);
            delete_floatArray(h);
            delete_intp(finished);
        }
    }

    /** Raw scores for a row-major {@code n × cols} matrix, row-major {@code [i·numClass + c]}. */
    public double[] predictRaw(double[] features, int n) {
        if (features.length != (long) n * cols) {
            throw new IllegalArgumentException("features must be n × " + cols);
        }
        SWIGTYPE_p_double data = doubles(features);
        SWIGTYPE_p_double out = new_doubleArray((long) n * numClass);
        SWIGTYPE_p_long_long len = new_int64_tp();
        try {
            check(LGBM_BoosterPredictForMat(booster, double_to_voidp_ptr(data), lightgbmlibConstants.C_API_DTYPE_FLOAT64,
                    n, cols, 1, lightgbmlibConstants.C_API_PREDICT_RAW_SCORE, 0, -1, "", len, out));
            double[] r = new double[n * numClass];
            for (int i = 0; i < r.length; i++) {
                r[i] = doubleArray_getitem(out, i);
            }
            return r;
        } finally {
            delete_doubleArray(data);
            delete_doubleArray(out);
            delete_int64_tp(len);
        }
    }

    /**
     * {gradient, Hessian}, class-major like the scores: {@code scores} [k·n], one label per row
     * (the target when k = 1, the class index when k > 1), optional weights per row (null: 1). With
     * k > 1 each score's target is the one-hot label: 1 for the row's class, 0 for the others.
     */
    public static double[][] gradHess(BoostingObjective objective, double[] scores, float[] labels, float[] weights, int n,
            int k) {
        int m = n * k;
        if (scores.length != m || labels.length != n || (weights != null && weights.length != n)) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "need " + m + " scores (" + n + " rows × " + k
                    + " classes), " + n + " labels and " + n + " weights or none; got " + scores.length + ", "
                    + labels.length + (weights == null ? "" : ", " + weights.length));
        }
        double[] target = new double[m];
        double[] w = weights == null ? null : new double[m];
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < n; i++) {
                int e = c * n + i;
                if (k == 1) {
                    target[e] = labels[i];
                } else {
                    if (labels[i] != Math.rint(labels[i]) || labels[i] < 0 || labels[i] >= k) {
                        throw new LossException(ErrorKind.INVALID_OPTION, "label " + labels[i] + " of row " + i
                                + " is not a class index in [0, " + k + ")");
                    }
                    target[e] = labels[i] == c ? 1 : 0;
                }
                if (w != null) {
                    w[e] = weights[i];
                }
            }
        }
        return objective.gradHess(scores, target, w);
    }

    /**
     * One boosting round with a losses4j objective (the booster made with {@code objective=none}):
     * its gradient and Hessian at the current training scores; true when no further split can be made.
     */
    public boolean update(BoostingObjective objective) {
        float[][] gh = BoostingObjective.toFloat(gradHess(objective, trainingScores(), labels, weights, rows, numClass));
        return update(gh[0], gh[1]);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LGBM_BoosterFree(booster);
            LGBM_DatasetFree(dataset);
        }
    }
}
