package org.losses4j.spark;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.losses4j.ErrorKind;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossException;
import org.losses4j.LossInfo;
import org.losses4j.Losses;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * An elementwise catalog loss (mse, huber, bce, focal, hinge, poisson_nll ...) over rows of
 * {@code (prediction, target[, weight])}: one loss term per row, each computed by the core in
 * blocks of rows. The buffer keeps Σ w·term and the number of rows, so partial results from
 * any partitioning merge exactly. The result is the catalog value: reduction {@code mean}
 * (the default) divides by the number of rows (weights do not change the divisor, as in
 * PyTorch), {@code sum} does not divide; {@code rmse} and {@code rmsle} are the square root
 * of the mean mse / msle term. Rows with a null prediction, target or weight are skipped; NaN
 * propagates; an empty input gives null.
 *
 * <p>A weight multiplies each term, for every elementwise loss (for bce and bce_with_logits
 * exactly as their {@code weight} input does).
 */
public final class ElementwiseAggregator extends LossAggregator<ElementwiseAggregator.Buf> {
    private static final long serialVersionUID = 1L;

    /** Losses of the form f(mean term) with no per-row terms of their own: their term loss. */
    private static final Map<String, String> OUTER = Map.of("rmse", "mse", "rmsle", "msle");

    private final boolean weighted;

    /** Σ w·term and the row count, plus the rows not yet passed to the core. */
    public static final class Buf extends LossAggregator.Buffer {
        private static final long serialVersionUID = 1L;
        double sum;
        long count;
        final double[] x = new double[BLOCK];
        final double[] y = new double[BLOCK];
        final double[] w = new double[BLOCK];
        int k;
        transient Plan plan;
    }

    /** The term loss (reduction none), the final reduction and the outer function. */
    static final class Plan {
        final Loss terms;
        final boolean mean;
        final boolean sqrt;

        Plan(LossSpec spec) {
            String name = spec.name();
            Map<String, Object> opts = new LinkedHashMap<>(spec.catalogOptions());
            String inner = OUTER.getOrDefault(name, name);
            sqrt = OUTER.containsKey(name);
            if (sqrt) {
                Losses.create(name, opts); // validates rmse's/rmsle's own options (none)
                mean = true;
            } else {
                Reduction r = Losses.create(name, opts).options().reduction();
                if (r == Reduction.NONE) {
                    throw new LossException(ErrorKind.INVALID_OPTION, "an aggregate gives one number: reduction"
                            + " must be mean or sum, not none");
                }
                mean = r == Reduction.MEAN;
            }
            opts.put("reduction", "none");
            terms = Losses.create(inner, opts);
        }
    }

    private ElementwiseAggregator(LossSpec fixed, int specColumns, boolean weighted) {
        super(fixed, specColumns, Buf.class);
        this.weighted = weighted;
    }

    /** Over rows {@code (prediction, target)}, or {@code (prediction, target, weight)} when weighted. */
    public static ElementwiseAggregator of(LossSpec spec, boolean weighted) {
        return new ElementwiseAggregator(spec, 0, weighted);
    }

    /** Over rows {@code (name, [options,] prediction, target[, weight])}, for SQL. */
    public static ElementwiseAggregator sql(boolean withOptions, boolean weighted) {
        return new ElementwiseAggregator(null, withOptions ? 2 : 1, weighted);
    }

    @Override
    protected void check(LossSpec spec) {
        LossInfo info = spec.info();
        if (!info.hessian()) {
            throw new LossException(ErrorKind.INVALID_OPTION, "loss " + spec.name() + " is not elementwise"
                    + " (one term per prediction): use the class or region aggregators, see LossFunctions");
        }
        for (LossInfo.InputSpec s : info.inputs()) {
            if (s.required() && !s.name().equals("input") && !s.name().equals("target")) {
                throw new LossException(ErrorKind.INVALID_OPTION, "loss " + spec.name() + " needs input '" + s.name()
                        + "', which this aggregator does not take");
            }
        }
        if (!spec.inputLists().isEmpty()) {
            throw new LossException(ErrorKind.INVALID_OPTION, "loss " + spec.name() + ": per-row weights come from"
                    + " the weight column, not from options " + spec.inputLists().keySet());
        }
        new Plan(spec);
    }

    @Override
    public Buf zero() {
        return new Buf();
    }

    @Override
    public Buf reduce(Buf b, Row row) {
        spec(b, row);
        int i = first();
        if (isNull(row, i) || isNull(row, i + 1) || (weighted && isNull(row, i + 2))) {
            return b;
        }
        b.x[b.k] = number(row, i);
        b.y[b.k] = number(row, i + 1);
        b.w[b.k] = weighted ? number(row, i + 2) : 1.0;
        if (++b.k == BLOCK) {
            flush(b);
        }
        return b;
    }

    private static Plan plan(Buf b) {
        if (b.plan == null) {
            b.plan = new Plan(b.spec);
        }
        return b.plan;
    }

    private static void flush(Buf b) {
        int k = b.k;
        if (k == 0) {
            return;
        }
        double[] x = k == BLOCK ? b.x : Arrays.copyOf(b.x, k);
        double[] y = k == BLOCK ? b.y : Arrays.copyOf(b.y, k);
        double[] t = plan(b).terms.value(Inputs.of(Tensor.vector(x), Tensor.vector(y))).terms().f64();
        double s = 0;
        for (int j = 0; j < k; j++) {
            s += b.w[j] * t[j];
        }
        b.sum += s;
        b.count += k;
        b.k = 0;
    }

    @Override
    public Buf merge(Buf a, Buf b) {
        mergeSpec(a, b);
        flush(a);
        flush(b);
        a.sum += b.sum;
        a.count += b.count;
        return a;
    }

    @Override
    public Double finish(Buf b) {
        if (b.spec == null) {
            return null;
        }
        flush(b);
        if (b.count == 0) {
            return null;
        }
        Plan p = plan(b);
        double v = p.mean ? b.sum / b.count : b.sum;
        return p.sqrt ? Math.sqrt(v) : v;
    }
}
