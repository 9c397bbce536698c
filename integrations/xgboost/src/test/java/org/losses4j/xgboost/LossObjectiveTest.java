package org.losses4j.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.HashMap;
import java.util.List;
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
 * The objectives against XGBoost's built-in ones: the same data, parameters and starting
 * margin, trained once with the built-in objective and once with losses4j's, must give the
 * same trees, hence the same raw predictions up to float rounding.
 */
class LossObjectiveTest {
    private static final int N = 1500;
    private static final int F = 5;
    private static final int ROUNDS = 20;

    /** Features in [-2, 2], a smooth signal of them. */
    private static final class Data {
        final float[] x;
        final double[] signal;
        final int n;

        Data(int n, long seed) {
            this.n = n;
            Random r = new Random(seed);
            x = new float[n * F];
            signal = new double[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < F; j++) {
                    x[i * F + j] = (float) (4 * r.nextDouble() - 2);
                }
                double a = x[i * F];
                double b = x[i * F + 1];
                double c = x[i * F + 2];
                signal[i] = Math.sin(2 * a) + 0.5 * b * b - 0.7 * c + 0.3 * a * b;
            }
        }

        DMatrix matrix(float[] labels) throws XGBoostError {
            DMatrix d = new DMatrix(x, n, F, Float.NaN);
            d.setLabel(labels);
            return d;
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

    /** Asserts the margins agree within {@code tol·max(1, max |margin|)}; returns max |built-in − losses4j|. */
    private static double assertSameMargins(float[][] builtin, float[][] ours, double tol) {
        assertThat(ours.length).isEqualTo(builtin.length);
        double maxDiff = 0;
        double maxAbs = 0;
        for (int i = 0; i < builtin.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(builtin[i][0] - ours[i][0]));
            maxAbs = Math.max(maxAbs, Math.abs(builtin[i][0]));
        }
        assertThat(maxAbs).as("the model learned something").isGreaterThan(0.1);
        assertThat(maxDiff).as("max |built-in − losses4j| of the raw margins").isLessThanOrEqualTo(tol * Math.max(1, maxAbs));
        return maxDiff;
    }

    private static double maxDiff(float[][] a, float[][] b) {
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i][0] - b[i][0]));
        }
        return diff;
    }

    /** N sample weights in [0.5, 1.5). */
    private static float[] weights(long seed) {
        Random r = new Random(seed);
        float[] w = new float[N];
        for (int i = 0; i < N; i++) {
            w[i] = 0.5f + r.nextFloat();
        }
        return w;
    }

    /** An exponential variate of mean 1. */
    private static double exponential(Random r) {
        return -Math.log(1 - r.nextDouble());
    }

    /**
     * Compound Poisson–gamma targets (Tweedie with 1 < p < 2): N ~ Poisson(λ) claims of
     * gamma(2, ½) size each, λ = 0.8·e^(signal/2); about a third are exact zeros.
     */
    private static float[] tweedieTargets(Data d, long seed) {
        Random r = new Random(seed);
        float[] y = new float[d.n];
        for (int i = 0; i < d.n; i++) {
            int claims = poisson(r, 0.8 * Math.exp(0.5 * d.signal[i]));
            double total = 0;
            for (int c = 0; c < claims; c++) {
                total += 0.5 * (exponential(r) + exponential(r));
            }
            y[i] = (float) total;
        }
        return y;
    }

    /** Gamma targets of shape 2 and mean e^(signal/2): all positive, skewed. */
    private static float[] gammaTargets(Data d, long seed) {
        Random r = new Random(seed);
        float[] y = new float[d.n];
        for (int i = 0; i < d.n; i++) {
            y[i] = (float) (Math.exp(0.5 * d.signal[i]) * 0.5 * (exponential(r) + exponential(r)));
        }
        return y;
    }

    @Test
    void tweedieEqualsBuiltinTweedie() throws XGBoostError {
        // reg:tweedie's gradient −y·e^((1−p)f) + e^((2−p)f) and Hessian −y(1−p)e^((1−p)f) + (2−p)e^((2−p)f)
        // (XGBoost's in float32) are tweedie's. Its base_score is a mean (1 → margin log 1 = 0), a custom
        // objective's a margin; given explicitly, XGBoost fits no intercept. hessianFloor(0): the loss's own curvature.
        Data tr = new Data(N, 81);
        Data te = new Data(300, 82);
        float[] y = tweedieTargets(tr, 83);
        int zeros = 0;
        for (float v : y) {
            zeros += v == 0 ? 1 : 0;
        }
        assertThat(zeros).as("exact zeros among the targets").isBetween(N / 5, N / 2);
        DMatrix train = tr.matrix(y);
        train.setWeight(weights(84));
        DMatrix test = te.matrix(new float[te.n]);
        float[][] previous = null;
        for (double p : new double[] {1.5, 1.2, 1.8}) {
            float[][] builtin = trainAndPredict(train, test,
                    params("objective", "reg:tweedie", "tweedie_variance_power", p, "base_score", 1.0), null);
            float[][] ours = trainAndPredict(train, test, params("base_score", 0.0),
                    LossObjective.of("tweedie", Map.of("variance_power", p)).hessianFloor(0.0));
            double diff = assertSameMargins(builtin, ours, 1e-5);
            System.out.printf("tweedie p = %s: max |reg:tweedie − losses4j| margin = %.3g%n", p, diff);
            if (previous != null) {
                assertThat(maxDiff(previous, builtin)).as("another p gives another model (the test can tell)")
                        .isGreaterThan(1e-2);
            }
            previous = builtin;
        }
    }

    @Test
    void gammaEqualsBuiltinGamma() throws XGBoostError {
        // reg:gamma's gradient 1 − y/μ and Hessian y/μ (μ = e^f, XGBoost's in float32) are gamma's; base_score
        // as for reg:tweedie. No label is exactly 1, so scale_pos_weight (see below) plays no part.
        Data tr = new Data(N, 91);
        Data te = new Data(300, 92);
        DMatrix train = tr.matrix(gammaTargets(tr, 93));
        train.setWeight(weights(94));
        DMatrix test = te.matrix(new float[te.n]);
        float[][] builtin = trainAndPredict(train, test, params("objective", "reg:gamma", "base_score", 1.0), null);
        float[][] ours = trainAndPredict(train, test, params("base_score", 0.0), LossObjective.of("gamma")
                .hessianFloor(0.0));
        double diff = assertSameMargins(builtin, ours, 1e-5);
        System.out.printf("gamma: max |reg:gamma − losses4j| margin = %.3g%n", diff);
        // tweedie near p = 2 has gamma's gradient and Hessian: nearly the same model
        float[][] nearTwo = trainAndPredict(train, test, params("base_score", 0.0),
                LossObjective.of("tweedie", Map.of("variance_power", 1.9999)).hessianFloor(0.0));
        assertThat(maxDiff(nearTwo, builtin)).isLessThan(1e-2);
    }

    @Test
    void gammaDiffersFromBuiltinGammaOnlyByScalePosWeightOnLabelsOfExactlyOne() throws XGBoostError {
        // RegLossObj multiplies the weight of every sample whose label is exactly 1 by scale_pos_weight,
        // for reg:gamma too (CATALOG.md): with such labels and scale_pos_weight = 3 the built-in differs,
        // and losses4j with those samples' DMatrix weights tripled is the built-in again
        Data tr = new Data(N, 95);
        Data te = new Data(300, 96);
        float[] y = gammaTargets(tr, 97);
        float[] w = new float[N];
        for (int i = 0; i < N; i++) {
            if (i % 4 == 0) {
                y[i] = 1f;
            }
            w[i] = y[i] == 1f ? 3f : 1f;
        }
        DMatrix plain = tr.matrix(y);
        DMatrix weighted = tr.matrix(y);
        weighted.setWeight(w);
        DMatrix test = te.matrix(new float[te.n]);
        float[][] builtin = trainAndPredict(plain, test,
                params("objective", "reg:gamma", "base_score", 1.0, "scale_pos_weight", 3.0), null);
        float[][] ours = trainAndPredict(plain, test, params("base_score", 0.0), LossObjective.of("gamma")
                .hessianFloor(0.0));
        assertThat(maxDiff(builtin, ours)).as("scale_pos_weight changes the built-in").isGreaterThan(1e-2);
        float[][] oursWeighted = trainAndPredict(weighted, test, params("base_score", 0.0), LossObjective.of("gamma")
                .hessianFloor(0.0));
        assertSameMargins(builtin, oursWeighted, 1e-5);
    }

    /**
     * LightGBM's RegressionFairLoss::GetGradients transcribed (x = score − label in double, then
     * float): {@code c·x/(|x| + c)} and {@code c²/((|x| + c)(|x| + c))}. XGBoost has no built-in fair
     * objective, so this is the reference the fair objective is compared with.
     */
    private static final class LightGbmFair implements IObjective {
        private static final long serialVersionUID = 1L;
        private final double c;

        LightGbmFair(double c) {
            this.c = c;
        }

        @Override
        public List<float[]> getGradient(float[][] predicts, DMatrix dtrain) {
            try {
                float[] label = dtrain.getLabel();
                float[] g = new float[label.length];
                float[] h = new float[label.length];
                for (int i = 0; i < label.length; i++) {
                    double x = (double) predicts[i][0] - label[i];
                    g[i] = (float) (c * x / (Math.abs(x) + c));
                    h[i] = (float) (c * c / ((Math.abs(x) + c) * (Math.abs(x) + c)));
                }
                return List.of(g, h);
            } catch (XGBoostError e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void fairEqualsLightGbmsFairObjective() throws XGBoostError {
        Data tr = new Data(N, 101);
        Data te = new Data(300, 102);
        DMatrix train = tr.matrix(labelsWithOutliers(tr, 103));
        DMatrix test = te.matrix(new float[te.n]);
        for (double c : new double[] {1.0, 0.3}) {
            float[][] lightgbm = trainAndPredict(train, test, params("base_score", 0.5), new LightGbmFair(c));
            float[][] ours = trainAndPredict(train, test, params("base_score", 0.5),
                    LossObjective.of("fair", Map.of("c", c)).hessianFloor(0.0));
            double diff = assertSameMargins(lightgbm, ours, 1e-5);
            System.out.printf("fair c = %s: max |LightGBM's fair − losses4j| margin = %.3g%n", c, diff);
        }
    }

    private static float[] gaussianLabels(Data d, long seed) {
        Random r = new Random(seed);
        float[] y = new float[d.n];
        for (int i = 0; i < d.n; i++) {
            y[i] = (float) (d.signal[i] + 0.3 * r.nextGaussian());
        }
        return y;
    }

    @Test
    void squaredErrorEqualsBuiltinSquaredError() throws XGBoostError {
        Data tr = new Data(N, 1);
        Data te = new Data(300, 2);
        DMatrix train = tr.matrix(gaussianLabels(tr, 3));
        DMatrix test = te.matrix(new float[te.n]);
        train.setWeight(weights(4));
        // reg:squarederror is ½(f − y)²; losses4j's mse is (f − y)², so scale ½. base_score is a margin for both.
        float[][] builtin = trainAndPredict(train, test, params("objective", "reg:squarederror", "base_score", 0.5), null);
        float[][] ours = trainAndPredict(train, test, params("base_score", 0.5), LossObjective.of("mse").scale(0.5));
        assertSameMargins(builtin, ours, 1e-5);
    }

    @Test
    void unscaledMseNeedsDoubledRegularisationToMatch() throws XGBoostError {
        // (f − y)² doubles g and h; the same trees need λ, γ and min_child_weight doubled too
        Data tr = new Data(N, 5);
        Data te = new Data(300, 6);
        DMatrix train = tr.matrix(gaussianLabels(tr, 7));
        DMatrix test = te.matrix(new float[te.n]);
        float[][] builtin = trainAndPredict(train, test,
                params("objective", "reg:squarederror", "base_score", 0.0, "lambda", 1.0, "min_child_weight", 1.0), null);
        float[][] ours = trainAndPredict(train, test, params("base_score", 0.0, "lambda", 2.0, "min_child_weight", 2.0),
                LossObjective.of("mse"));
        assertSameMargins(builtin, ours, 1e-5);
    }

    @Test
    void logisticEqualsBuiltinBinaryLogistic() throws XGBoostError {
        Data tr = new Data(N, 11);
        Data te = new Data(300, 12);
        Random r = new Random(13);
        float[] y = new float[N];
        for (int i = 0; i < N; i++) {
            y[i] = r.nextDouble() < 1 / (1 + Math.exp(-2 * tr.signal[i])) ? 1f : 0f;
        }
        DMatrix train = tr.matrix(y);
        DMatrix test = te.matrix(new float[te.n]);
        // binary:logistic takes base_score as a probability (0.5 is margin 0); a custom objective as a margin
        float[][] builtin = trainAndPredict(train, test, params("objective", "binary:logistic", "base_score", 0.5), null);
        float[][] ours = trainAndPredict(train, test, params("base_score", 0.0), LossObjective.of("bce_with_logits"));
        assertSameMargins(builtin, ours, 1e-4);
    }

    private static float[] poissonCounts(Data d, long seed) {
        Random r = new Random(seed);
        float[] y = new float[d.n];
        for (int i = 0; i < d.n; i++) {
            y[i] = poisson(r, Math.exp(0.5 * d.signal[i]));
        }
        return y;
    }

    /** A Poisson variate by Knuth's method (small rates only). */
    private static int poisson(Random r, double rate) {
        double l = Math.exp(-rate);
        int k = 0;
        double p = 1;
        do {
            k++;
            p *= r.nextDouble();
        } while (p > l);
        return k - 1;
    }

    @Test
    void poissonEqualsBuiltinCountPoissonWithoutMaxDeltaStep() throws XGBoostError {
        Data tr = new Data(N, 21);
        Data te = new Data(300, 22);
        DMatrix train = tr.matrix(poissonCounts(tr, 23));
        DMatrix test = te.matrix(new float[te.n]);
        // count:poisson's Hessian is exp(f + max_delta_step); with max_delta_step = 0 (which also
        // lifts the tree's step cap, 0 meaning none) it is poisson_nll's exp(f). base_score: a rate (1 → margin 0).
        float[][] builtin = trainAndPredict(train, test,
                params("objective", "count:poisson", "base_score", 1.0, "max_delta_step", 0.0), null);
        float[][] ours = trainAndPredict(train, test, params("base_score", 0.0), LossObjective.of("poisson_nll"));
        assertSameMargins(builtin, ours, 1e-4);
    }

    @Test
    void poissonEqualsBuiltinCountPoissonWithItsDefaultMaxDeltaStep() throws XGBoostError {
        Data tr = new Data(N, 31);
        Data te = new Data(300, 32);
        DMatrix train = tr.matrix(poissonCounts(tr, 33));
        DMatrix test = te.matrix(new float[te.n]);
        // count:poisson's default max_delta_step = 0.7 does two things: the objective's Hessian is
        // exp(f + 0.7) and each leaf step is capped at 0.7. Both are needed to reproduce it.
        float[][] builtin = trainAndPredict(train, test, params("objective", "count:poisson", "base_score", 1.0), null);
        float[][] ours = trainAndPredict(train, test, params("base_score", 0.0, "max_delta_step", 0.7),
                LossObjective.of("poisson_nll").hessianFactor(Math.exp(0.7)));
        assertSameMargins(builtin, ours, 1e-4);
        float[][] plain = trainAndPredict(train, test, params("base_score", 0.0), LossObjective.of("poisson_nll"));
        double diff = 0;
        for (int i = 0; i < plain.length; i++) {
            diff = Math.max(diff, Math.abs(plain[i][0] - builtin[i][0]));
        }
        assertThat(diff).as("without them the models differ (the test can tell)").isGreaterThan(1e-2);
    }

    private static float[] labelsWithOutliers(Data d, long seed) {
        float[] y = gaussianLabels(d, seed);
        Random r = new Random(seed + 1);
        for (int i = 0; i < d.n; i++) {
            if (r.nextDouble() < 0.1) {
                y[i] += (float) ((r.nextBoolean() ? 1 : -1) * (20 + 20 * r.nextDouble()));
            }
        }
        return y;
    }

    @Test
    void huberInsideItsQuadraticZoneEqualsBuiltinSquaredError() throws XGBoostError {
        // huber's term is ½d² for |d| ≤ δ: with δ above every residual it is reg:squarederror exactly
        Data tr = new Data(N, 41);
        Data te = new Data(300, 42);
        DMatrix train = tr.matrix(gaussianLabels(tr, 43));
        DMatrix test = te.matrix(new float[te.n]);
        float[][] builtin = trainAndPredict(train, test, params("objective", "reg:squarederror", "base_score", 0.5), null);
        float[][] ours = trainAndPredict(train, test, params("base_score", 0.5), LossObjective.of("huber", Map.of("delta", 100.0)));
        assertSameMargins(builtin, ours, 1e-5);
    }

    @Test
    void pseudoHuberEqualsBuiltinPseudoHuberError() throws XGBoostError {
        // reg:pseudohubererror is δ²(√(1 + (d/δ)²) − 1) with δ = huber_slope: the same term, gradient
        // and Hessian (XGBoost's in float32). Its base_score is a margin like a custom objective's;
        // given explicitly, XGBoost does not fit an intercept. hessianFloor(0): the curvature is the loss's own.
        for (double delta : new double[] {1.0, 2.5}) {
            Data tr = new Data(N, 71);
            Data te = new Data(300, 72);
            DMatrix train = tr.matrix(labelsWithOutliers(tr, 73));
            train.setWeight(weights(74));
            DMatrix test = te.matrix(new float[te.n]);
            float[][] builtin = trainAndPredict(train, test,
                    params("objective", "reg:pseudohubererror", "huber_slope", delta, "base_score", 0.5), null);
            float[][] ours = trainAndPredict(train, test, params("base_score", 0.5),
                    LossObjective.of("pseudo_huber", Map.of("delta", delta)).hessianFloor(0.0));
            assertSameMargins(builtin, ours, 1e-5);
            if (delta != 1.0) {
                float[][] other = trainAndPredict(train, test, params("base_score", 0.5),
                        LossObjective.of("pseudo_huber").hessianFloor(0.0));
                double diff = 0;
                for (int i = 0; i < other.length; i++) {
                    diff = Math.max(diff, Math.abs(other[i][0] - builtin[i][0]));
                }
                assertThat(diff).as("with another δ the models differ (the test can tell)").isGreaterThan(1e-2);
            }
        }
    }

    /**
     * Survival labels in XGBoost's convention: time T ~ Exponential(rate exp(signal)) censored by
     * C ~ Exponential(0.25); label T (an event) if T ≤ C, else −C. Distinct times when {@code tieEvery}
     * is 0, else every tieEvery-th label copies its predecessor's |time| (ties, censored or not).
     */
    private static float[] survivalLabels(Data d, long seed, int tieEvery) {
        Random r = new Random(seed);
        float[] y = new float[d.n];
        java.util.Set<Float> seen = new java.util.HashSet<>();
        for (int i = 0; i < d.n; i++) {
            double t = -Math.log(1 - r.nextDouble()) / Math.exp(d.signal[i]);
            double c = -Math.log(1 - r.nextDouble()) / 0.25;
            float v = (float) Math.min(t, c);
            if (tieEvery > 0 && i > 0 && i % tieEvery == 0) {
                v = Math.abs(y[i - 1]);
            } else {
                while (!seen.add(v)) {
                    v = Math.nextUp(v);
                }
            }
            y[i] = t <= c ? v : -v;
        }
        return y;
    }

    @Test
    void coxEqualsBuiltinSurvivalCox() throws XGBoostError {
        // survival:cox's gradient and Hessian are cox's (sum) on distinct times; with weights XGBoost
        // multiplies each sample's pair by its weight, as the objective does. Its base_score is a hazard
        // ratio (margin log 1 = 0); hessianFloor(0): the last samples' curvature is near 0 in both.
        Data tr = new Data(N, 81);
        Data te = new Data(300, 82);
        DMatrix train = tr.matrix(survivalLabels(tr, 83, 0));
        float[] w = new float[N];
        Random r = new Random(84);
        for (int i = 0; i < N; i++) {
            w[i] = 0.5f + r.nextFloat();
        }
        train.setWeight(w);
        DMatrix test = te.matrix(new float[te.n]);
        float[][] builtin = trainAndPredict(train, test, params("objective", "survival:cox", "base_score", 1.0), null);
        float[][] ours = trainAndPredict(train, test, params("base_score", 0.0), LossObjective.of("cox").hessianFloor(0.0));
        System.out.printf("cox vs survival:cox, distinct times: max |margin difference| = %.3g (max |margin| %.3g)%n",
                maxDiff(builtin, ours), maxAbs(builtin));
        assertSameMargins(builtin, ours, 1e-5);
    }

    @Test
    void coxAtTiedTimesDiffersFromSurvivalCoxOnlyByXgboostsOrderDependentTieGradient() throws XGBoostError {
        // with ties survival:cox gives each tied sample only the tied events its stable sort puts
        // first (not a derivative); cox gives the exact Breslow derivative: close models, not equal ones
        Data tr = new Data(N, 91);
        Data te = new Data(300, 92);
        DMatrix train = tr.matrix(survivalLabels(tr, 93, 3));
        DMatrix test = te.matrix(new float[te.n]);
        float[][] builtin = trainAndPredict(train, test, params("objective", "survival:cox", "base_score", 1.0), null);
        float[][] ours = trainAndPredict(train, test, params("base_score", 0.0), LossObjective.of("cox").hessianFloor(0.0));
        double diff = maxDiff(builtin, ours);
        System.out.printf("cox vs survival:cox, a third of the times tied: max |margin difference| = %.3g (max |margin| %.3g)%n",
                diff, maxAbs(builtin));
        assertThat(diff).as("the exact tie derivative is not XGBoost's").isGreaterThan(1e-4);
        assertThat(diff).as("but both fit the same hazards").isLessThan(0.5 * maxAbs(builtin));
        // and XGBoost's own loop (CoxRegression::GetGradient, transcribed) as a custom objective is
        // survival:cox again: the tie rule is the whole difference
        float[][] loop = trainAndPredict(train, test, params("base_score", 0.0), XGBOOST_COX_LOOP);
        assertSameMargins(builtin, loop, 1e-5);
    }

    /** survival:cox's gradient loop (src/objective/regression_obj.cu, v3.0.4) as a custom objective, in double. */
    private static final IObjective XGBOOST_COX_LOOP = (predicts, dtrain) -> {
        float[] y;
        try {
            y = dtrain.getLabel();
        } catch (XGBoostError e) {
            throw new IllegalStateException(e);
        }
        int n = y.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Float.compare(Math.abs(y[a]), Math.abs(y[b]))); // stable, as XGBoost's
        double expPSum = 0;
        for (int i = 0; i < n; i++) {
            expPSum += Math.exp(predicts[order[i]][0]);
        }
        double rK = 0;
        double sK = 0;
        double lastExpP = 0;
        double lastAbsY = 0;
        double accumulated = 0;
        float[] g = new float[n];
        float[] h = new float[n];
        for (int i = 0; i < n; i++) {
            int ind = order[i];
            double expP = Math.exp(predicts[ind][0]);
            double absY = Math.abs(y[ind]);
            accumulated += lastExpP;
            if (lastAbsY < absY) {
                expPSum -= accumulated;
                accumulated = 0;
            }
            if (y[ind] > 0) {
                rK += 1.0 / expPSum;
                sK += 1.0 / (expPSum * expPSum);
            }
            g[ind] = (float) (expP * rK - (y[ind] > 0 ? 1 : 0));
            h[ind] = (float) (expP * rK - expP * expP * sK);
            lastAbsY = absY;
            lastExpP = expP;
        }
        return List.of(g, h);
    };

    private static double maxAbs(float[][] f) {
        double m = 0;
        for (float[] v : f) {
            m = Math.max(m, Math.abs(v[0]));
        }
        return m;
    }

    @Test
    void coxNeedsOneOutputPerRow() {
        assertThatThrownBy(() -> LossObjective.of("cox").gradHess(new double[4], new float[] {1f, 2f, 3f, 4f},
                new float[0], 2, 2)).isInstanceOf(LossException.class).hasMessageContaining("one output per row");
    }

    @Test
    void huberIsRobustLikeBuiltinPseudoHuber() throws XGBoostError {
        // huber is not pseudo-Huber (pseudo_huber is, see above), so here reg:pseudohubererror has no
        // exact counterpart: on labels with 10% gross outliers both robust objectives must track the
        // clean signal, and each other, far better than squared error does.
        Data tr = new Data(N, 51);
        Data te = new Data(400, 52);
        DMatrix train = tr.matrix(labelsWithOutliers(tr, 53));
        DMatrix test = te.matrix(new float[te.n]);
        Map<String, Object> p = params("base_score", 0.0, "min_child_weight", 0.0, "eta", 0.3);
        p.put("max_depth", 3);
        int rounds = 60;
        Map<String, Object> pseudo = new HashMap<>(p);
        pseudo.put("objective", "reg:pseudohubererror");
        pseudo.put("huber_slope", 1.0);
        Map<String, Object> sq = new HashMap<>(p);
        sq.put("objective", "reg:squarederror");
        float[][] fPseudo = XGBoost.train(train, pseudo, rounds, new HashMap<>(), null, null).predict(test, true);
        float[][] fSq = XGBoost.train(train, sq, rounds, new HashMap<>(), null, null).predict(test, true);
        float[][] fHuber = XGBoost.train(train, p, rounds, new HashMap<>(), LossObjective.of("huber").hessianFloor(1.0), null)
                .predict(test, true);
        double ePseudo = rmse(fPseudo, te.signal);
        double eSq = rmse(fSq, te.signal);
        double eHuber = rmse(fHuber, te.signal);
        double between = 0;
        for (int i = 0; i < te.n; i++) {
            between += Math.pow(fPseudo[i][0] - fHuber[i][0], 2);
        }
        between = Math.sqrt(between / te.n);
        assertThat(eHuber).as("huber vs clean signal").isLessThan(0.5 * eSq);
        assertThat(ePseudo).as("pseudo-Huber vs clean signal").isLessThan(0.5 * eSq);
        assertThat(between).as("huber vs pseudo-Huber models").isLessThan(0.5 * eSq);
    }

    private static double rmse(float[][] f, double[] truth) {
        double s = 0;
        for (int i = 0; i < truth.length; i++) {
            s += Math.pow(f[i][0] - truth[i], 2);
        }
        return Math.sqrt(s / truth.length);
    }

    @Test
    void focalLossTrainsOnImbalancedData() throws XGBoostError {
        Data tr = new Data(3000, 61);
        Data te = new Data(2000, 62);
        float[] ytr = rareLabels(tr, 63);
        float[] yte = rareLabels(te, 64);
        DMatrix train = tr.matrix(ytr);
        DMatrix test = te.matrix(yte);
        int positives = 0;
        for (float v : ytr) {
            positives += (int) v;
        }
        assertThat(positives).as("imbalanced: 2% to 10% positives").isBetween(60, 300);
        LossObjective focal = LossObjective.of("focal", Map.of("gamma", 2.0, "alpha", 0.75));
        Booster b = XGBoost.train(train, params("base_score", 0.0, "min_child_weight", 0.0), 40, new HashMap<>(), focal, null);
        float[][] f = b.predict(test, true);
        double auc = auc(f, yte);
        assertThat(auc).as("test AUC of the focal booster").isGreaterThan(0.85);
        // training decreased the focal loss on the training set
        float[][] start = new float[tr.n][1];
        double before = focalValue(focal, start, train);
        double after = focalValue(focal, b.predict(train, true), train);
        assertThat(after).isLessThan(0.5 * before);
    }

    private static double focalValue(LossObjective obj, float[][] margins, DMatrix d) throws XGBoostError {
        double[] m = new double[margins.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = margins[i][0];
        }
        double[] y = new double[m.length];
        float[] lab = d.getLabel();
        for (int i = 0; i < m.length; i++) {
            y[i] = lab[i];
        }
        return org.losses4j.Losses.create(obj.lossName(), obj.options())
                .value(org.losses4j.Inputs.of(org.losses4j.Tensor.vector(m), org.losses4j.Tensor.vector(y))).value();
    }

    private static float[] rareLabels(Data d, long seed) {
        Random r = new Random(seed);
        float[] y = new float[d.n];
        for (int i = 0; i < d.n; i++) {
            double z = 3 * d.signal[i] - 8.5;
            y[i] = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1f : 0f;
        }
        return y;
    }

    /** Rank-based AUC (Mann–Whitney), no ties expected in float margins of a trained booster. */
    private static double auc(float[][] f, float[] y) {
        Integer[] idx = new Integer[y.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> Float.compare(f[a][0], f[b][0]));
        double rankSum = 0;
        long pos = 0;
        for (int r = 0; r < idx.length; r++) {
            if (y[idx[r]] == 1f) {
                rankSum += r + 1;
                pos++;
            }
        }
        long neg = y.length - pos;
        return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    @Test
    void gradientAndHessianAreTheSamplesOwnWithWeightsFloorAndScale() {
        // poisson_nll: g = e^f − y, h = e^f; per sample (not divided by n), times the DMatrix weight
        LossObjective obj = LossObjective.of("poisson_nll");
        double[] f = {0.0, 1.0, -2.0};
        double[][] gh = obj.gradHess(f, new float[] {1f, 0f, 3f}, new float[] {1f, 2f, 0.5f}, 3, 1);
        assertThat(gh[0][0]).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(gh[0][1]).isCloseTo(2 * Math.E, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(gh[0][2]).isCloseTo(0.5 * (Math.exp(-2) - 3), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(gh[1][1]).isCloseTo(2 * Math.E, org.assertj.core.data.Offset.offset(1e-12));
        // mae: zero curvature is raised to the floor; scale multiplies both
        LossObjective mae = LossObjective.of("mae").hessianFloor(0.25).scale(2);
        double[][] m = mae.gradHess(new double[] {1, -1}, new float[] {0f, 0f}, new float[0], 2, 1);
        assertThat(m[0]).containsExactly(2.0, -2.0);
        assertThat(m[1]).containsExactly(0.5, 0.5);
        // focal's negative curvature (confident and right) is floored too
        LossObjective focal = LossObjective.of("focal");
        double[][] fo = focal.gradHess(new double[] {-3.0}, new float[] {0f}, new float[0], 1, 1);
        assertThat(fo[1][0]).isGreaterThanOrEqualTo(LossObjective.DEFAULT_HESSIAN_FLOOR);
    }

    @Test
    void multiOutputMarginsAreRowMajor() {
        LossObjective obj = LossObjective.of("mse");
        double[][] gh = obj.gradHess(new double[] {1, 2, 3, 4}, new float[] {0f, 0f, 0f, 0f}, new float[] {1f, 10f}, 2, 2);
        assertThat(gh[0]).containsExactly(2.0, 4.0, 60.0, 80.0);
        assertThat(gh[1]).containsExactly(2.0, 2.0, 20.0, 20.0);
    }

    @Test
    void refusesLossesWithoutPerSampleSecondDerivatives() {
        assertThatThrownBy(() -> LossObjective.of("cross_entropy")).isInstanceOf(LossException.class)
                .hasMessageContaining("not elementwise");
        assertThatThrownBy(() -> LossObjective.of("rmse")).isInstanceOf(LossException.class)
                .hasMessageContaining("always a scalar");
        assertThatThrownBy(() -> LossObjective.of("gaussian_nll")).isInstanceOf(LossException.class)
                .hasMessageContaining("'var'");
        assertThatThrownBy(() -> LossObjective.of("huber", Map.of("reduction", "mean"))).isInstanceOf(LossException.class)
                .hasMessageContaining("per sample");
        assertThatThrownBy(() -> LossObjective.of("nope")).isInstanceOf(LossException.class)
                .hasMessageContaining("unknown loss");
        assertThatThrownBy(() -> LossObjective.of("mse").hessianFloor(-1)).isInstanceOf(LossException.class);
        assertThatThrownBy(() -> LossObjective.of("mse").gradHess(new double[2], new float[3], new float[0], 2, 1))
                .isInstanceOf(LossException.class).hasMessageContaining("3 labels");
    }

    @Test
    void serialisesAndRebuildsItsLoss() throws Exception {
        LossObjective obj = LossObjective.of("huber", Map.of("delta", 0.5)).hessianFloor(0.1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(obj);
        }
        LossObjective back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (LossObjective) in.readObject();
        }
        double[] f = {0.2, 3.0};
        float[] y = {0f, 0f};
        double[][] a = obj.gradHess(f, y, new float[0], 2, 1);
        double[][] b = back.gradHess(f, y, new float[0], 2, 1);
        assertThat(b[0]).containsExactly(a[0]);
        assertThat(b[1]).containsExactly(a[1]);
        // huber δ = 0.5: g = d inside, δ·sign(d) outside; h = 1 inside, floor outside
        assertThat(a[0]).containsExactly(0.2, 0.5);
        assertThat(a[1]).containsExactly(1.0, 0.1);
        assertThat(List.of(back.lossName(), back.hessianFloor())).containsExactly("huber", 0.1);
    }
}
