package org.losses4j.tribuo;

import java.util.LinkedHashMap;
import java.util.Map;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.util.Pair;

import org.losses4j.ErrorKind;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossException;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;
import org.tribuo.math.la.DenseVector;

/**
 * What the label and regression objectives share: the catalog loss by name and options
 * (OLCUT-configurable, and so recorded in a model's provenance), a scale, and one example's
 * loss and the negative of its gradient, which is what Tribuo's SGD trainers step along.
 */
abstract class CatalogObjective implements Configurable {
    @Config(mandatory = true, description = "The catalog name of the losses4j loss.")
    protected String loss;

    @Config(description = "The loss's options, as text values (e.g. delta=0.5).")
    protected Map<String, String> options = new LinkedHashMap<>();

    @Config(description = "A factor on the loss and its gradient (0.5 turns mse into Tribuo's SquaredLoss).")
    protected double scale = 1.0;

    private transient Loss core;

    /** For OLCUT. */
    protected CatalogObjective() {
    }

    protected CatalogObjective(String loss, Map<String, ?> options, double scale) {
        this.loss = loss;
        this.options = new LinkedHashMap<>();
        if (options != null) {
            options.forEach((k, v) -> this.options.put(k, v == null ? "null" : String.valueOf(v)));
        }
        this.scale = scale;
        postConfig();
    }

    @Override
    public void postConfig() {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new LossException(ErrorKind.INVALID_OPTION, "scale must be positive and finite, got " + scale);
        }
        LossInfo info = Losses.info(loss);
        String reduction = options.get("reduction");
        if (reduction != null && !reduction.equals("sum")) {
            throw new LossException(ErrorKind.INVALID_OPTION, "reduction " + reduction + ": an example's loss is the"
                    + " sum of its terms (Tribuo sums over examples itself); leave reduction out");
        }
        check(info);
        Map<String, Object> opts = new LinkedHashMap<>(options);
        opts.replaceAll((k, v) -> "null".equals(v) ? null : v);
        if (info.reducible()) {
            opts.put("reduction", "sum");
        }
        core = Losses.create(loss, opts);
    }

    /** Refuses a loss this objective cannot use. */
    protected abstract void check(LossInfo info);

    /** The catalog name. */
    public String loss() {
        return loss;
    }

    /** {@code scale · L} and {@code −scale · ∂L/∂x} for one example's predictions {@code x}. */
    protected Pair<Double, DenseVector> lossAndNegativeGradient(double[] x, Tensor target, int... shape) {
        LossResult r = core.compute(Inputs.of(Tensor.of(x, shape), target));
        double[] g = r.grad("input").toDoubleArray();
        for (int i = 0; i < g.length; i++) {
            g[i] *= -scale;
        }
        return new Pair<>(scale * r.value(), DenseVector.createDenseVector(g));
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + loss + (options.isEmpty() ? "" : ", " + options)
                + (scale == 1 ? "" : ", scale=" + scale) + ")";
    }
}
