package org.losses4j.djl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;

import org.losses4j.ErrorKind;
import org.losses4j.Inputs;
import org.losses4j.LossException;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * A losses4j catalog loss as a Deep Java Library training {@link Loss}, for
 * {@code DefaultTrainingConfig}, {@code Trainer} and {@code EasyTrain.fit}.
 *
 * <pre>{@code
 * TrainingConfig config = new DefaultTrainingConfig(
 *         Losses4jLoss.of("focal", Map.of("gamma", 2.0, "alpha", 0.75)));   // logits in, as DJL's own losses
 * }</pre>
 *
 * <h2>Inputs</h2>
 * The {@code predictions} list holds the loss's differentiable inputs in catalog order
 * ({@code input} for most losses; {@code anchor, positive, negative} for triplet) and the
 * {@code labels} list its other inputs in catalog order ({@code target}, then optional ones
 * such as {@code weight}, which may be left off at the end). An int64 input (class labels,
 * lengths) may come as any DJL number type: its values are taken as integers. A class-index
 * target of cross_entropy may be given as [N] or [N, 1] numbers, as DJL's
 * {@code SoftmaxCrossEntropyLoss} takes it. Float32 arrays are computed in float32, float64
 * ones in float64 (other float types in float32).
 *
 * <h2>Value and gradient</h2>
 * DJL has no custom-autograd API, so the loss is computed by the core, which gives its value
 * {@code L} and its gradient {@code G} with respect to each prediction {@code x}, and
 * {@link #evaluate} returns the scalar
 * <pre>  L + (s − stopGradient(s)),   s = Σ x · stopGradient(G)  (summed over every prediction)</pre>
 * Its value is {@code L} exactly ({@code s − s} is zero) and its gradient with respect to
 * {@code x} is {@code G} exactly, whatever the engine. The result of the last call is kept:
 * DJL evaluates the loss again on the same batch for its training metrics, and that call
 * returns the same array without computing the loss a second time.
 *
 * <p>The result is one number, so a loss with a reduction must use {@code mean} or
 * {@code sum} (its default is used unless given); {@code none} is refused, as is a loss with no
 * gradient. {@link #supported()} lists the catalog losses this takes.
 */
public final class Losses4jLoss extends Loss {
    private final String loss;
    private final Map<String, Object> options;
    private final org.losses4j.Loss core;
    private final LossInfo info;
    /** The catalog inputs that come from the predictions (the differentiable ones) and from the labels. */
    private final List<LossInfo.InputSpec> fromPredictions = new ArrayList<>();
    private final List<LossInfo.InputSpec> fromLabels = new ArrayList<>();

    private NDList lastLabels;
    private NDList lastPredictions;
    private NDArray[] lastArrays;
    private NDArray lastResult;

    private Losses4jLoss(String loss, Map<String, ?> options) {
        super("losses4j:" + Objects.requireNonNull(loss, "loss"));
        this.loss = loss;
        this.options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
        this.info = Losses.info(loss);
        if (!info.differentiable()) {
            throw new LossException(ErrorKind.INVALID_OPTION, "loss " + loss + " has no gradient to train with");
        }
        this.core = Losses.create(loss, this.options);
        if (core.options().reduction() == Reduction.NONE) {
            throw new LossException(ErrorKind.INVALID_OPTION, "reduction none: DJL trains on one number;"
                    + " use mean or sum");
        }
        for (LossInfo.InputSpec s : info.inputs()) {
            (s.differentiable() ? fromPredictions : fromLabels).add(s);
        }
    }

    /** The named catalog loss with default options. */
    public static Losses4jLoss of(String loss) {
        return new Losses4jLoss(loss, Map.of());
    }

    /** The named catalog loss with options (as {@link Losses#create(String, Map)}). */
    public static Losses4jLoss of(String loss, Map<String, ?> options) {
        return new Losses4jLoss(loss, options);
    }

    /** The catalog losses this adapter takes (those with a gradient), in catalog order. */
    public static List<String> supported() {
        List<String> out = new ArrayList<>();
        for (LossInfo i : Losses.catalog()) {
            if (i.differentiable()) {
                out.add(i.name());
            }
        }
        return out;
    }

    /** The catalog name of the loss. */
    public String loss() {
        return loss;
    }

    /** The options it was made with. */
    public Map<String, Object> options() {
        return options;
    }

    /** The names of the inputs the predictions list supplies, in order. */
    public List<String> predictionInputs() {
        return fromPredictions.stream().map(LossInfo.InputSpec::name).toList();
    }

    /** The names of the inputs the labels list supplies, in order (optional ones may be left off at the end). */
    public List<String> labelInputs() {
        return fromLabels.stream().map(LossInfo.InputSpec::name).toList();
    }

    @Override
    public synchronized NDArray evaluate(NDList labels, NDList predictions) {
        NDArray[] arrays = arraysOf(labels, predictions);
        if (lastResult != null && labels == lastLabels && predictions == lastPredictions
                && Arrays.equals(arrays, lastArrays, (a, b) -> a == b ? 0 : 1)) {
            return lastResult;
        }
        NDArray result = compute(labels, predictions);
        lastLabels = labels;
        lastPredictions = predictions;
        lastArrays = arrays;
        lastResult = result;
        return result;
    }

    private static NDArray[] arraysOf(NDList labels, NDList predictions) {
        NDArray[] a = new NDArray[labels.size() + predictions.size()];
        for (int i = 0; i < predictions.size(); i++) {
            a[i] = predictions.get(i);
        }
        for (int i = 0; i < labels.size(); i++) {
            a[predictions.size() + i] = labels.get(i);
        }
        return a;
    }

    private NDArray compute(NDList labels, NDList predictions) {
        if (predictions.size() != fromPredictions.size()) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, loss + " takes " + fromPredictions.size()
                    + " prediction(s) " + predictionInputs() + ", got " + predictions.size());
        }
        long requiredLabels = fromLabels.stream().filter(LossInfo.InputSpec::required).count();
        if (labels.size() < requiredLabels || labels.size() > fromLabels.size()) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, loss + " takes the label(s) " + labelInputs()
                    + " (the first " + requiredLabels + " required), got " + labels.size());
        }
        NDArray first = predictions.get(0);
        boolean f64 = first.getDataType() == DataType.FLOAT64;
        Inputs in = Inputs.empty();
        for (int i = 0; i < predictions.size(); i++) {
            in = in.with(fromPredictions.get(i).name(), floating(predictions.get(i), f64));
        }
        for (int i = 0; i < labels.size(); i++) {
            in = in.with(fromLabels.get(i).name(), labelTensor(fromLabels.get(i), labels.get(i), first, f64));
        }
        LossResult r = core.compute(in);
        NDManager m = first.getManager();
        DataType dt = f64 ? DataType.FLOAT64 : DataType.FLOAT32;
        NDArray s = null;
        for (int i = 0; i < predictions.size(); i++) {
            NDArray x = predictions.get(i);
            Tensor g = r.grad(fromPredictions.get(i).name());
            NDArray gx = f64 ? m.create(g.toDoubleArray(), x.getShape()) : m.create(g.asFloat32().f32(), x.getShape());
            NDArray term = x.toType(dt, false).mul(gx.stopGradient()).sum();
            s = s == null ? term : s.add(term);
        }
        NDArray value = f64 ? m.create(r.value()) : m.create((float) r.value());
        return value.add(s.sub(s.stopGradient()));
    }

    private static int[] shapeOf(NDArray a) {
        long[] s = a.getShape().getShape();
        int[] out = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = Math.toIntExact(s[i]);
        }
        return out;
    }

    private static Tensor floating(NDArray a, boolean f64) {
        if (f64) {
            return Tensor.of(a.toType(DataType.FLOAT64, false).toDoubleArray(), shapeOf(a));
        }
        return Tensor.of(a.toType(DataType.FLOAT32, false).toFloatArray(), shapeOf(a));
    }

    private static Tensor integers(NDArray a, int[] shape) {
        long[] v = a.getDataType().isFloating() ? toLongs(a) : a.toType(DataType.INT64, false).toLongArray();
        return Tensor.ofLabels(v, shape);
    }

    private static long[] toLongs(NDArray a) {
        double[] d = a.toType(DataType.FLOAT64, false).toDoubleArray();
        long[] v = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            if (d[i] != Math.rint(d[i])) {
                throw new LossException(ErrorKind.INVALID_OPTION, "an integer input holds " + d[i]);
            }
            v[i] = (long) d[i];
        }
        return v;
    }

    /**
     * A label input: int64 inputs as integers; a float-or-index target (cross_entropy) as class
     * indices when it is integer-typed or is one number per row of the prediction ([N] or [N, 1]).
     */
    private static Tensor labelTensor(LossInfo.InputSpec spec, NDArray a, NDArray first, boolean f64) {
        if (spec.integerType() != null) {
            return integers(a, shapeOf(a));
        }
        if (spec.alsoInt64()) {
            long rows = first.getShape().dimension() > 0 ? first.getShape().get(0) : 1;
            boolean perRow = first.getShape().dimension() >= 2 && a.size() == rows
                    && !a.getShape().equals(first.getShape())
                    && (a.getShape().dimension() == 1 || a.getShape().equals(new Shape(rows, 1)));
            if (!a.getDataType().isFloating() || perRow) {
                return integers(a, new int[] {Math.toIntExact(a.size())});
            }
        }
        return floating(a, f64);
    }

    @Override
    public String toString() {
        return "Losses4jLoss(" + loss + (options.isEmpty() ? "" : ", " + options) + ")";
    }
}
