package org.losses4j.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.losses4j.Inputs;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/**
 * Every aggregate over a 1,000,000-row dataset generated in Spark equals the core library's
 * single-machine value on the same numbers (collected to the driver) within 1e-9 relative,
 * for several partitionings (one partition, 7, and a hash shuffle of 2 partitions into 5).
 */
class SparkAggregatorsTest {
    private static final int N = 1_000_000;
    /** Region layout: SAMPLES × CLASSES × PIXELS = N rows, row id = flat index of [n, c, s]. */
    private static final int CLASSES = 4;
    private static final int PIXELS = 1000;
    private static final int SAMPLES = N / (CLASSES * PIXELS);
    private static final double[] CLASS_WEIGHTS = {1.0, 2.0, 0.5, 1.5, 1.0};

    private static SparkSession spark;
    /** The generated columns, indexed by row id, as collected from Spark. */
    private static Map<String, double[]> cols;
    private static double[] scores;
    private static double[] logProbs;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("losses4j-spark-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        LossFunctions.register(spark);
        collect();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    /**
     * The dataset, a pure function of the row id (xxhash64 of the id), so that every
     * partitioning holds the same rows.
     */
    static Dataset<Row> data(int partitions) {
        return spark.range(0, N, 1, partitions).selectExpr(
                "id",
                "pmod(xxhash64(id, 1), 2000000) / 250000D - 4 AS a",            // [-4, 4); D: double, not decimal
                "pmod(xxhash64(id, 2), 2000000) / 250000D - 4 AS b",
                "pmod(xxhash64(id, 3), 1000001) / 1000000D AS u",                // [0, 1]
                "CAST(pmod(xxhash64(id, 4), 10) < 2 AS DOUBLE) AS bit",         // 20% ones
                "0.5D + pmod(xxhash64(id, 5), 1000) / 1000D AS w",
                "pmod(xxhash64(id, 6), 5) AS cls",
                "CAST(pmod(xxhash64(id, 7), 6) AS DOUBLE) AS cnt",
                "CASE WHEN pmod(xxhash64(id, 8), 10) = 0 THEN -100 ELSE pmod(xxhash64(id, 6), 5) END AS lbl",
                "CAST(pmod(xxhash64(id, 9), 3) = 0 AS DOUBLE) AS mask",
                "CAST(pmod(DIV(id, " + PIXELS + "), " + CLASSES + ") AS INT) AS rc")
                .withColumn("p", expr("1D / (1D + exp(-a))"))
                .withColumn("pm1", expr("2D * bit - 1D"))
                .withColumn("scores", expr("array(a, b, (a + b) / 2D, a * b / 4D, -a)"))
                .withColumn("lp", expr("array(-abs(a), -abs(b), -abs(a - b) / 2D, -abs(a * b) / 4D, -u)"));
    }

    private static void collect() {
        String[] names = {"a", "b", "u", "bit", "w", "cls", "cnt", "lbl", "mask", "rc", "p", "pm1"};
        cols = new LinkedHashMap<>();
        for (String n : names) {
            cols.put(n, new double[N]);
        }
        scores = new double[N * 5];
        logProbs = new double[N * 5];
        List<String> sel = new ArrayList<>(List.of("id"));
        sel.addAll(List.of(names));
        Dataset<Row> d = data(4);
        for (String n : List.of("a", "u", "w", "p")) {
            // double columns (a decimal literal would make Spark compute in slow decimals)
            assertThat(d.schema().apply(n).dataType()).isEqualTo(org.apache.spark.sql.types.DataTypes.DoubleType);
        }
        List<Row> rows = d.selectExpr(sel.toArray(new String[0])).collectAsList();
        assertThat(rows).hasSize(N);
        for (Row r : rows) {
            int id = (int) r.getLong(0);
            for (int j = 0; j < names.length; j++) {
                cols.get(names[j])[id] = ((Number) r.get(j + 1)).doubleValue();
            }
        }
        // the array columns, rebuilt from the collected a, b, u with the same IEEE double operations
        // as their SQL expressions (collecting 1M arrays doubles the setup time); the aggregates read
        // Spark's own arrays, so any difference would fail the comparisons, not hide in them
        for (int i = 0; i < N; i++) {
            double a = c("a")[i];
            double b = c("b")[i];
            double[] s = {a, b, (a + b) / 2, a * b / 4, -a};
            double[] l = {-Math.abs(a), -Math.abs(b), -Math.abs(a - b) / 2, -Math.abs(a * b) / 4, -c("u")[i]};
            System.arraycopy(s, 0, scores, i * 5, 5);
            System.arraycopy(l, 0, logProbs, i * 5, 5);
        }
    }

    private static double[] c(String name) {
        return cols.get(name);
    }

    /** The core's value of an elementwise loss on the collected columns (weights as the loss's input, or multiplied in). */
    private static double core(String loss, Map<String, ?> opts, double[] x, double[] y) {
        return Losses.create(loss, opts).value(Inputs.of(Tensor.vector(x), Tensor.vector(y))).value();
    }

    private static double coreWeighted(String loss, Map<String, ?> opts, double[] x, double[] y, double[] w) {
        return Losses.create(loss, opts)
                .value(Inputs.of(Tensor.vector(x), Tensor.vector(y)).with("weight", Tensor.vector(w))).value();
    }

    private static long[] labels(double[] v) {
        long[] l = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            l[i] = (long) v[i];
        }
        return l;
    }

    private static void assertRelative(String what, double actual, double expected) {
        assertThat(Double.isFinite(expected)).as(what + " expected finite: " + expected).isTrue();
        assertThat(Math.abs(actual - expected)).as(what + ": spark " + actual + " vs core " + expected)
                .isLessThanOrEqualTo(1e-9 * Math.abs(expected));
    }

    /** (column expression, core value) pairs, evaluated in one aggregation per partitioning. */
    private static void checkAll(Map<String, Column> aggs, Map<String, Double> expected) {
        List<Dataset<Row>> layouts = List.of(data(1), data(7), data(2).repartition(5, col("id")));
        Column[] cs = aggs.values().toArray(new Column[0]);
        List<String> keys = new ArrayList<>(aggs.keySet());
        for (int l = 0; l < layouts.size(); l++) {
            Dataset<Row> d = layouts.get(l);
            Row r = d.agg(cs[0], java.util.Arrays.copyOfRange(cs, 1, cs.length)).first();
            for (int k = 0; k < keys.size(); k++) {
                assertRelative(keys.get(k) + " [layout " + l + ", " + d.rdd().getNumPartitions() + " partitions]",
                        r.getDouble(k), expected.get(keys.get(k)));
            }
        }
    }

    @Test
    void elementwiseAggregatesEqualTheCoreForAnyPartitioning() {
        Map<String, Column> aggs = new LinkedHashMap<>();
        Map<String, Double> exp = new LinkedHashMap<>();
        aggs.put("huber", LossFunctions.loss("huber", Map.of()).apply(col("a"), col("b")));
        exp.put("huber", core("huber", Map.of(), c("a"), c("b")));
        aggs.put("huber delta=0.5 sum", LossFunctions.loss("huber", Map.of("delta", 0.5, "reduction", "sum"))
                .apply(col("a"), col("b")));
        exp.put("huber delta=0.5 sum", core("huber", Map.of("delta", 0.5, "reduction", "sum"), c("a"), c("b")));
        aggs.put("mse", LossFunctions.loss("mse", Map.of()).apply(col("a"), col("b")));
        exp.put("mse", core("mse", Map.of(), c("a"), c("b")));
        aggs.put("rmse", LossFunctions.loss("rmse", Map.of()).apply(col("a"), col("b")));
        exp.put("rmse", core("rmse", Map.of(), c("a"), c("b")));
        aggs.put("log_cosh", LossFunctions.loss("log_cosh", Map.of()).apply(col("a"), col("b")));
        exp.put("log_cosh", core("log_cosh", Map.of(), c("a"), c("b")));
        aggs.put("quantile", LossFunctions.loss("quantile", Map.of("tau", 0.9)).apply(col("a"), col("b")));
        exp.put("quantile", core("quantile", Map.of("tau", 0.9), c("a"), c("b")));
        aggs.put("bce weighted", LossFunctions.weightedLoss("bce", Map.of()).apply(col("p"), col("u"), col("w")));
        exp.put("bce weighted", coreWeighted("bce", Map.of(), c("p"), c("u"), c("w")));
        aggs.put("bce_with_logits weighted", LossFunctions.weightedLoss("bce_with_logits", Map.of())
                .apply(col("a"), col("bit"), col("w")));
        exp.put("bce_with_logits weighted", coreWeighted("bce_with_logits", Map.of(), c("a"), c("bit"), c("w")));
        aggs.put("focal", LossFunctions.loss("focal", Map.of("gamma", 2.0, "alpha", 0.25)).apply(col("a"), col("bit")));
        exp.put("focal", core("focal", Map.of("gamma", 2.0, "alpha", 0.25), c("a"), c("bit")));
        aggs.put("hinge", LossFunctions.loss("hinge", Map.of()).apply(col("a"), col("pm1")));
        exp.put("hinge", core("hinge", Map.of(), c("a"), c("pm1")));
        aggs.put("poisson_nll", LossFunctions.loss("poisson_nll", Map.of()).apply(col("a"), col("cnt")));
        exp.put("poisson_nll", core("poisson_nll", Map.of(), c("a"), c("cnt")));
        checkAll(aggs, exp);
    }

    @Test
    void theNewerElementwiseLossesAggregateLikeTheCoreAndCoxIsRefused() {
        // issue 17's elementwise losses: mergeable (sums of per-element terms), so every partitioning agrees
        Map<String, Column> aggs = new LinkedHashMap<>();
        Map<String, Double> exp = new LinkedHashMap<>();
        record Case(String loss, Map<String, ?> opts, String x, String y) {
        }
        List<Case> cases = List.of(
                new Case("pseudo_huber", Map.of("delta", 0.7), "a", "b"),
                new Case("expectile", Map.of("tau", 0.8), "a", "b"),
                new Case("fair", Map.of("c", 0.5), "a", "b"),
                new Case("robust", Map.of("alpha", 0.0, "c", 0.5), "a", "b"),
                new Case("robust", Map.of("alpha", Double.NEGATIVE_INFINITY), "a", "b"),
                new Case("mape", Map.of(), "a", "w"),
                new Case("tweedie", Map.of("variance_power", 1.3), "a", "cnt"),
                new Case("gamma", Map.of(), "a", "w"),
                new Case("perceptron", Map.of(), "a", "pm1"));
        for (Case k : cases) {
            String key = k.loss() + " " + k.opts();
            aggs.put(key, LossFunctions.loss(k.loss(), k.opts()).apply(col(k.x()), col(k.y())));
            exp.put(key, core(k.loss(), k.opts(), c(k.x()), c(k.y())));
        }
        aggs.put("tweedie weighted sum", LossFunctions.weightedLoss("tweedie", Map.of("reduction", "sum"))
                .apply(col("a"), col("cnt"), col("w")));
        exp.put("tweedie weighted sum", coreWeighted("tweedie", Map.of("reduction", "sum"), c("a"), c("cnt"), c("w")));
        checkAll(aggs, exp);
        // cox couples every sample through its risk sets: its terms do not merge across partitions
        assertThatThrownBy(() -> LossFunctions.loss("cox", Map.of())).hasMessageContaining("not elementwise");
    }

    @Test
    void classAggregatesEqualTheCoreWithWeightsAndIgnoreIndex() {
        Tensor logits = Tensor.of(scores, N, 5);
        Tensor lp = Tensor.of(logProbs, N, 5);
        Tensor cls = Tensor.labels(labels(c("cls")));
        Tensor lbl = Tensor.labels(labels(c("lbl")));
        Tensor cw = Tensor.vector(CLASS_WEIGHTS);
        List<Double> cwList = new ArrayList<>();
        for (double v : CLASS_WEIGHTS) {
            cwList.add(v);
        }
        Map<String, Column> aggs = new LinkedHashMap<>();
        Map<String, Double> exp = new LinkedHashMap<>();
        aggs.put("cross_entropy", LossFunctions.classLoss("cross_entropy", Map.of()).apply(col("scores"), col("cls")));
        exp.put("cross_entropy", Losses.create("cross_entropy").value(Inputs.of(logits, cls)).value());
        Map<String, Object> ceOpts = Map.of("weight", cwList, "label_smoothing", 0.1);
        aggs.put("cross_entropy weighted, smoothed, ignore_index",
                LossFunctions.classLoss("cross_entropy", ceOpts).apply(col("scores"), col("lbl")));
        exp.put("cross_entropy weighted, smoothed, ignore_index", Losses.create("cross_entropy", Map.of("label_smoothing", 0.1))
                .value(Inputs.of(logits, lbl).with("weight", cw)).value());
        aggs.put("nll weighted", LossFunctions.classLoss("nll", Map.of("weight", cwList)).apply(col("lp"), col("lbl")));
        exp.put("nll weighted", Losses.create("nll").value(Inputs.of(lp, lbl).with("weight", cw)).value());
        aggs.put("perplexity", LossFunctions.classLoss("perplexity", Map.of()).apply(col("lp"), col("lbl")));
        exp.put("perplexity", Losses.create("perplexity").value(Inputs.of(lp, lbl)).value());
        aggs.put("softmax_focal alpha", LossFunctions.classLoss("softmax_focal", Map.of("alpha", cwList))
                .apply(col("scores"), col("cls")));
        exp.put("softmax_focal alpha", Losses.create("softmax_focal").value(Inputs.of(logits, cls).with("alpha", cw)).value());
        aggs.put("multi_margin sum", LossFunctions.classLoss("multi_margin", Map.of("reduction", "sum"))
                .apply(col("scores"), col("cls")));
        exp.put("multi_margin sum", Losses.create("multi_margin", Map.of("reduction", "sum")).value(Inputs.of(logits, cls)).value());
        checkAll(aggs, exp);
    }

    @Test
    void regionAggregatesEqualTheCore() {
        Tensor p = Tensor.of(c("u"), SAMPLES, CLASSES, PIXELS);
        Tensor g = Tensor.of(c("mask"), SAMPLES, CLASSES, PIXELS);
        Map<String, Column> aggs = new LinkedHashMap<>();
        Map<String, Double> exp = new LinkedHashMap<>();
        List<Map<String, Object>> cases = List.of(
                Map.of("loss", "dice"),
                Map.of("loss", "dice", "average", "class", "smooth", 0.0),
                Map.of("loss", "dice", "squared", true, "average", "class"),
                Map.of("loss", "dice", "log", true, "average", "class"),
                Map.of("loss", "jaccard", "average", "class"),
                Map.of("loss", "tversky", "alpha", 0.3, "beta", 0.7, "gamma", 1.5),
                Map.of("loss", "tversky", "average", "class", "alpha", 0.7, "beta", 0.3));
        for (Map<String, Object> cs : cases) {
            Map<String, Object> o = new LinkedHashMap<>(cs);
            String loss = (String) o.remove("loss");
            String key = loss + " " + o;
            aggs.put(key, LossFunctions.regionLoss(loss, o).apply(col("rc"), col("u"), col("mask")));
            exp.put(key, Losses.create(loss, o).value(Inputs.of(p, g)).value());
        }
        checkAll(aggs, exp);
    }

    @Test
    void sqlFunctionsEqualTheCore() {
        data(3).createOrReplaceTempView("predictions");
        Row r = spark.sql("SELECT losses4j_loss('huber', a, b),"
                + " losses4j_loss_with('focal', 'gamma=2, alpha=0.25', a, bit, w),"
                + " losses4j_class_loss('cross_entropy', 'weight=[1, 2, 0.5, 1.5, 1]', scores, lbl),"
                + " losses4j_region_loss('dice', 'average=class', rc, u, mask)"
                + " FROM predictions").first();
        assertRelative("SQL huber", r.getDouble(0), core("huber", Map.of(), c("a"), c("b")));
        // focal has no weight input: the weight multiplies each term, the mean divides by N
        double[] t = Losses.create("focal", Map.of("gamma", 2.0, "alpha", 0.25, "reduction", "none"))
                .value(Inputs.of(Tensor.vector(c("a")), Tensor.vector(c("bit")))).terms().f64();
        double s = 0;
        for (int i = 0; i < N; i++) {
            s += c("w")[i] * t[i];
        }
        assertRelative("SQL weighted focal", r.getDouble(1), s / N);
        assertRelative("SQL cross_entropy", r.getDouble(2), Losses.create("cross_entropy")
                .value(Inputs.of(Tensor.of(scores, N, 5), Tensor.labels(labels(c("lbl"))))
                        .with("weight", Tensor.vector(CLASS_WEIGHTS))).value());
        assertRelative("SQL dice", r.getDouble(3), Losses.create("dice", Map.of("average", "class"))
                .value(Inputs.of(Tensor.of(c("u"), SAMPLES, CLASSES, PIXELS), Tensor.of(c("mask"), SAMPLES, CLASSES, PIXELS)))
                .value());
    }

    @Test
    void groupByGivesOneValuePerGroupAndNullsAreSkipped() {
        Dataset<Row> small = spark.sql("SELECT * FROM VALUES ('m1', 1.0, 0.0), ('m1', 3.0, 0.0), ('m2', 0.5, 0.0),"
                + " ('m2', NULL, 0.0), ('m2', 2.0, 1.0) AS t(model, pred, label)");
        small.createOrReplaceTempView("small");
        List<Row> rows = spark.sql("SELECT model, losses4j_loss('mse', pred, label) AS v FROM small GROUP BY model ORDER BY model")
                .collectAsList();
        assertThat(rows.get(0).getDouble(1)).isEqualTo((1.0 + 9.0) / 2);
        assertThat(rows.get(1).getDouble(1)).isEqualTo((0.25 + 1.0) / 2);
        Row empty = spark.sql("SELECT losses4j_loss('mse', pred, label) FROM small WHERE model = 'none'").first();
        assertThat(empty.isNullAt(0)).isTrue();
    }

    @Test
    void readmeExampleRuns() {
        Row overall = SparkExample.run(spark);
        // half the rows off by 0.1·cos, half by 0.3·cos: huber (δ = 1) is ½ d², mean ½(0.01 + 0.09)/2 · E[cos²] ≈ 0.0125
        assertThat(overall.getDouble(0)).isBetween(0.011, 0.014);
    }

    @Test
    void refusals() {
        data(1).limit(10).createOrReplaceTempView("tiny");
        assertThatThrownBy(() -> spark.sql("SELECT losses4j_loss('cross_entropy', a, b) FROM tiny").first())
                .hasStackTraceContaining("not elementwise");
        assertThatThrownBy(() -> spark.sql("SELECT losses4j_loss(IF(id = 3, 'mae', 'mse'), a, b) FROM tiny").first())
                .hasStackTraceContaining("names two losses");
        assertThatThrownBy(() -> spark.sql("SELECT losses4j_loss('hubr', a, b) FROM tiny").first())
                .hasStackTraceContaining("did you mean 'huber'");
        assertThatThrownBy(() -> spark.sql("SELECT losses4j_loss_with('huber', 'delta=-1', a, b, w) FROM tiny").first())
                .hasStackTraceContaining("delta");
        assertThatThrownBy(() -> LossFunctions.loss("huber", Map.of("reduction", "none")))
                .hasMessageContaining("not none");
        assertThatThrownBy(() -> LossFunctions.regionLoss("dice", Map.of("average", "sample_class")))
                .hasMessageContaining("sample index");
        assertThatThrownBy(() -> spark.sql("SELECT losses4j_region_loss('dice', '', rc, a, mask) FROM tiny").first())
                .hasStackTraceContaining("outside [0, 1]");
    }
}
