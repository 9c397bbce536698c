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
import org.tribuo.math.la.DenseVector;
import org.tribuo.math.la.SGDVector;
import org.tribuo.regression.sgd.RegressionObjective;

/**
 * A losses4j elementwise loss as a Tribuo {@link RegressionObjective}, for the regression SGD
 * trainers ({@code LinearSGDTrainer}, {@code FMRegressionTrainer}).
 *
 * <pre>{@code
 * new LinearSGDTrainer(LossRegressionObjective.of("huber", Map.of("delta", 1.0)), new AdaGrad(0.1), 10, 1L);
 * new LinearSGDTrainer(LossRegressionObjective.of("mse").scale(0.5), ...);   // = Tribuo's SquaredLoss
 * }</pre>
 *
 * An example's predictions for its D regression dimensions are the loss's input and its
 * targets the target; its loss is the sum of the D terms ({@code reduction} is always sum),
 * as in Tribuo's own objectives. The returned vector is the <em>negative</em> gradient
 * {@code −∂L/∂prediction}, the direction Tribuo's trainers step along, and the value is
 * {@code L} (Tribuo's regression objectives report the loss itself). Tribuo's SquaredLoss is
 * ½·(y − ŷ)², so it is {@code of("mse").scale(0.5)}; its Huber(cost) is
 * {@code of("huber", Map.of("delta", cost))}.
 */
public final class LossRegressionObjective extends CatalogObjective implements RegressionObjective {

    /** For OLCUT. */
    private LossRegressionObjective() {
    }

    private LossRegressionObjective(String loss, Map<String, ?> options, double scale) {
        super(loss, options, scale);
    }

    public static LossRegressionObjective of(String loss) {
        return new LossRegressionObjective(loss, Map.of(), 1.0);
    }

    public static LossRegressionObjective of(String loss, Map<String, ?> options) {
        return new LossRegressionObjective(loss, options, 1.0);
    }

    /** The same loss times {@code factor} (value and gradient). */
    public LossRegressionObjective scale(double factor) {
        return new LossRegressionObjective(loss, options, scale * factor);
    }

    /** The catalog losses this objective takes (the elementwise ones), in catalog order. */
    public static List<String> supported() {
        List<String> out = new ArrayList<>();
        for (LossInfo i : Losses.catalog()) {
            if (LossLabelObjective.isElementwise(i)) {
                out.add(i.name());
            }
        }
        return out;
    }

    @Override
    protected void check(LossInfo info) {
        if (!LossLabelObjective.isElementwise(info)) {
            throw new LossException(ErrorKind.INVALID_OPTION, "loss " + info.name() + " is not an elementwise loss of"
                    + " a prediction and a target; these are: " + supported());
        }
    }

    @Override
    public Pair<Double, SGDVector> loss(DenseVector truth, SGDVector prediction) {
        double[] x = prediction.toArray();
        Pair<Double, DenseVector> r = lossAndNegativeGradient(x, Tensor.of(truth.toArray(), x.length), x.length);
        return new Pair<>(r.getA(), r.getB());
    }

    @Override
    public Pair<Double, SGDVector> lossAndGradient(DenseVector truth, SGDVector prediction) {
        return loss(truth, prediction);
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "RegressionObjective");
    }
}
