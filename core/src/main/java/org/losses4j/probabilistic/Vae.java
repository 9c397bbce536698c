package org.losses4j.probabilistic;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.AbstractLoss;
import org.losses4j.Check;
import org.losses4j.ErrorKind;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossCall;
import org.losses4j.LossException;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * The variational-autoencoder loss (negative ELBO): reconstruction error plus β times the KL of
 * the approximate posterior N(μ, σ²) from N(0, I); β ≠ 1 is the β-VAE.
 *
 * <p>Term per row n: {@code Σ_i rec(x_i, y_i) + β·½ Σ_d (μ² + e^logvar − 1 − logvar)}, the first
 * sum over that row's elements of recon, with {@code reconstruction}:
 * <ul>
 *   <li>{@code bce} (default; recon are probabilities in [0, 1]):
 *       −[y·max(log x, −100) + (1 − y)·max(log(1 − x), −100)], gradient (as PyTorch BCELoss)
 *       (x − y)/max(x(1 − x), 1e-12), also where the clamp is active;</li>
 *   <li>{@code bce_with_logits} (recon are logits z): max(z, 0) − z·y + log(1 + e^−|z|), stable for
 *       any z, gradient σ(z) − y;</li>
 *   <li>{@code mse}: (x − y)², gradient 2(x − y).</li>
 * </ul>
 * Gradients with respect to recon, mu (β·μ) and logvar (β·½(e^logvar − 1)).
 *
 * <p>Shapes: recon and target [N, *], the same; mu and logvar [N, D], the same, with the same N.
 * Domain: target in [0, 1] for the two BCE reconstructions, recon in [0, 1] for {@code bce}.
 * {@code mean} (default) divides by N (one term per row); {@code none} returns the N row terms.
 *
 * <p>Reference: Kingma &amp; Welling (2014), "Auto-Encoding Variational Bayes"; Higgins et al.
 * (2017), "β-VAE".
 */
public final class Vae extends AbstractLoss {
    /**
     * {@code reconstruction}: Reconstruction error summed over each row. Default {@code bce}; allowed: one of bce,
     * bce_with_logits, mse.
     */
    public static final OptionSpec<String> RECONSTRUCTION = OptionSpec.choice("reconstruction", "bce",
            "reconstruction error summed over each row", "bce", "bce_with_logits", "mse");
    /**
     * {@code beta}: Weight of the KL term (β-VAE when ≠ 1) (at most 1e15: larger values overflow the weighted value or
     * its float32 gradient). Default {@code 1.0}; allowed: in [0, 1e15].
     */
    public static final OptionSpec<Double> BETA = OptionSpec.real("beta", 1.0, OptionSpec.Range.BOUNDED_NON_NEGATIVE,
            "weight of the KL term (β-VAE when ≠ 1) (at most 1e15: larger values overflow the weighted value or its float32 gradient)");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("vae", Family.PROBABILISTIC)
            .summary("negative ELBO: per-sample reconstruction error + β·KL(N(μ, σ²) ‖ N(0, I)) (β-VAE)")
            .formula("Σ_row rec(x, y) + β·(−½ Σ_d (1 + logvar − μ² − e^logvar)) per row")
            .gradInput("recon", "[N, *] reconstruction: probabilities (bce), logits (bce_with_logits) or values (mse)")
            .input("target", "same shape as recon (in [0, 1] for bce and bce_with_logits)")
            .gradInput("mu", "[N, D] latent means")
            .gradInput("logvar", "[N, D] latent log-variances, same shape as mu")
            .options(RECONSTRUCTION, BETA, REDUCTION)
            .divisor("the batch size N (one term per row)")
            .convex(true)
            .tasks("variational autoencoders", "β-VAE disentanglement", "generative modelling")
            .reference("Kingma & Welling 2014; Higgins et al. 2017 (β-VAE)")
            .layout(LossInfo.Layout.ROW)
            .example((r, n, o) -> {
                double[] x = o.get(RECONSTRUCTION).equals("bce") ? Examples.uniform(r, n * 5, 0.05, 0.95)
                        : Examples.gauss(r, n * 5, 1.5);
                return Inputs.of("recon", Examples.t(x, n, 5))
                        .with("target", Examples.t(Examples.uniform(r, n * 5, 0, 1), n, 5))
                        .with("mu", Examples.t(Examples.gauss(r, n * 3, 1), n, 3))
                        .with("logvar", Examples.t(Examples.gauss(r, n * 3, 0.7), n, 3));
            })
            .factory(Vae::new)
            .build();

    private static final int BCE = 0;
    private static final int LOGITS = 1;
    private static final int MSE = 2;
    private static final double LOG_CLAMP = -100.0;
    private static final double BCE_EPS = 1e-12;

    private final int kind;
    private final double beta;

    private Vae(Options o) {
        super(INFO, o);
        String rec = o.get(RECONSTRUCTION);
        this.kind = "bce".equals(rec) ? BCE : "bce_with_logits".equals(rec) ? LOGITS : MSE;
        this.beta = o.real(BETA);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code Vae}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<Vae, Builder> {
        private Builder() {
            super(INFO, Vae.class);
        }

        /**
         * {@code reconstruction}: Reconstruction error summed over each row. Default {@code bce}; allowed: one
         * of bce, bce_with_logits, mse.
         */
        public Builder reconstruction(String value) {
            return set(RECONSTRUCTION, value);
        }

        /**
         * {@code beta}: Weight of the KL term (β-VAE when ≠ 1) (at most 1e15: larger values overflow the
         * weighted value or its float32 gradient). Default {@code 1.0}; allowed: in [0, 1e15].
         */
        public Builder beta(double value) {
            return set(BETA, value);
        }
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor xt = call.input("recon");
        Tensor yt = call.input("target");
        Tensor mt = call.input("mu");
        Tensor vt = call.input("logvar");
        Check.sameShape("recon", xt, "target", yt);
        DivergenceSupport.batched("recon", xt);
        Check.rank("mu", mt, 2);
        Check.sameShape("mu", mt, "logvar", vt);
        if (mt.dim(0) != xt.dim(0)) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "mu shape " + mt.shapeString() + " has batch size "
                    + mt.dim(0) + " but recon shape " + xt.shapeString() + " has " + xt.dim(0));
        }
        if (kind != MSE) {
            Check.closed("target", yt, 0, 1);
        }
        if (kind == BCE) {
            Check.closed("recon", xt, 0, 1);
        }
        int rows = xt.dim(0);
        double s = call.reduce(rows);
        int len = rows == 0 ? 0 : xt.size() / rows;
        int d = mt.dim(1);
        double[] x = xt.f64();
        double[] y = yt.f64();
        double[] mu = mt.f64();
        double[] lv = vt.f64();
        double[] terms = call.keepsTerms() ? call.terms(rows) : null;
        double[] dx = call.gradient("recon", xt);
        double[] dmu = call.gradient("mu", mt);
        double[] dlv = call.gradient("logvar", vt);
        double bs = beta * s;
        double sum = 0;
        for (int n = 0; n < rows; n++) {
            int from = n * len;
            double rec;
            switch (kind) {
                case BCE:
                    rec = bce(x, y, dx, from, from + len, s);
                    break;
                case LOGITS:
                    rec = bceWithLogits(x, y, dx, from, from + len, s);
                    break;
                default:
                    rec = mse(x, y, dx, from, from + len, s);
            }
            double kl = 0;
            for (int k = n * d, end = k + d; k < end; k++) {
                double m = mu[k];
                double v = lv[k];
                kl += m * m + DivergenceSupport.expm1MinusX(v);
                if (dmu != null) {
                    dmu[k] = m * bs;
                    dlv[k] = 0.5 * Math.expm1(v) * bs;
                }
            }
            double term = rec + beta * 0.5 * kl;
            sum += term;
            if (terms != null) {
                terms[n] = term;
            }
        }
        return terms != null ? call.finish(terms, rows) : call.finish(sum);
    }

    /** Σ BCE over x[from, to) on probabilities, log clamped at −100; writes the scaled PyTorch gradient. */
    private static double bce(double[] x, double[] y, double[] dx, int from, int to, double s) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            double p = x[i];
            double t = y[i];
            double lp = Math.max(Math.log(p), LOG_CLAMP);
            double l1p = Math.max(Math.log1p(-p), LOG_CLAMP);
            sum -= t * lp + (1 - t) * l1p;
            if (dx != null) {
                dx[i] = (p - t) / Math.max(p * (1 - p), BCE_EPS) * s;
            }
        }
        return sum;
    }

    /** Σ BCE over x[from, to) on logits, stable for any z; writes the scaled gradient σ(z) − y. */
    private static double bceWithLogits(double[] x, double[] y, double[] dx, int from, int to, double s) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            double z = x[i];
            double t = y[i];
            double e = Math.exp(-Math.abs(z)); // in (0, 1]: never overflows
            sum += Math.max(z, 0) - z * t + Math.log1p(e);
            if (dx != null) {
                double sig = z >= 0 ? 1 / (1 + e) : e / (1 + e);
                dx[i] = (sig - t) * s;
            }
        }
        return sum;
    }

    /** Σ (x − y)² over x[from, to); writes the scaled gradient 2(x − y). */
    private static double mse(double[] x, double[] y, double[] dx, int from, int to, double s) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            double diff = x[i] - y[i];
            sum += diff * diff;
            if (dx != null) {
                dx[i] = 2 * diff * s;
            }
        }
        return sum;
    }
}
