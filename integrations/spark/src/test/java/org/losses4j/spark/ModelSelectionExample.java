package org.losses4j.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The README example: CrossValidator picks a linear regression's regularisation by a losses4j loss. */
public final class ModelSelectionExample {
    private ModelSelectionExample() {
    }

    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder().master("local[2]").appName("losses4j model selection")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            run(spark);
        } finally {
            spark.stop();
        }
    }

    /** 120 rows, 12 features, labels with 5% gross outliers: {chosen regParam, its mean Huber loss over the folds}. */
    public static double[] run(SparkSession spark) {
        Random r = new Random(3);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            double[] x = new double[12];
            double y = 0;
            for (int j = 0; j < x.length; j++) {
                x[j] = r.nextGaussian();
                y += (j < 3 ? 1.0 : 0.0) * x[j];
            }
            y += 0.5 * r.nextGaussian() + (r.nextDouble() < 0.05 ? 20 : 0);
            rows.add(RowFactory.create(y, Vectors.dense(x)));
        }
        StructType schema = new StructType().add("label", DataTypes.DoubleType).add("features", new VectorUDT());
        Dataset<Row> data = spark.createDataFrame(rows, schema);

        LinearRegression lr = new LinearRegression();
        ParamMap[] grid = new ParamGridBuilder().addGrid(lr.regParam(), new double[] {0.0, 0.1, 0.3, 1.0, 3.0}).build();
        CrossValidator cv = new CrossValidator().setEstimator(lr).setEstimatorParamMaps(grid).setNumFolds(3).setSeed(7)
                .setEvaluator(new LossEvaluator().setLoss("huber").setOptions("delta=1.0"));   // smaller is better
        CrossValidatorModel model = cv.fit(data);
        double chosen = ((LinearRegressionModel) model.bestModel()).getRegParam();
        double best = java.util.Arrays.stream(model.avgMetrics()).min().getAsDouble();
        System.out.printf("regParam %.1f chosen by mean Huber loss %.4f over 3 folds%n", chosen, best);
        return new double[] {chosen, best};
    }
}
