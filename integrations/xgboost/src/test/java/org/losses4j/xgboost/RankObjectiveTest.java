package org.losses4j.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.IObjective;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.jupiter.api.Test;
import org.losses4j.LossException;

/**
 * lambda_rank as an XGBoost objective against XGBoost's own {@code rank:ndcg} on a generated
 * ranking data set (query groups of 3 to 45 documents, graded relevance 0–4 from a noisy function
 * of the features): the same parameters give the same trees, so the raw margins agree to float
 * rounding and NDCG@10 on held-out queries agrees within 1e-3.
 */
class RankObjectiveTest {
    private static final int F = 6;
    private static final int ROUNDS = 15;

    /** Queries with their documents' features and relevance. */
    private static final class Queries {
        final float[] x;
        final float[] y;
        final int[] sizes;
        final int[] ptr;
        final int n;

        Queries(int q, long seed) {
            Random r = new Random(seed);
            sizes = new int[q];
            ptr = new int[q + 1];
            for (int g = 0; g < q; g++) {
                sizes[g] = g == 0 ? 45 : 3 + r.nextInt(28); // one group longer than the truncation of 32
                ptr[g + 1] = ptr[g] + sizes[g];
            }
            n = ptr[q];
            x = new float[n * F];
            y = new float[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < F; j++) {
                    x[i * F + j] = (float) r.nextGaussian();
                }
                double a = x[i * F];
                double b = x[i * F + 1];
                double c = x[i * F + 2];
                double signal = 1.2 * a + Math.sin(2 * b) - 0.5 * c * c + 0.4 * r.nextGaussian();
                y[i] = (float) Math.max(0, Math.min(4, Math.round(signal + 1)));
            }
        }

        DMatrix matrix() throws XGBoostError {
            DMatrix d = new DMatrix(x, n, F, Float.NaN);
            d.setLabel(y);
            d.setGroup(sizes);
            return d;
        }

        /** Mean NDCG@10 (gains 2^y − 1) of the queries with a relevant document, ranked by the margins. */
        double ndcgAt10(float[][] margin) {
            double total = 0;
            int counted = 0;
            for (int g = 0; g < sizes.length; g++) {
                int len = sizes[g];
                Integer[] byScore = new Integer[len];
                double[] ideal = new double[len];
                for (int i = 0; i < len; i++) {
                    byScore[i] = i;
                    ideal[i] = y[ptr[g] + i];
                }
                final int base = ptr[g];
                java.util.Arrays.sort(byScore, (u, v) -> Float.compare(margin[base + v][0], margin[base + u][0]));
                java.util.Arrays.sort(ideal);
                double dcg = 0;
                double idcg = 0;
                for (int p = 0; p < Math.min(10, len); p++) {
                    double disc = 1 / (Math.log(p + 2) / Math.log(2));
                    dcg += (Math.pow(2, y[base + byScore[p]]) - 1) * disc;
                    idcg += (Math.pow(2, ideal[len - 1 - p]) - 1) * disc;
                }
                if (idcg > 0) {
                    total += dcg / idcg;
                    counted++;
                }
            }
            return total / counted;
        }
    }

    private static Map<String, Object> params(Object... kv) {
        Map<String, Object> p = new HashMap<>();
        p.put("eta", 0.3);
        p.put("max_depth", 4);
        p.put("tree_method", "exact");
        p.put("nthread", 1);
        p.put("seed", 0);
        p.put("verbosity", 0);
        p.put("base_score", 0.0);
        for (int i = 0; i < kv.length; i += 2) {
            p.put((String) kv[i], kv[i + 1]);
        }
        return p;
    }

    private static float[][] trainAndPredict(DMatrix train, DMatrix test, Map<String, Object> p, IObjective obj)
            throws XGBoostError {
        Booster b = XGBoost.train(train, p, ROUNDS, new HashMap<>(), obj, null);
        return b.predict(test, true);
    }

    @Test
    void lambdaRankTrainsTheTreesOfRankNdcg() throws XGBoostError {
        Queries tr = new Queries(80, 1);
        Queries te = new Queries(40, 2);
        DMatrix train = tr.matrix();
        DMatrix test = te.matrix();
        float[][] builtin = trainAndPredict(train, test, params("objective", "rank:ndcg"), null);
        float[][] ours = trainAndPredict(train, test, params(), RankObjective.of("lambda_rank"));
        double maxDiff = 0;
        double maxAbs = 0;
        for (int i = 0; i < builtin.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(builtin[i][0] - ours[i][0]));
            maxAbs = Math.max(maxAbs, Math.abs(builtin[i][0]));
        }
        double nb = te.ndcgAt10(builtin);
        double no = te.ndcgAt10(ours);
        System.out.printf("rank:ndcg NDCG@10 = %.6f, lambda_rank NDCG@10 = %.6f, max |margin diff| = %.3g%n", nb, no,
                maxDiff);
        assertThat(maxAbs).as("the model learned something").isGreaterThan(0.1);
        assertThat(nb).as("better than chance").isGreaterThan(0.6);
        assertThat(no).isCloseTo(nb, org.assertj.core.api.Assertions.within(1e-3));
        assertThat(maxDiff).as("max |rank:ndcg − lambda_rank| of the raw margins").isLessThan(1e-3 * Math.max(1, maxAbs));
    }

    @Test
    void optionsFollowXgboostsParameters() throws XGBoostError {
        Queries tr = new Queries(60, 3);
        Queries te = new Queries(30, 4);
        DMatrix train = tr.matrix();
        DMatrix test = te.matrix();
        float[][] builtin = trainAndPredict(train, test, params("objective", "rank:ndcg",
                "lambdarank_num_pair_per_sample", 4, "lambdarank_score_normalization", false, "ndcg_exp_gain", false),
                null);
        float[][] ours = trainAndPredict(train, test, params(), RankObjective.of("lambda_rank",
                Map.of("truncation", 4, "score_normalization", false, "exp_gain", false)));
        float[][] defaults = trainAndPredict(train, test, params(), RankObjective.of("lambda_rank"));
        double diff = 0;
        double other = 0;
        for (int i = 0; i < builtin.length; i++) {
            diff = Math.max(diff, Math.abs(builtin[i][0] - ours[i][0]));
            other = Math.max(other, Math.abs(builtin[i][0] - defaults[i][0]));
        }
        assertThat(diff).isLessThan(1e-3);
        assertThat(other).as("other options give another model (the test can tell)").isGreaterThan(1e-2);
    }

    @Test
    void groupWeightsAndRefusals() throws XGBoostError {
        Queries tr = new Queries(40, 5);
        DMatrix train = tr.matrix();
        float[] w = new float[40];
        Random r = new Random(6);
        for (int g = 0; g < w.length; g++) {
            w[g] = 0.5f + r.nextFloat();
        }
        train.setWeight(w);
        Queries te = new Queries(20, 7);
        DMatrix test = te.matrix();
        float[][] builtin = trainAndPredict(train, test, params("objective", "rank:ndcg"), null);
        float[][] ours = trainAndPredict(train, test, params(), RankObjective.of("lambda_rank"));
        for (int i = 0; i < builtin.length; i++) {
            assertThat((double) ours[i][0]).isCloseTo(builtin[i][0], org.assertj.core.api.Assertions.within(1e-3));
        }
        assertThatThrownBy(() -> RankObjective.of("mse")).isInstanceOf(LossException.class)
                .hasMessageContaining("cannot be a ranking objective");
        assertThatThrownBy(() -> RankObjective.of("lambda_rank", Map.of("reduction", "mean")))
                .isInstanceOf(LossException.class).hasMessageContaining("reduction");
        assertThatThrownBy(() -> RankObjective.of("lambda_rank").gradHess(new double[3], new float[3],
                new int[] {0, 2}, null)).isInstanceOf(LossException.class).hasMessageContaining("query groups");
    }
}
