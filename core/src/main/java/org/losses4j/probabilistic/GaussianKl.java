package org.losses4j.probabilistic;

import org.losses4j.AbstractLoss;
import org.losses4j.Check;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossBuilder;
import org.losses4j.LossCall;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * KL divergence of a diagonal Gaussian N(μ, σ²) from the standard normal N(0, I): the VAE
 * latent regulariser.
 *
 * <p>Term per row n: {@code −½ Σ_d (1 + logvar − μ² − e^logvar)}, evaluated as
 * {@code ½ Σ_d (μ² + (e^logvar − 1 − logvar))} with the bracket evaluated without
 * cancellation, so that it stays accurate (and ≥ 0) when logvar is near 0. Gradients: ∂/∂μ = μ, ∂/∂logvar = ½(e^logvar − 1).
 *
 * <p>Shapes: mu and logvar [N, D], the same. {@code mean} (default) divides by N (one term per
 * row); {@code none} returns the N row terms.
 *
 * <p>Reference: Kingma &amp; Welling (2014), "Auto-Encoding Variational Bayes", appendix B.
 */
public final class GaussianKl extends AbstractLoss {
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("gaussian_kl", Family.PROBABILISTIC)
            .summary("KL(N(μ, σ²) ‖ N(0, I)) per sample: the VAE latent regulariser")
            .formula("−½ Σ_d (1 + logvar − μ² − e^logvar) per row")
            .gradInput("mu", "[N, D] means")
            .gradInput("logvar", "[N, D] log-variances, same shape as mu")
            .options(REDUCTION)
            .divisor("the batch size N (one term per row)")
            .convex(true)
            .tasks("variational autoencoders", "latent-space regularisation")
            .reference("Kingma & Welling 2014, Auto-Encoding Variational Bayes")
            .layout(LossInfo.Layout.ROW)
            .example((r, n, o) -> Inputs.of("mu", Examples.t(Examples.gauss(r, n * 3, 1), n, 3))
                    .with("logvar", Examples.t(Examples.gauss(r, n * 3, 0.7), n, 3)))
            .factory(GaussianKl::new)
            .build();

    private GaussianKl(Options o) {
        super(INFO, o);
    }

    public static LossBuilder<GaussianKl> builder() {
        return new LossBuilder<>(INFO, GaussianKl.class);
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor mt = call.input("mu");
        Tensor vt = call.input("logvar");
        Check.rank("mu", mt, 2);
        Check.sameShape("mu", mt, "logvar", vt);
        int rows = mt.dim(0);
        int d = mt.dim(1);
        double s = call.reduce(rows);
        double[] mu = mt.f64();
        double[] lv = vt.f64();
        double[] terms = call.keepsTerms() ? call.terms(rows) : null;
        double[] dmu = call.gradient("mu", mt);
        double[] dlv = call.gradient("logvar", vt);
        double sum = 0;
        for (int n = 0; n < rows; n++) {
            double row = 0;
            for (int k = n * d, end = k + d; k < end; k++) {
                double m = mu[k];
                double v = lv[k];
                row += m * m + DivergenceSupport.expm1MinusX(v);
                if (dmu != null) {
                    dmu[k] = m * s;
                    dlv[k] = 0.5 * Math.expm1(v) * s;
                }
            }
            row *= 0.5;
            sum += row;
            if (terms != null) {
                terms[n] = row;
            }
        }
        return terms != null ? call.finish(terms, rows) : call.finish(sum);
    }
}
