package org.losses4j.regression;

import org.losses4j.AbstractLoss;
import org.losses4j.Check;
import org.losses4j.DiagonalHessian;
import org.losses4j.ErrorKind;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossBuilder;
import org.losses4j.LossCall;
import org.losses4j.LossException;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * Cox proportional hazards: the negative log partial likelihood of right-censored survival
 * times, with Breslow's handling of tied times, as XGBoost's {@code survival:cox} objective.
 *
 * <p>Inputs: {@code input} [N], a score per sample (the log hazard ratio f); {@code target} [N],
 * the survival time in XGBoost's label convention: {@code t > 0} an event at t, {@code t < 0}
 * censored at |t| ({@code 0} and {@code −0} are censored at 0). The risk set of a time t is every
 * sample with {@code |t_j| ≥ t} (ties included, censored ones too). The loss is
 * {@code Σ_{events i} (log Σ_{j: |t_j| ≥ t_i} exp(f_j) − f_i)}; {@code mean} divides by the number
 * of events (XGBoost's cox-nloglik metric, pycox, DeepSurv; scikit-survival and lifelines divide
 * by N, which is {@code sum}/N) and refuses a target with no event; {@code none} gives a term per
 * sample, {@code δ_i·(log S_i − f_i)} (0 for a censored one).
 *
 * <p>Gradient {@code ∂/∂f_k = Σ_{events i: t_i ≤ |t_k|} p_ik − δ_k} with {@code p_ik = exp(f_k)/S_i},
 * and diagonal Hessian {@code Σ_i p_ik(1 − p_ik)}: those of XGBoost's CoxRegression (which adds
 * the same terms, in the same risk sets) wherever times are distinct; at tied times XGBoost sums
 * only the tied events that its stable sort puts before k, which is not the derivative of any
 * loss, while this is the exact derivative of the Breslow likelihood above.
 *
 * <p>Cost O(N log N): one sort by |t|, then one backward pass for every log S_i (a running
 * log-sum-exp, so scores of ±1e4 neither overflow nor lose the small risk sets) and one forward
 * pass for {@code log Σ_i 1/S_i} and {@code log Σ_i 1/S_i²}, in which each p_ik is at most 1:
 * nothing overflows. Value, gradient and Hessian in float64 (float32 data is widened; the
 * Hessian stays float64).
 *
 * <p>Reference: Cox (1972), "Regression Models and Life-Tables"; Breslow (1974), "Covariance
 * analysis of censored survival data"; XGBoost {@code survival:cox}.
 */
public final class Cox extends AbstractLoss implements DiagonalHessian {
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("cox", Family.REGRESSION)
            .summary("Cox proportional hazards: negative log partial likelihood of right-censored survival times"
                    + " (Breslow ties; XGBoost survival:cox)")
            .formula("Σ over events i of log Σ_{j: |t_j| ≥ t_i} exp(f_j) − f_i; t ≤ 0 is censored at |t|")
            .gradInput("input", "[N] scores (log hazard ratios)")
            .input("target", "[N] survival times: t > 0 an event at t, t ≤ 0 censored at |t| (XGBoost's labels)")
            .options(REDUCTION)
            .divisor("the number of events (a target with none is refused)")
            .convex(true)
            .layout(LossInfo.Layout.SCALAR)
            .tasks("survival analysis", "gradient boosting for survival (XGBoost survival:cox)",
                    "deep survival models (DeepSurv)")
            .reference("Cox 1972; Breslow 1974; XGBoost survival:cox")
            .example((r, n, o) -> Inputs.of(Examples.t(Examples.gauss(r, n, 1), n), Examples.t(times(r, n), n)))
            .factory(Cox::new)
            .build();

    private Cox(Options o) {
        super(INFO, o);
    }

    public static LossBuilder<Cox> builder() {
        return new LossBuilder<>(INFO, Cox.class);
    }

    /** Example times: distinct, in (0.1, 5), about a third censored (negative), the first an event. */
    private static double[] times(java.util.Random r, int n) {
        double[] t = Examples.uniform(r, n, 0.1, 5);
        for (int i = 1; i < n; i++) {
            if (r.nextDouble() < 0.35) {
                t[i] = -t[i];
            }
        }
        return t;
    }

    @Override
    public LossResult computeWithHessian(Inputs in) {
        return runWithHessian(in);
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor x = call.require("input");
        Tensor y = call.require("target");
        Check.rank("input", x, 1);
        Check.sameShape("input", x, "target", y);
        int n = x.size();
        double[] f = x.f64();
        double[] t = y.f64();
        int events = 0;
        boolean nan = false;
        for (int i = 0; i < n; i++) {
            events += t[i] > 0 ? 1 : 0;
            nan |= Double.isNaN(t[i]);
        }
        if (n > 0 && events == 0 && !nan && call.reduction() == Reduction.MEAN) {
            throw new LossException(ErrorKind.OUT_OF_DOMAIN, "target has no event (every time is <= 0, censored):"
                    + " the mean over events is undefined; use reduction sum");
        }
        double scale = call.reduce(n, events);
        double[] g = call.gradient("input", x);
        double[] h = call.wantsHessian() ? new double[n] : null;
        double[] terms = call.terms(n);
        double sum;
        if (nan) {
            // a NaN time has no place in the order of the risk sets: NaN in, NaN out, everywhere
            sum = Double.NaN;
            fill(g, Double.NaN);
            fill(h, Double.NaN);
            fill(terms, Double.NaN);
        } else {
            sum = partialLikelihood(f, t, n, scale, terms, g, h, call);
        }
        if (h != null) {
            call.hessian(Tensor.of(h, x.shape()));
        }
        return call.finish(terms, sum, n);
    }

    private static void fill(double[] a, double v) {
        if (a != null) {
            java.util.Arrays.fill(a, v);
        }
    }

    /**
     * The sum of the event terms, each also written into {@code terms} (at its sample); {@code g}
     * and {@code h} (either may be null) get scale × the gradient and diagonal Hessian.
     */
    private static double partialLikelihood(double[] f, double[] t, int n, double scale, double[] terms, double[] g,
            double[] h, LossCall call) {
        org.losses4j.Workspace ws = call.scratch();
        int[] order = sortByAbs(t, n, ws);
        // groups of equal |t| in that order: group k is order[start[k] .. start[k + 1])
        int[] start = ws.ints(n + 1);
        int groups = 0;
        for (int p = 0; p < n; p++) {
            if (p == 0 || Math.abs(t[order[p]]) != Math.abs(t[order[p - 1]])) {
                start[groups++] = p;
            }
        }
        start[groups] = n;
        // backward: log S of each group's risk set (itself and every later group), a running log-sum-exp
        double[] logS = ws.doubles(groups);
        double m = Double.NEGATIVE_INFINITY;
        double s = 0;
        for (int k = groups - 1; k >= 0; k--) {
            for (int p = start[k]; p < start[k + 1]; p++) {
                double v = f[order[p]];
                if (v <= m) {
                    s += Math.exp(v - m);
                } else if (v != Double.NEGATIVE_INFINITY) {
                    // also the NaN path (NaN <= m is false): m becomes NaN and so does every later log S
                    s = s * Math.exp(m - v) + 1;
                    m = v;
                }
            }
            logS[k] = m + Math.log(s);
        }
        double sum = 0;
        // forward: a1 = log Σ_{event groups ≤ k} d/S, a2 = log Σ d/S², over the groups whose risk set holds k
        double a1 = Double.NEGATIVE_INFINITY;
        double a2 = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < groups; k++) {
            int d = 0;
            for (int p = start[k]; p < start[k + 1]; p++) {
                int i = order[p];
                if (t[i] > 0) {
                    d++;
                    terms[i] = logS[k] - f[i];
                    sum += terms[i];
                }
            }
            if (g == null) {
                continue;
            }
            if (d > 0) {
                double logD = Math.log(d);
                a1 = logAddExp(a1, logD - logS[k]);
                a2 = logAddExp(a2, logD - 2 * logS[k]);
            }
            for (int p = start[k]; p < start[k + 1]; p++) {
                int i = order[p];
                // p_ik = exp(f_i − log S) ≤ 1 for each of these risk sets: no overflow
                double p1 = a1 == Double.NEGATIVE_INFINITY ? 0 : Math.exp(f[i] + a1);
                g[i] = scale * (p1 - (t[i] > 0 ? 1 : 0));
                if (h != null) {
                    double p2 = a2 == Double.NEGATIVE_INFINITY ? 0 : Math.exp(2 * f[i] + a2);
                    // Σ p(1 − p) ≥ 0; the difference rounds to a tiny negative where one sample dominates
                    h[i] = scale * Math.max(0, p1 - p2);
                }
            }
        }
        return sum;
    }

    /** log(e^a + e^b), with −∞ as the empty sum. */
    private static double logAddExp(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        double hi = Math.max(a, b);
        return hi + Math.log1p(Math.exp(Math.min(a, b) - hi));
    }

    /** Indices 0..n−1 in the order of |t| (stable: equal times keep their index order). */
    private static int[] sortByAbs(double[] t, int n, org.losses4j.Workspace ws) {
        int[] a = ws.ints(n);
        int[] b = ws.ints(n);
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        // bottom-up merge sort of the indices by |t|
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                for (int k = lo; k < hi; k++) {
                    if (i < mid && (j >= hi || Math.abs(t[a[i]]) <= Math.abs(t[a[j]]))) {
                        b[k] = a[i++];
                    } else {
                        b[k] = a[j++];
                    }
                }
            }
            int[] tmp = a;
            a = b;
            b = tmp;
        }
        return a;
    }
}
