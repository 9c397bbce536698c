package org.losses4j.xgboost;

import java.util.ArrayList;
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
 * An XGBoost4J custom objective from a learning-to-rank list loss with a diagonal Hessian
 * (lambda_rank): the DMatrix's query groups ({@code setGroup}) are its lists, the labels their
 * relevance, the raw margins their scores. Each group becomes one row of the loss's
 * {@code [Q, L]} inputs (padded to the longest group with a mask), the loss runs with reduction
 * {@code sum} (XGBoost's gradients are per-group sums), and each sample's gradient and Hessian
 * are multiplied by its group's weight {@code w_g·Q/Σw} when the DMatrix has group weights (as
 * XGBoost's ranking objectives normalise them); no Hessian floor.
 *
 * <pre>{@code
 * DMatrix train = ...; train.setGroup(sizes);
 * Booster b = XGBoost.train(train, Map.of("base_score", 0.0, ...), 50, Map.of(), RankObjective.of("lambda_rank"), null);
 * }</pre>
 *
 * <p>With the defaults, lambda_rank is XGBoost's {@code rank:ndcg} (pair method topk, 32 pairs
 * per position, normalisations on), so the same parameters train the same trees (see
 * RankObjectiveTest). Serialisable: it keeps the loss name and options.
 */
public final class RankObjective implements IObjective {
    private static final long serialVersionUID = 1L;

    private final String lossName;
    private final LinkedHashMap<String, Object> options;
    private transient DiagonalHessian loss;

    private RankObjective(String lossName, Map<String, ?> options) {
        this.lossName = lossName;
        this.options = new LinkedHashMap<>(options);
        this.loss = build();
    }

    /** The objective of the named list loss with its default options. */
    public static RankObjective of(String lossName) {
        return of(lossName, Map.of());
    }

    /** The objective of the named list loss with options (a {@code reduction} option is refused: it is always sum). */
    public static RankObjective of(String lossName, Map<String, ?> options) {
        return new RankObjective(lossName, options);
    }

    private DiagonalHessian build() {
        if (options.containsKey("reduction")) {
            throw new LossException(ErrorKind.INVALID_OPTION, "a boosting objective sums over the groups: leave out"
                    + " the reduction option (got reduction = " + options.get("reduction") + ")");
        }
        LossInfo info = Losses.info(lossName);
        boolean lists = info.inputs().size() >= 2 && info.inputs().get(0).name().equals("scores")
                && info.inputs().get(1).name().equals("relevance");
        Map<String, Object> o = new LinkedHashMap<>(options);
        o.put("reduction", "sum");
        Loss l = lists && info.reducible() ? Losses.create(lossName, o) : null;
        if (!(l instanceof DiagonalHessian)) {
            throw new LossException(ErrorKind.INVALID_OPTION, "loss " + lossName + " cannot be a ranking objective:"
                    + " it needs scores and relevance per list and a diagonal Hessian (lambda_rank has them)");
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

    public String lossName() {
        return lossName;
    }

    public Map<String, Object> options() {
        return java.util.Collections.unmodifiableMap(options);
    }

    @Override
    public List<float[]> getGradient(float[][] predicts, DMatrix dtrain) {
        float[] labels;
        float[] weights;
        int[] groupPtr;
        try {
            labels = dtrain.getLabel();
            weights = dtrain.getWeight();
            groupPtr = dtrain.getGroup();
        } catch (XGBoostError e) {
            throw new IllegalStateException("cannot read labels, weights or groups from the DMatrix", e);
        }
        int n = predicts.length;
        if (n > 0 && predicts[0].length != 1) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "a ranking objective takes one output per row, not "
                    + predicts[0].length);
        }
        double[] margin = new double[n];
        for (int i = 0; i < n; i++) {
            margin[i] = predicts[i][0];
        }
        double[][] gh = gradHess(margin, labels, groupPtr, weights);
        float[] g = new float[n];
        float[] h = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = (float) gh[0][i];
            h[i] = (float) gh[1][i];
        }
        return new ArrayList<>(List.of(g, h));
    }

    /**
     * {gradient, Hessian} of the margins [n] with labels [n], groups given by their offsets
     * {@code groupPtr} (0, end of group 0, …, n; null or empty: one group of every row) and
     * optional group weights (one per group; empty or null: unweighted).
     */
    public double[][] gradHess(double[] margin, float[] labels, int[] groupPtr, float[] weights) {
        int n = margin.length;
        if (labels == null || labels.length != n) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "the DMatrix has " + (labels == null ? 0 : labels.length)
                    + " labels for " + n + " margins");
        }
        int[] ptr = groupPtr == null || groupPtr.length == 0 ? new int[] {0, n} : groupPtr;
        int q = ptr.length - 1;
        if (ptr[0] != 0 || ptr[q] != n) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "the query groups cover rows " + ptr[0] + " to " + ptr[q]
                    + " of " + n);
        }
        boolean weighted = weights != null && weights.length > 0;
        if (weighted && weights.length != q) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "the DMatrix has " + weights.length + " weights for "
                    + q + " query groups (ranking weights are per group)");
        }
        int width = 0;
        for (int g = 0; g < q; g++) {
            width = Math.max(width, ptr[g + 1] - ptr[g]);
        }
        double[] s = new double[q * width];
        double[] y = new double[q * width];
        double[] m = new double[q * width];
        for (int g = 0; g < q; g++) {
            for (int i = ptr[g]; i < ptr[g + 1]; i++) {
                int at = g * width + (i - ptr[g]);
                s[at] = margin[i];
                y[at] = labels[i];
                m[at] = 1;
            }
        }
        LossResult r = loss().computeWithHessian(Inputs.of("scores", Tensor.of(s, q, width))
                .with("relevance", Tensor.of(y, q, width)).with("mask", Tensor.of(m, q, width)));
        double[] gs = r.grad("scores").f64();
        double[] hs = r.hessian().f64();
        double norm = 1;
        if (weighted) {
            double sum = 0;
            for (float w : weights) {
                sum += w;
            }
            norm = q / sum;
        }
        double[] grad = new double[n];
        double[] hess = new double[n];
        for (int g = 0; g < q; g++) {
            double w = weighted ? weights[g] * norm : 1;
            for (int i = ptr[g]; i < ptr[g + 1]; i++) {
                int at = g * width + (i - ptr[g]);
                grad[i] = w * gs[at];
                hess[i] = w * hs[at];
            }
        }
        return new double[][] {grad, hess};
    }

    @Override
    public String toString() {
        return "RankObjective(" + lossName + options + ")";
    }
}
