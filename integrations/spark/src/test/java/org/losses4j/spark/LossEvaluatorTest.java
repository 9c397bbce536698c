package org.losses4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.losses4j.LossException;

/**
 * Model selection by a losses4j loss: CrossValidator and TrainValidationSplit with
 * {@link LossEvaluator} compute the same fold metrics, and pick the same model, as Spark's own
 * evaluators on the same metric (RegressionEvaluator rmse, MulticlassClassificationEvaluator logLoss).
 */
class LossEvaluatorTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("losses4j-evaluator-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    /** n rows of d Gaussian features; the label is the sum of the first three plus noise (few rows: regularisation matters). */
    private static Dataset<Row> regression(int n, int d, long seed) {
        Random r = new Random(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] x = new double[d];
            double y = 0;
            for (int j = 0; j < d; j++) {
                x[j] = r.nextGaussian();
                y += (j < 3 ? 1.0 : 0.0) * x[j];
            }
            rows.add(RowFactory.create(y + 1.5 * r.nextGaussian(), Vectors.dense(x)));
        }
        return spark.createDataFrame(rows, new StructType().add("label", DataTypes.DoubleType)
                .add("features", new VectorUDT()));
    }

    private static CrossValidatorModel crossValidate(Evaluator e, Dataset<Row> data, Object estimator, ParamMap[] grid) {
        return new CrossValidator().setEstimator((org.apache.spark.ml.Estimator<?>) estimator).setEstimatorParamMaps(grid)
                .setNumFolds(3).setSeed(11).setEvaluator(e).fit(data);
    }

    private static int argBest(double[] m, boolean larger) {
        int best = 0;
        for (int i = 1; i < m.length; i++) {
            if (larger ? m[i] > m[best] : m[i] < m[best]) {
                best = i;
            }
        }
        return best;
    }

    private static void assertSameMetrics(double[] ours, double[] theirs, double rel) {
        assertThat(ours).hasSameSizeAs(theirs);
        double worst = 0;
        for (int i = 0; i < ours.length; i++) {
            worst = Math.max(worst, Math.abs(ours[i] - theirs[i]) / Math.abs(theirs[i]));
            assertThat(ours[i]).as("metric %d", i).isCloseTo(theirs[i],
                    org.assertj.core.data.Offset.offset(rel * Math.abs(theirs[i])));
        }
        System.out.printf("fold-mean metrics %s: max relative difference %.3g%n", java.util.Arrays.toString(theirs), worst);
    }

    @Test
    void crossValidationPicksTheModelRegressionEvaluatorRmsePicks() {
        Dataset<Row> data = regression(90, 30, 1).cache();
        LinearRegression lr = new LinearRegression();
        ParamMap[] grid = new ParamGridBuilder().addGrid(lr.regParam(), new double[] {0.0, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0})
                .build();
        CrossValidatorModel spark = crossValidate(new RegressionEvaluator().setMetricName("rmse"), data, lr, grid);
        CrossValidatorModel rmse = crossValidate(new LossEvaluator().setLoss("rmse"), data, lr, grid);
        CrossValidatorModel mse = crossValidate(new LossEvaluator().setLoss("mse"), data, lr, grid);

        assertSameMetrics(rmse.avgMetrics(), spark.avgMetrics(), 1e-12);
        int chosen = argBest(spark.avgMetrics(), false);
        // the choice is not at the edge of the grid: regularisation matters for 30 features and 60 training rows
        assertThat(chosen).isBetween(1, grid.length - 2);
        Object regParam = grid[chosen].apply(lr.regParam());
        double reg = ((Number) regParam).doubleValue();
        assertThat(((org.apache.spark.ml.regression.LinearRegressionModel) rmse.bestModel()).getRegParam()).isEqualTo(reg);
        assertThat(((org.apache.spark.ml.regression.LinearRegressionModel) mse.bestModel()).getRegParam()).isEqualTo(reg);
        assertThat(((org.apache.spark.ml.regression.LinearRegressionModel) spark.bestModel()).getRegParam()).isEqualTo(reg);
    }

    @Test
    void trainValidationSplitByALoss() {
        Dataset<Row> data = regression(90, 30, 2).cache();
        LinearRegression lr = new LinearRegression();
        ParamMap[] grid = new ParamGridBuilder().addGrid(lr.regParam(), new double[] {0.0, 0.1, 1.0, 10.0}).build();
        TrainValidationSplit tvs = new TrainValidationSplit().setEstimator(lr).setEstimatorParamMaps(grid)
                .setTrainRatio(0.7).setSeed(5);
        double[] theirs = tvs.setEvaluator(new RegressionEvaluator().setMetricName("mae")).fit(data).validationMetrics();
        double[] ours = tvs.setEvaluator(new LossEvaluator().setLoss("mae")).fit(data).validationMetrics();
        assertSameMetrics(ours, theirs, 1e-12);
    }

    @Test
    void crossEntropyOnRawPredictionIsSparksLogLoss() {
        Random r = new Random(4);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            int c = i % 3;
            double[] x = new double[8];
            for (int j = 0; j < x.length; j++) {
                x[j] = r.nextGaussian() + (j == c ? 1.0 : 0.0);
            }
            rows.add(RowFactory.create((double) c, Vectors.dense(x)));
        }
        Dataset<Row> data = spark.createDataFrame(rows, new StructType().add("label", DataTypes.DoubleType)
                .add("features", new VectorUDT())).cache();
        LogisticRegression lr = new LogisticRegression().setFamily("multinomial").setMaxIter(50);
        ParamMap[] grid = new ParamGridBuilder().addGrid(lr.regParam(), new double[] {0.0, 0.01, 0.1, 1.0}).build();
        CrossValidatorModel theirs = crossValidate(new MulticlassClassificationEvaluator().setMetricName("logLoss"), data,
                lr, grid);
        // multinomial logistic regression: rawPrediction holds the logits whose softmax is the probability column
        CrossValidatorModel ours = crossValidate(new LossEvaluator().setLoss("cross_entropy"), data, lr, grid);
        assertSameMetrics(ours.avgMetrics(), theirs.avgMetrics(), 1e-9);
        assertThat(argBest(ours.avgMetrics(), false)).isEqualTo(argBest(theirs.avgMetrics(), false));
    }

    @Test
    void weightsOptionsCopyAndRefusals() {
        Dataset<Row> rows = spark.createDataFrame(List.of(RowFactory.create(1.0, 0.0, 2.0), RowFactory.create(0.0, 0.0, 1.0),
                RowFactory.create(3.0, 1.0, 1.0)), new StructType().add("prediction", DataTypes.DoubleType)
                .add("label", DataTypes.DoubleType).add("w", DataTypes.DoubleType));
        // residuals 1, 0, 2: Huber(δ=1) terms ½, 0, 1.5
        LossEvaluator huber = new LossEvaluator().setLoss("huber").setOptions(java.util.Map.of("delta", 1.0));
        assertThat(huber.evaluate(rows)).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-15));
        // weights multiply the terms; mean still divides by the row count
        assertThat(huber.copy(ParamMap.empty()).setWeightCol("w").evaluate(rows))
                .isCloseTo((2 * 0.5 + 1.5) / 3, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(new LossEvaluator().setLoss("mae").setOptions("reduction=sum").evaluate(rows)).isEqualTo(3.0);
        assertThat(huber.isLargerBetter()).isFalse();
        LossEvaluator copy = huber.copy(ParamMap.empty());
        assertThat(copy.uid()).isEqualTo(huber.uid());
        assertThat(copy.getOrDefault(copy.loss())).isEqualTo("huber");
        assertThat(copy.explainParams()).contains("loss", "options", "weightCol");
        assertThatThrownBy(() -> new LossEvaluator().setLoss("no_such_loss")).isInstanceOf(LossException.class);
        assertThatThrownBy(() -> new LossEvaluator().setLoss("dice")).isInstanceOf(LossException.class);
        assertThatThrownBy(() -> new LossEvaluator().setLoss("mse").setOptions("reduction=none"))
                .isInstanceOf(LossException.class);
    }

    @Test
    void savesAndLoadsAloneAndInsideACrossValidatorModel(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        Dataset<Row> data = regression(60, 5, 3).cache();
        LossEvaluator e = new LossEvaluator().setLoss("huber").setOptions("delta=0.5");
        e.write().overwrite().save(dir.resolve("evaluator").toString());
        LossEvaluator back = LossEvaluator.load(dir.resolve("evaluator").toString());
        assertThat(back.uid()).isEqualTo(e.uid());
        assertThat(back.getOrDefault(back.options())).isEqualTo("delta=0.5");
        LinearRegression lr = new LinearRegression();
        ParamMap[] grid = new ParamGridBuilder().addGrid(lr.regParam(), new double[] {0.0, 1.0}).build();
        CrossValidatorModel cv = new CrossValidator().setEstimator(lr).setEstimatorParamMaps(grid).setNumFolds(2)
                .setSeed(1).setEvaluator(e).fit(data);
        cv.write().overwrite().save(dir.resolve("cv").toString());
        CrossValidatorModel loaded = CrossValidatorModel.load(dir.resolve("cv").toString());
        assertThat(loaded.getEvaluator()).isInstanceOf(LossEvaluator.class);
        assertThat(loaded.avgMetrics()).containsExactly(cv.avgMetrics());
        Dataset<Row> predicted = cv.transform(data);
        assertThat(loaded.getEvaluator().evaluate(predicted)).isEqualTo(e.evaluate(predicted));
    }

    @Test
    void exampleChoosesARegularisation() {
        double[] r = ModelSelectionExample.run(spark);
        assertThat(r[0]).isIn(0.0, 0.1, 0.3, 1.0, 3.0);
        assertThat(r[1]).isPositive().isFinite();
    }
}
