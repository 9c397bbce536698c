package org.losses4j.spark;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.losses4j.ErrorKind;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossException;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * A per-row multi-class loss over rows of {@code (scores, label)}: {@code scores} an array of
 * C numbers (logits, probabilities or log-probabilities, as the loss takes), {@code label} a
 * class index. Losses: those of {@link #supported()} (cross_entropy, nll, perplexity,
 * softmax_focal, sparse_categorical_cross_entropy, multiclass_hinge, multi_margin, zero_one
 * today). A per-class input of the
 * loss (cross_entropy's and nll's {@code weight}, multi_margin's {@code weight},
 * softmax_focal's {@code alpha}) is given as an option holding a list of C numbers.
 *
 * <p>The buffer keeps Σ term and the divisor, so partial results merge exactly. What
 * {@code mean} divides by is what the core reports for each block ({@code LossResult.divisor()}):
 * for cross_entropy and nll the sum of the class weights of the labels that are not
 * {@code ignore_index} (their count without weights), for the other losses the number of rows. perplexity is exp(Σ nll term / number of kept labels),
 * kept as a log-sum. A row with a null array or label is skipped; an empty input gives null;
 * every target ignored gives NaN (as the catalog).
 */
public final class ClassAggregator extends LossAggregator<ClassAggregator.Buf> {
    private static final long serialVersionUID = 1L;

    /**
     * The losses this aggregator takes, in catalog order: those with one term per row of
     * {@code input} scores and a class-index {@code target} (and a reduction), as their
     * {@link LossInfo} says, and perplexity, the exponential of nll's mean, kept as a log-sum.
     */
    public static java.util.List<String> supported() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (LossInfo i : org.losses4j.Losses.catalog()) {
            if (i.name().equals("perplexity") || rowsWithClassIndex(i)) {
                out.add(i.name());
            }
        }
        return out;
    }

    private static boolean rowsWithClassIndex(LossInfo i) {
        LossInfo.InputSpec target = i.takesInputAndTarget() ? i.inputs().get(1) : null;
        return i.layout() == LossInfo.Layout.ROW && i.reducible() && target != null
                && (target.integerType() != null || target.alsoInt64());
    }

    /** Σ term, divisor, C, and the rows not yet passed to the core. */
    public static final class Buf extends LossAggregator.Buffer {
        private static final long serialVersionUID = 1L;
        double sum;
        double divisor;
        long rows;
        int classes = -1;
        double[] x;
        final long[] y = new long[BLOCK];
        int k;
        transient Plan plan;
    }

    static final class Plan {
        final Loss terms;
        final Map<String, double[]> lists;
        final boolean mean;
        final boolean exp;

        Plan(LossSpec spec) {
            String name = spec.name();
            Map<String, Object> opts = new LinkedHashMap<>(spec.catalogOptions());
            Loss asGiven = Losses.create(name, opts);
            exp = name.equals("perplexity");
            if (exp) {
                mean = true;
            } else {
                Reduction r = asGiven.options().reduction();
                if (r == Reduction.NONE) {
                    throw new LossException(ErrorKind.INVALID_OPTION, "an aggregate gives one number: reduction"
                            + " must be mean or sum, not none");
                }
                mean = r == Reduction.MEAN;
            }
            lists = spec.inputLists();
            opts.put("reduction", "none");
            terms = Losses.create(exp ? "nll" : name, opts);
        }
    }

    private ClassAggregator(LossSpec fixed, int specColumns) {
        super(fixed, specColumns, Buf.class);
    }

    /** Over rows {@code (scores, label)}. */
    public static ClassAggregator of(LossSpec spec) {
        return new ClassAggregator(spec, 0);
    }

    /** Over rows {@code (name, options, scores, label)}, for SQL. */
    public static ClassAggregator sql() {
        return new ClassAggregator(null, 2);
    }

    @Override
    protected void check(LossSpec spec) {
        if (!supported().contains(spec.name())) {
            throw new LossException(ErrorKind.INVALID_OPTION, "loss " + spec.name() + " is not a per-row class loss;"
                    + " this aggregator takes " + supported());
        }
        LossInfo info = spec.info();
        for (String k : spec.inputLists().keySet()) {
            if (info.inputs().stream().noneMatch(s -> s.name().equals(k))) {
                throw new LossException(ErrorKind.INVALID_OPTION, "loss " + spec.name() + " has no input " + k);
            }
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
        if (isNull(row, i) || isNull(row, i + 1)) {
            return b;
        }
        List<Object> scores = row.getList(i);
        int c = scores.size();
        if (b.classes < 0) {
            b.classes = c;
            b.x = new double[BLOCK * c];
        } else if (c != b.classes) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "scores have " + c + " entries in one row and "
                    + b.classes + " in another");
        }
        int off = b.k * c;
        for (int j = 0; j < c; j++) {
            Object v = scores.get(j);
            b.x[off + j] = v == null ? Double.NaN : ((Number) v).doubleValue();
        }
        b.y[b.k] = ((Number) row.get(i + 1)).longValue();
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
        Plan p = plan(b);
        int c = b.classes;
        double[] x = k == BLOCK ? b.x : Arrays.copyOf(b.x, k * c);
        long[] y = k == BLOCK ? b.y : Arrays.copyOf(b.y, k);
        Inputs in = Inputs.of("input", Tensor.of(x, k, c)).with("target", Tensor.labels(y));
        for (Map.Entry<String, double[]> e : p.lists.entrySet()) {
            in = in.with(e.getKey(), Tensor.vector(e.getValue()));
        }
        LossResult r = p.terms.value(in);
        double[] t = r.terms().toDoubleArray();
        double s = 0;
        for (int j = 0; j < k; j++) {
            s += t[j];
        }
        b.sum += s;
        b.divisor += r.divisor(); // what the loss's own mean divides by (Σ w_y over kept targets, or rows)
        b.rows += k;
        b.k = 0;
    }

    @Override
    public Buf merge(Buf a, Buf b) {
        mergeSpec(a, b);
        if (a.classes >= 0 && b.classes >= 0 && a.classes != b.classes) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "scores have " + a.classes + " entries in one partition and "
                    + b.classes + " in another");
        }
        flush(a);
        flush(b);
        if (a.classes < 0) {
            a.classes = b.classes;
            a.x = b.classes < 0 ? null : new double[BLOCK * b.classes];
        }
        a.sum += b.sum;
        a.divisor += b.divisor;
        a.rows += b.rows;
        return a;
    }

    @Override
    public Double finish(Buf b) {
        if (b.spec == null) {
            return null;
        }
        flush(b);
        if (b.rows == 0) {
            return null;
        }
        Plan p = plan(b);
        double v = p.mean ? b.sum / b.divisor : b.sum;
        return p.exp ? Math.exp(v) : v;
    }
}
