package org.losses4j.spark;

import java.util.Map;

import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * losses4j losses as Spark SQL aggregate functions.
 *
 * <pre>{@code
 * LossFunctions.register(spark);
 * spark.sql("SELECT losses4j_loss('huber', pred, label) FROM predictions");
 * spark.sql("SELECT model, losses4j_loss_with('focal', 'gamma=2, alpha=0.25', logit, y, w) FROM p GROUP BY model");
 * spark.sql("SELECT losses4j_class_loss('cross_entropy', 'ignore_index=0', logits, label) FROM p");
 * spark.sql("SELECT losses4j_region_loss('dice', 'average=class', class, prob, mask) FROM pixels");
 *
 * // DataFrame API
 * df.agg(LossFunctions.loss("huber", Map.of("delta", 0.5)).apply(col("pred"), col("label")));
 * }</pre>
 *
 * <p>Each function is a typed {@link org.apache.spark.sql.expressions.Aggregator}
 * ({@link ElementwiseAggregator}, {@link ClassAggregator}, {@link RegionAggregator}) wrapped
 * with {@link functions#udaf}; arguments are cast to the types below.
 */
public final class LossFunctions {
    private LossFunctions() {
    }

    /** Registers the four SQL functions on {@code spark}. */
    public static void register(SparkSession spark) {
        spark.udf().register("losses4j_loss",
                functions.udaf(ElementwiseAggregator.sql(false, false),
                        rows("name", DataTypes.StringType, "pred", DataTypes.DoubleType, "label", DataTypes.DoubleType)));
        spark.udf().register("losses4j_loss_with",
                functions.udaf(ElementwiseAggregator.sql(true, true),
                        rows("name", DataTypes.StringType, "options", DataTypes.StringType, "pred", DataTypes.DoubleType,
                                "label", DataTypes.DoubleType, "weight", DataTypes.DoubleType)));
        spark.udf().register("losses4j_class_loss",
                functions.udaf(ClassAggregator.sql(),
                        rows("name", DataTypes.StringType, "options", DataTypes.StringType,
                                "scores", DataTypes.createArrayType(DataTypes.DoubleType), "label", DataTypes.LongType)));
        spark.udf().register("losses4j_region_loss",
                functions.udaf(RegionAggregator.sql(),
                        rows("name", DataTypes.StringType, "options", DataTypes.StringType, "class", DataTypes.LongType,
                                "prob", DataTypes.DoubleType, "target", DataTypes.DoubleType)));
    }

    /** An elementwise loss over {@code (prediction, target)} columns. */
    public static UserDefinedFunction loss(String name, Map<String, ?> options) {
        return functions.udaf(ElementwiseAggregator.of(LossSpec.of(name, options), false),
                rows("pred", DataTypes.DoubleType, "label", DataTypes.DoubleType));
    }

    /** An elementwise loss over {@code (prediction, target, weight)} columns. */
    public static UserDefinedFunction weightedLoss(String name, Map<String, ?> options) {
        return functions.udaf(ElementwiseAggregator.of(LossSpec.of(name, options), true),
                rows("pred", DataTypes.DoubleType, "label", DataTypes.DoubleType, "weight", DataTypes.DoubleType));
    }

    /** A per-row class loss over {@code (scores array, label)} columns. */
    public static UserDefinedFunction classLoss(String name, Map<String, ?> options) {
        return functions.udaf(ClassAggregator.of(LossSpec.of(name, options)),
                rows("scores", DataTypes.createArrayType(DataTypes.DoubleType), "label", DataTypes.LongType));
    }

    /** A region loss over {@code (class, probability, target)} columns. */
    public static UserDefinedFunction regionLoss(String name, Map<String, ?> options) {
        return functions.udaf(RegionAggregator.of(LossSpec.of(name, options)),
                rows("class", DataTypes.LongType, "prob", DataTypes.DoubleType, "target", DataTypes.DoubleType));
    }

    private static Encoder<Row> rows(Object... nameType) {
        StructField[] f = new StructField[nameType.length / 2];
        for (int i = 0; i < f.length; i++) {
            f[i] = DataTypes.createStructField((String) nameType[2 * i], (DataType) nameType[2 * i + 1], true);
        }
        return Encoders.row(new StructType(f));
    }
}
