package org.losses4j.dl4j;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.losses4j.ErrorKind;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossException;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Reduction;
import org.losses4j.Tensor;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A losses4j catalog loss as a Deeplearning4j output-layer loss ({@link ILossFunction}).
 * The layer's pre-activation output {@code z} [N, K] goes through the layer's activation,
 * {@code out = act(z)}, the loss is computed by the core on {@code out} and the labels, and
 * the gradient is taken back through the activation: {@code ∂L/∂z = act'(z)ᵀ·∂L/∂out}.
 *
 * <pre>{@code
 * new OutputLayer.Builder(Losses4jLoss.of("focal", Map.of("gamma", 2.0, "alpha", 0.75)))
 *         .activation(Activation.IDENTITY)   // focal takes logits
 *         .nIn(16).nOut(1).build();
 * }</pre>
 *
 * <h2>Which losses, and the per-example score</h2>
 * DL4J scores each example, sums the scores and divides by N when {@code average} is true
 * (it divides the gradient by N itself, so {@link #computeGradient} is the gradient of the sum).
 * <ul>
 * <li><b>Elementwise</b> losses (mse, mae, huber, bce, bce_with_logits, focal, hinge,
 * poisson_nll, …) and the divergences (kl_div, reverse_kl_div, js_div): one term per output;
 * an example's score is the mean of its K terms under the loss's default reduction
 * {@code mean} (so the averaged score is the catalog's mean; this is DL4J's LossMSE), or their
 * sum with {@code reduction = sum} (DL4J's LossBinaryXENT, LossL2) or {@code batchmean}.
 * Labels are the loss's targets as they are.</li>
 * <li><b>Row</b> losses (cross_entropy, nll, categorical_cross_entropy,
 * sparse_categorical_cross_entropy, softmax_focal, multiclass_hinge, multi_margin): one
 * term per example. cross_entropy and categorical_cross_entropy take the labels as
 * probabilities (one-hot or soft); the others take the class index of each label row's
 * largest entry. cross_entropy and softmax_focal take logits: use {@code Activation.IDENTITY}
 * (the log-softmax is done stably inside); categorical_cross_entropy takes probabilities: use
 * {@code Activation.SOFTMAX}.</li>
 * <li><b>Region</b> losses (dice, jaccard, tversky, combo, generalized_dice): each example's K outputs are one
 * mask (probabilities, e.g. {@code Activation.SIGMOID}); its score is the loss of that
 * sample alone, so the averaged score is the mean per-sample loss ({@code average =
 * sample_class} with one class). For a convolutional net, flatten [N, 1, H, W] into [N, H·W]
 * before a {@code LossLayer} (DL4J adds the preprocessor when the input type is set).</li>
 * </ul>
 * Other catalog losses (ranking, generative, CTC, …) have no per-example output-layer form
 * and are refused by {@link #of}.
 *
 * <h2>Masks</h2>
 * A mask of shape [N, 1] (or [N]) weights whole examples (0 drops an example's score and
 * gradient); a mask of shape [N, K] weights each output of an elementwise loss. For row and
 * region losses a [N, K] mask must be constant along each row.
 *
 * <p>Serialisable like DL4J's own losses: Java serialisation, and JSON in a network
 * configuration (it keeps only the loss name and options).
 */
public final class Losses4jLoss implements ILossFunction {
    private static final long serialVersionUID = 1L;

    private enum Kind { ELEMENTWISE, ROW, REGION }

    private final String loss;
    private final LinkedHashMap<String, Object> options;
    private transient Plan plan;

    /** The core loss objects, built on first use (and again after deserialisation). */
    private static final class Plan {
        final Kind kind;
        final Loss core;
        /** Elementwise: divide each example's term sum by K. */
        final boolean meanOverOutputs;
        /** Row losses whose target is class indices (the labels' argmax); others take the labels as they are. */
        final boolean indexTarget;

        Plan(String name, Map<String, Object> options) {
            LossInfo info = Losses.info(name);
            Map<String, Object> opts = new LinkedHashMap<>(options);
            Kind k = kindOf(info);
            if (k == null) {
                throw new LossException(ErrorKind.INVALID_OPTION, "loss " + name + " has no per-example"
                        + " output-layer form for DL4J (it needs " + why(info) + "); these do: " + supported());
            }
            kind = k;
            indexTarget = info.inputs().get(1).integerType() != null;
            if (kind == Kind.REGION) {
                meanOverOutputs = false;
                core = Losses.create(name, opts);
                return;
            }
            Reduction r = Losses.create(name, opts).options().reduction();
            if (r == Reduction.NONE) {
                throw new LossException(ErrorKind.INVALID_OPTION, "reduction none: DL4J needs one score per"
                        + " example; use mean (an example's mean term) or sum (its summed terms)");
            }
            meanOverOutputs = kind == Kind.ELEMENTWISE && r == Reduction.MEAN;
            opts.put("reduction", "none");
            core = Losses.create(name, opts);
        }
    }

    /**
     * How an output layer [N, K] with labels [N, K] maps onto the loss, from its description: a
     * differentiable loss of {@code input} and {@code target} alone whose terms are per element
     * or per row (with a reduction to undo), or a region loss; null when there is none.
     */
    private static Kind kindOf(LossInfo info) {
        if (!info.differentiable() || !info.takesInputAndTarget()) {
            return null;
        }
        switch (info.layout()) {
            case REGION:
                return Kind.REGION;
            case ELEMENT:
                return info.reducible() ? Kind.ELEMENTWISE : null;
            case ROW:
                return info.reducible() ? Kind.ROW : null;
            default:
                return null;
        }
    }

    private static String why(LossInfo info) {
        if (!info.differentiable()) {
            return "a gradient, which it has not";
        }
        if (info.layout() == LossInfo.Layout.ELEMENT || info.layout() == LossInfo.Layout.ROW) {
            return info.reducible() ? "inputs " + info.inputs().stream().filter(LossInfo.InputSpec::required)
                    .map(LossInfo.InputSpec::name).toList() + ", not just output and labels"
                    : "one term per example, but it is always one number";
        }
        return "one term per example, but its terms are " + info.layout().name().toLowerCase(java.util.Locale.ROOT)
                + "-wise";
    }

    /** The losses this adapter takes, in catalog order. */
    public static List<String> supported() {
        List<String> out = new java.util.ArrayList<>();
        for (LossInfo i : Losses.catalog()) {
            if (kindOf(i) != null) {
                out.add(i.name());
            }
        }
        return out;
    }

    @JsonCreator
    public Losses4jLoss(@JsonProperty("loss") String loss, @JsonProperty("options") Map<String, Object> options) {
        this.loss = Objects.requireNonNull(loss, "loss");
        this.options = options == null ? new LinkedHashMap<>() : new LinkedHashMap<>(options);
        this.plan = new Plan(this.loss, this.options);
    }

    /** The named catalog loss with default options. */
    public static Losses4jLoss of(String loss) {
        return new Losses4jLoss(loss, Map.of());
    }

    /** The named catalog loss with options (as {@link Losses#create(String, Map)}). */
    public static Losses4jLoss of(String loss, Map<String, ?> options) {
        return new Losses4jLoss(loss, new LinkedHashMap<>(options));
    }

    @JsonProperty("loss")
    public String getLoss() {
        return loss;
    }

    @JsonProperty("options")
    public Map<String, Object> getOptions() {
        return Collections.unmodifiableMap(options);
    }

    private Plan plan() {
        Plan p = plan;
        if (p == null) {
            p = new Plan(loss, options);
            plan = p;
        }
        return p;
    }

    /** Per-example scores [N] and ∂(Σ scores)/∂out [N·K], computed together. */
    private double[][] scoresAndGrad(INDArray labels, INDArray out, INDArray mask, boolean grad) {
        Plan p = plan();
        if (out.rank() != 2) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "expected a [N, K] output, got shape "
                    + java.util.Arrays.toString(out.shape()) + " (flatten image outputs first)");
        }
        int n = (int) out.size(0);
        int k = (int) out.size(1);
        if (!java.util.Arrays.equals(labels.shape(), out.shape())) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "labels " + java.util.Arrays.toString(labels.shape())
                    + " and output " + java.util.Arrays.toString(out.shape()) + " differ in shape");
        }
        double[] x = toDoubles(out);
        double[] y = toDoubles(labels);
        double[] m = maskOf(mask, n, k, p.kind);
        double[] scores = new double[n];
        double[] g = grad ? new double[n * k] : null;
        switch (p.kind) {
            case ELEMENTWISE: {
                LossResult r = run(p.core, Inputs.of(Tensor.of(x, n, k), Tensor.of(y, n, k)), grad);
                double[] t = r.terms().toDoubleArray();
                double div = p.meanOverOutputs ? k : 1;
                double[] gr = grad ? r.grad("input").toDoubleArray() : null;
                for (int i = 0; i < n; i++) {
                    double s = 0;
                    for (int j = 0; j < k; j++) {
                        int e = i * k + j;
                        double w = m == null ? 1 : m.length == n ? m[i] : m[e];
                        s += w * t[e];
                        if (grad) {
                            g[e] = w * gr[e] / div;
                        }
                    }
                    scores[i] = s / div;
                }
                break;
            }
            case ROW: {
                Tensor target = p.indexTarget ? Tensor.labels(argmax(y, n, k)) : Tensor.of(y, n, k);
                LossResult r = run(p.core, Inputs.of(Tensor.of(x, n, k), target), grad);
                double[] t = r.terms().toDoubleArray();
                double[] gr = grad ? r.grad("input").toDoubleArray() : null;
                for (int i = 0; i < n; i++) {
                    double w = m == null ? 1 : m[i];
                    scores[i] = w * t[i];
                    if (grad) {
                        for (int j = 0; j < k; j++) {
                            g[i * k + j] = w * gr[i * k + j];
                        }
                    }
                }
                break;
            }
            default: {
                // one sample at a time: [1, 1, K], its own loss value and gradient
                for (int i = 0; i < n; i++) {
                    double w = m == null ? 1 : m[i];
                    double[] xi = java.util.Arrays.copyOfRange(x, i * k, (i + 1) * k);
                    double[] yi = java.util.Arrays.copyOfRange(y, i * k, (i + 1) * k);
                    LossResult r = run(p.core, Inputs.of(Tensor.of(xi, 1, 1, k), Tensor.of(yi, 1, 1, k)), grad && w != 0);
                    scores[i] = w * r.value();
                    if (grad && w != 0) {
                        double[] gr = r.grad("input").toDoubleArray();
                        for (int j = 0; j < k; j++) {
                            g[i * k + j] = w * gr[j];
                        }
                    }
                }
            }
        }
        return new double[][] {scores, g};
    }

    private static LossResult run(Loss l, Inputs in, boolean grad) {
        return grad ? l.compute(in) : l.value(in);
    }

    private static long[] argmax(double[] y, int n, int k) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (y[i * k + j] > y[i * k + best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** null (no mask), a per-example mask [n], or a per-output mask [n·k] (elementwise losses only). */
    private static double[] maskOf(INDArray mask, int n, int k, Kind kind) {
        if (mask == null) {
            return null;
        }
        long len = mask.length();
        if (len == n && (mask.rank() == 1 || mask.size(0) == n)) {
            return toDoubles(mask.reshape(n));
        }
        if (len != (long) n * k) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "mask " + java.util.Arrays.toString(mask.shape())
                    + " is neither per example [" + n + ", 1] nor per output [" + n + ", " + k + "]");
        }
        double[] m = toDoubles(mask);
        if (kind == Kind.ELEMENTWISE) {
            return m;
        }
        double[] rows = new double[n];
        for (int i = 0; i < n; i++) {
            rows[i] = m[i * k];
            for (int j = 1; j < k; j++) {
                if (m[i * k + j] != rows[i]) {
                    throw new LossException(ErrorKind.SHAPE_MISMATCH, "a per-output mask must be constant along each"
                            + " row for a per-example loss; row " + i + " is not");
                }
            }
        }
        return rows;
    }

    private static double[] toDoubles(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private static INDArray column(double[] v, DataType dt) {
        return Nd4j.create(v, new long[] {v.length, 1}, DataType.DOUBLE).castTo(dt);
    }

    private INDArray gradientWrtPreOutput(INDArray preOutput, IActivation activationFn, double[] dOut) {
        INDArray eps = Nd4j.create(dOut, preOutput.shape(), DataType.DOUBLE).castTo(preOutput.dataType());
        return activationFn.backprop(preOutput.dup(), eps).getFirst();
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        double[] s = scoresAndGrad(labels, activationFn.getActivation(preOutput.dup(), true), mask, false)[0];
        double sum = 0;
        for (double v : s) {
            sum += v;
        }
        return average ? sum / s.length : sum;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        double[] s = scoresAndGrad(labels, activationFn.getActivation(preOutput.dup(), true), mask, false)[0];
        return column(s, preOutput.dataType());
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        double[][] sg = scoresAndGrad(labels, activationFn.getActivation(preOutput.dup(), true), mask, true);
        return gradientWrtPreOutput(preOutput, activationFn, sg[1]);
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
            INDArray mask, boolean average) {
        double[][] sg = scoresAndGrad(labels, activationFn.getActivation(preOutput.dup(), true), mask, true);
        double sum = 0;
        for (double v : sg[0]) {
            sum += v;
        }
        return new Pair<>(average ? sum / sg[0].length : sum, gradientWrtPreOutput(preOutput, activationFn, sg[1]));
    }

    @Override
    public String name() {
        return "losses4j:" + loss;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Losses4jLoss && ((Losses4jLoss) o).loss.equals(loss)
                && String.valueOf(((Losses4jLoss) o).options).equals(String.valueOf(options));
    }

    @Override
    public int hashCode() {
        return Objects.hash(loss, String.valueOf(options));
    }

    @Override
    public String toString() {
        return "Losses4jLoss(" + loss + (options.isEmpty() ? "" : ", " + options) + ")";
    }
}
