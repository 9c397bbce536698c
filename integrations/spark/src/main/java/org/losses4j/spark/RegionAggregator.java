package org.losses4j.spark;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;

import org.apache.spark.sql.Row;
import org.losses4j.ErrorKind;
import org.losses4j.LossException;
import org.losses4j.Losses;
import org.losses4j.segmentation.Dice;

/**
 * An overlap (region) loss, dice, jaccard or tversky, over rows of
 * {@code (class, probability, target)}: one row per pixel (or voxel) and class, the predicted
 * probability and the target in [0, 1]. The buffer keeps, per class, Σp·g, Σp, Σg (and Σp²,
 * Σg² for squared dice): sums, so partial results from any partitioning merge exactly.
 *
 * <p>The result is the catalog loss for {@code average = "global"} (one coefficient from the
 * sums over every row) or {@code "class"} (one coefficient per class index 0 … max, then their
 * mean), with the loss's {@code smooth} (and squared, log / alpha, beta, gamma) options. Rows carry
 * no sample index, so {@code "sample_class"} is refused: group by sample and average the
 * per-sample results instead. A row with a null value is skipped; a probability or target
 * outside [0, 1] is refused (NaN propagates); an empty input gives null.
 *
 * <p>The coefficient is evaluated here from the merged sums with the catalog's formula (the
 * core computes it only from full tensors); the tests check it against the core on the same
 * data.
 */
public final class RegionAggregator extends LossAggregator<RegionAggregator.Buf> {
    private static final long serialVersionUID = 1L;

    private static final Set<String> SUPPORTED = Set.of("dice", "jaccard", "tversky");

    /** Per-class sums. */
    public static final class Buf extends LossAggregator.Buffer {
        private static final long serialVersionUID = 1L;
        double[] pg = new double[0];
        double[] p = new double[0];
        double[] g = new double[0];
        double[] pp = new double[0];
        double[] gg = new double[0];
        long rows;

        void grow(int classes) {
            if (classes > pg.length) {
                pg = Arrays.copyOf(pg, classes);
                p = Arrays.copyOf(p, classes);
                g = Arrays.copyOf(g, classes);
                pp = Arrays.copyOf(pp, classes);
                gg = Arrays.copyOf(gg, classes);
            }
        }
    }

    private RegionAggregator(LossSpec fixed, int specColumns) {
        super(fixed, specColumns, Buf.class);
    }

    /** Over rows {@code (class, probability, target)}. */
    public static RegionAggregator of(LossSpec spec) {
        return new RegionAggregator(spec, 0);
    }

    /** Over rows {@code (name, options, class, probability, target)}, for SQL. */
    public static RegionAggregator sql() {
        return new RegionAggregator(null, 2);
    }

    @Override
    protected void check(LossSpec spec) {
        if (!SUPPORTED.contains(spec.name())) {
            throw new LossException(ErrorKind.INVALID_OPTION, "loss " + spec.name() + " is not a region loss;"
                    + " this aggregator takes dice, jaccard and tversky");
        }
        String avg = String.valueOf(options(spec).get("average"));
        if (!avg.equals("global") && !avg.equals("class")) {
            throw new LossException(ErrorKind.INVALID_OPTION, "average = " + avg + ": rows carry no sample index,"
                    + " so only global and class are aggregated (group by sample for per-sample coefficients)");
        }
    }

    private static Map<String, Object> options(LossSpec spec) {
        return Losses.create(spec.name(), spec.catalogOptions()).options().values();
    }

    @Override
    public Buf zero() {
        return new Buf();
    }

    @Override
    public Buf reduce(Buf b, Row row) {
        spec(b, row);
        int i = first();
        if (isNull(row, i) || isNull(row, i + 1) || isNull(row, i + 2)) {
            return b;
        }
        long c = ((Number) row.get(i)).longValue();
        double p = number(row, i + 1);
        double g = number(row, i + 2);
        if (c < 0 || c >= 1 << 20) {
            throw new LossException(ErrorKind.LABEL_OUT_OF_RANGE, "class = " + c + " is outside [0, 2^20)");
        }
        if (p < 0 || p > 1 || g < 0 || g > 1) {
            throw new LossException(ErrorKind.OUT_OF_DOMAIN, (p < 0 || p > 1 ? "input = " + p : "target = " + g)
                    + " is outside [0, 1]");
        }
        int k = (int) c;
        b.grow(k + 1);
        b.pg[k] += p * g;
        b.p[k] += p;
        b.g[k] += g;
        b.pp[k] += p * p;
        b.gg[k] += g * g;
        b.rows++;
        return b;
    }

    @Override
    public Buf merge(Buf a, Buf b) {
        mergeSpec(a, b);
        a.grow(b.pg.length);
        for (int k = 0; k < b.pg.length; k++) {
            a.pg[k] += b.pg[k];
            a.p[k] += b.p[k];
            a.g[k] += b.g[k];
            a.pp[k] += b.pp[k];
            a.gg[k] += b.gg[k];
        }
        a.rows += b.rows;
        return a;
    }

    @Override
    public Double finish(Buf b) {
        if (b.spec == null || b.rows == 0) {
            return null;
        }
        Map<String, Object> o = options(b.spec);
        boolean global = "global".equals(String.valueOf(o.get("average")));
        int groups = global ? 1 : b.pg.length;
        double total = 0;
        for (int k = 0; k < groups; k++) {
            double pg = global ? sum(b.pg) : b.pg[k];
            double p = global ? sum(b.p) : b.p[k];
            double g = global ? sum(b.g) : b.g[k];
            double pp = global ? sum(b.pp) : b.pp[k];
            double gg = global ? sum(b.gg) : b.gg[k];
            total += term(b.spec.name(), o, pg, p, g, pp, gg);
        }
        return total / groups;
    }

    private static double sum(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s;
    }

    /** 1 − coefficient (dice with log: −log(max(D, 1e-7)); tversky: (1 − TI)^γ) of one group, from its sums. */
    static double term(String name, Map<String, Object> o, double pg, double p, double g, double pp, double gg) {
        double s = ((Number) o.get("smooth")).doubleValue();
        double num;
        double den;
        switch (name) {
            case "dice":
                num = 2 * pg + s;
                den = Boolean.TRUE.equals(o.get("squared")) ? pp + gg + s : p + g + s;
                double d = coefficient(num, den);
                return Boolean.TRUE.equals(o.get("log")) ? -Math.log(Math.max(d, Dice.LOG_EPS)) : 1 - d;
            case "jaccard":
                return 1 - coefficient(pg + s, p + g - pg + s);
            default:
                double alpha = ((Number) o.get("alpha")).doubleValue();
                double beta = ((Number) o.get("beta")).doubleValue();
                double gamma = ((Number) o.get("gamma")).doubleValue();
                double fp = p - pg;
                double fn = g - pg;
                double ti = coefficient(pg + s, pg + alpha * fp + beta * fn + s);
                return gamma == 1 ? 1 - ti : Math.pow(Math.max(0.0, 1 - ti), gamma); // TI <= 1: max guards a rounding sign
        }
    }

    /** num / den, and 1 for 0 / 0 (an empty mask predicted empty with smooth = 0), as the catalog. */
    private static double coefficient(double num, double den) {
        return num == 0 && den == 0 ? 1.0 : num / den;
    }
}
