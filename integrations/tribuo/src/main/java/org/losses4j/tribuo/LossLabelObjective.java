package org.losses4j.tribuo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import com.oracle.labs.mlrg.olcut.util.Pair;

import org.losses4j.ErrorKind;
import org.losses4j.LossException;
import org.losses4j.LossInfo;
import org.losses4j.Losses;
import org.losses4j.Tensor;
import org.tribuo.classification.sgd.LabelObjective;
import org.tribuo.math.la.DenseVector;
import org.tribuo.math.la.SGDVector;
import org.tribuo.math.util.ExpNormalizer;
import org.tribuo.math.util.NoopNormalizer;
import org.tribuo.math.util.VectorNormalizer;

/**
 * A losses4j loss as a Tribuo {@link LabelObjective}, for the classification SGD trainers
 * ({@code LinearSGDTrainer}, {@code FMClassificationTrainer}).
 *
 * <pre>{@code
 * new LinearSGDTrainer(LossLabelObjective.of("cross_entropy", Map.of("label_smoothing", 0.1)),
 *         new AdaGrad(0.1), 10, 1L);
 * }</pre>
 *
 * For each example the model's C class scores are the loss's input: for a row loss with a
 * class-index target (cross_entropy, softmax_focal, multiclass_hinge, multi_margin, nll) one
 * row [1, C] and the label's index; for an elementwise loss (bce_with_logits, focal, mse, …)
 * the C scores against the one-hot label (0 and 1). An example's loss is the sum of its
 * terms ({@code reduction} is always sum; Tribuo sums over examples itself).
 *
 * <p>Tribuo's sign convention: its SGD trainers step along the returned vector, so this
 * returns the <em>negative</em> gradient {@code −∂L/∂scores}, and, like Tribuo's own
 * LogMulticlass (a log-likelihood) and Hinge, the negated loss {@code −L} as the value.
 * cross_entropy and softmax_focal take logits: their normalizer is the softmax
 * ({@link ExpNormalizer}) and the model is probabilistic; the others keep raw scores.
 */
public final class LossLabelObjective extends CatalogObjective implements LabelObjective {
    private static final List<String> SOFTMAX = List.of("cross_entropy", "softmax_focal");

    private transient boolean rowLoss;

    /** For OLCUT. */
    private LossLabelObjective() {
    }

    private LossLabelObjective(String loss, Map<String, ?> options, double scale) {
        super(loss, options, scale);
    }

    public static LossLabelObjective of(String loss) {
        return new LossLabelObjective(loss, Map.of(), 1.0);
    }

    public static LossLabelObjective of(String loss, Map<String, ?> options) {
        return new LossLabelObjective(loss, options, 1.0);
    }

    /** The same loss times {@code factor} (value and gradient). */
    public LossLabelObjective scale(double factor) {
        return new LossLabelObjective(loss, options, scale * factor);
    }

    /** The catalog losses this objective takes, in catalog order. */
    public static List<String> supported() {
        List<String> out = new ArrayList<>();
        for (LossInfo i : Losses.catalog()) {
            if (isRowLoss(i) || isElementwise(i)) {
                out.add(i.name());
            }
        }
        return out;
    }

    private static boolean isRowLoss(LossInfo i) {
        if (i.layout() != LossInfo.Layout.ROW || !i.differentiable() || !i.reducible() || !i.takesInputAndTarget()) {
            return false;
        }
        LossInfo.InputSpec target = i.inputs().get(1);
        return target.integerType() != null || target.alsoInt64();
    }

    static boolean isElementwise(LossInfo i) {
        return i.hessian() && i.reducible() && i.takesInputAndTarget();
    }

    @Override
    protected void check(LossInfo info) {
        rowLoss = isRowLoss(info);
        if (!rowLoss && !isElementwise(info)) {
            throw new LossException(ErrorKind.INVALID_OPTION, "loss " + info.name() + " has no per-example form over"
                    + " class scores and a label; these do: " + supported());
        }
    }

    @Override
    public Pair<Double, SGDVector> valueAndGradient(int truth, SGDVector prediction) {
        double[] x = prediction.toArray();
        int c = x.length;
        Pair<Double, DenseVector> r;
        if (rowLoss) {
            r = lossAndNegativeGradient(x, Tensor.labels(truth), 1, c);
        } else {
            double[] onehot = new double[c];
            onehot[truth] = 1;
            r = lossAndNegativeGradient(x, Tensor.of(onehot, c), c);
        }
        return new Pair<>(-r.getA(), r.getB());
    }

    @Override
    public Pair<Double, SGDVector> lossAndGradient(Integer truth, SGDVector prediction) {
        return valueAndGradient(truth, prediction);
    }

    @Override
    public VectorNormalizer getNormalizer() {
        return isProbabilistic() ? new ExpNormalizer() : new NoopNormalizer();
    }

    @Override
    public boolean isProbabilistic() {
        return SOFTMAX.contains(loss);
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "LabelObjective");
    }
}
