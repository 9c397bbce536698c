package org.losses4j.spark;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.losses4j.ErrorKind;
import org.losses4j.LossException;

/**
 * A losses4j loss as a Spark ML {@link Evaluator}, so that {@code CrossValidator} and
 * {@code TrainValidationSplit} choose models by it. Smaller is better
 * ({@link #isLargerBetter()} is false).
 *
 * <pre>{@code
 * CrossValidator cv = new CrossValidator().setEstimator(new LinearRegression())
 *         .setEstimatorParamMaps(grid).setNumFolds(3)
 *         .setEvaluator(new LossEvaluator().setLoss("huber").setOptions(Map.of("delta", 0.5)));
 * }</pre>
 *
 * <ul>
 * <li>An elementwise loss (mse, huber, quantile, bce, poisson_nll, …; rmse and rmsle) compares
 * {@link #predictionCol()} with {@link #labelCol()}, each row weighted by {@link #weightCol()}
 * when it is set, as {@link ElementwiseAggregator} computes it.</li>
 * <li>A class loss (cross_entropy, nll, softmax_focal, multi_margin, … : {@link ClassAggregator#supported()})
 * compares the class scores in the vector column {@link #scoresCol()} (default
 * {@code rawPrediction}: a Spark classifier's logits, which cross_entropy takes) with the class
 * index in the label column. Per-class inputs (cross_entropy's {@code weight}) are options
 * holding a list.</li>
 * </ul>
 * The value is the loss under its reduction ({@code mean} by default, or {@code sum}). The
 * evaluator saves and loads with Spark ML's persistence ({@link #write()}, {@link #load(String)}),
 * so a CrossValidator or TrainValidationSplit (and its model) that uses it can be saved.
 */
public final class LossEvaluator extends Evaluator implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> loss;
    private final Param<String> options;
    private final Param<String> predictionCol;
    private final Param<String> labelCol;
    private final Param<String> weightCol;
    private final Param<String> scoresCol;

    public LossEvaluator() {
        this(Identifiable$.MODULE$.randomUID("losses4jEval"));
    }

    public LossEvaluator(String uid) {
        this.uid = uid;
        loss = new Param<>(this, "loss", "the catalog name of the loss");
        options = new Param<>(this, "options", "the loss's options as text, e.g. \"delta=0.5\" or \"weight=[1, 2]\"");
        predictionCol = new Param<>(this, "predictionCol", "prediction column (elementwise losses)");
        labelCol = new Param<>(this, "labelCol", "label column: the target, or the class index for class losses");
        weightCol = new Param<>(this, "weightCol", "optional per-row weight column (elementwise losses)");
        scoresCol = new Param<>(this, "scoresCol", "vector column of class scores (class losses)");
        setDefault(loss, "mse");
        setDefault(options, "");
        setDefault(predictionCol, "prediction");
        setDefault(labelCol, "label");
        setDefault(scoresCol, "rawPrediction");
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> loss() {
        return loss;
    }

    public Param<String> options() {
        return options;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public Param<String> labelCol() {
        return labelCol;
    }

    public Param<String> weightCol() {
        return weightCol;
    }

    public Param<String> scoresCol() {
        return scoresCol;
    }

    /** The catalog loss; unknown names and refused losses fail here. */
    public LossEvaluator setLoss(String name) {
        set(loss, name);
        udf();
        return this;
    }

    /** The loss's options as text ({@code "delta=0.5"}, {@code "ignore_index=0, weight=[1, 2.5, 1]"}). */
    public LossEvaluator setOptions(String text) {
        set(options, text == null ? "" : text);
        udf();
        return this;
    }

    /** The loss's options; a list value (a per-class input) is written as {@code [a, b, …]}. */
    public LossEvaluator setOptions(Map<String, ?> opts) {
        return setOptions(opts.entrySet().stream().map(e -> e.getKey() + "=" + text(e.getValue()))
                .collect(Collectors.joining(", ")));
    }

    private static String text(Object v) {
        if (v instanceof double[]) {
            return java.util.Arrays.toString((double[]) v);
        }
        if (v instanceof List) {
            return ((List<?>) v).stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
        }
        return String.valueOf(v);
    }

    public LossEvaluator setPredictionCol(String c) {
        set(predictionCol, c);
        return this;
    }

    public LossEvaluator setLabelCol(String c) {
        set(labelCol, c);
        return this;
    }

    public LossEvaluator setWeightCol(String c) {
        set(weightCol, c);
        return this;
    }

    public LossEvaluator setScoresCol(String c) {
        set(scoresCol, c);
        return this;
    }

    private LossSpec spec() {
        return LossSpec.parse($(loss), $(options));
    }

    private boolean classLoss() {
        return ClassAggregator.supported().contains($(loss));
    }

    /** The aggregate function, built (and so checked) from the current loss and options. */
    private UserDefinedFunction udf() {
        LossSpec s = spec();
        if (classLoss()) {
            return LossFunctions.classLoss(s.name(), s.options());
        }
        return isDefined(weightCol) ? LossFunctions.weightedLoss(s.name(), s.options())
                : LossFunctions.loss(s.name(), s.options());
    }

    @Override
    public double evaluate(Dataset<?> dataset) {
        UserDefinedFunction f = udf();
        Column label = functions.col($(labelCol));
        Column call;
        if (classLoss()) {
            if (isDefined(weightCol)) {
                throw new LossException(ErrorKind.INVALID_OPTION, "class losses take no weight column;"
                        + " use the loss's per-class weight option");
            }
            call = f.apply(org.apache.spark.ml.functions.vector_to_array(functions.col($(scoresCol)), "float64"),
                    label.cast("long"));
        } else if (isDefined(weightCol)) {
            call = f.apply(functions.col($(predictionCol)).cast("double"), label.cast("double"),
                    functions.col($(weightCol)).cast("double"));
        } else {
            call = f.apply(functions.col($(predictionCol)).cast("double"), label.cast("double"));
        }
        Row r = dataset.select(call).head();
        return r.isNullAt(0) ? Double.NaN : r.getDouble(0);
    }

    /** Spark ML's reader of a saved evaluator (found by reflection when a saved CrossValidator is loaded). */
    public static MLReader<LossEvaluator> read() {
        return new DefaultParamsReader<>();
    }

    /** Loads an evaluator saved with {@code write().save(path)}. */
    public static LossEvaluator load(String path) {
        return read().load(path);
    }

    @Override
    public boolean isLargerBetter() {
        return false;
    }

    @Override
    public LossEvaluator copy(ParamMap extra) {
        return (LossEvaluator) defaultCopy(extra);
    }

    @Override
    public String toString() {
        return "LossEvaluator(" + uid + ", " + $(loss) + ($(options).isEmpty() ? "" : ", " + $(options)) + ")";
    }
}
