package org.losses4j.spark;

import static org.apache.spark.sql.functions.col;

import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The README example: losses4j aggregates in Spark SQL and in the DataFrame API. */
public final class SparkExample {
    private SparkExample() {
    }

    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder().master("local[2]").appName("losses4j example")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            run(spark);
        } finally {
            spark.stop();
        }
    }

    /** Prints the Huber loss of a generated prediction table, per model and overall. */
    public static Row run(SparkSession spark) {
        LossFunctions.register(spark);
        spark.range(0, 100_000)
                .selectExpr("IF(id % 2 = 0, 'a', 'b') AS model",
                        "sin(id * 0.001) AS label",
                        "sin(id * 0.001) + IF(id % 2 = 0, 0.1, 0.3) * cos(id * 0.37) AS pred")
                .createOrReplaceTempView("predictions");

        // SQL: one value per model
        spark.sql("SELECT model, losses4j_loss('huber', pred, label) AS huber,"
                + " losses4j_loss_with('huber', 'delta=0.05', pred, label, 1.0) AS huber_05"
                + " FROM predictions GROUP BY model ORDER BY model").show();

        // DataFrame API: the same aggregate as a column
        Dataset<Row> df = spark.table("predictions");
        Row overall = df.agg(LossFunctions.loss("huber", Map.of("delta", 1.0)).apply(col("pred"), col("label")).as("huber"))
                .first();
        System.out.println("overall huber = " + overall.getDouble(0));
        return overall;
    }
}
