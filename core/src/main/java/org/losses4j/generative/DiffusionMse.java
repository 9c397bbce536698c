package org.losses4j.generative;

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
import org.losses4j.Tensor;

/**
 * The denoising-diffusion training loss (ε-prediction MSE), optionally with Min-SNR-γ
 * weighting.
 *
 * <p>Per sample n: {@code ℓ_n = w_n · mean_i (x_{n,i} − y_{n,i})²} over the sample's elements,
 * with {@code w_n = min(snr_n, γ)/snr_n} when {@code min_snr_gamma = γ} is set and
 * {@code w_n = 1} when it is {@code null} (the default). The loss is {@code mean_n ℓ_n}.
 * Gradient with respect to {@code input}: {@code 2 w_n (x − y) / (N·D)} where D is the
 * number of elements per sample.
 *
 * <p>Shapes: {@code input} (predicted noise) and {@code target} (true noise) {@code [N, *]},
 * the same shape, not empty; {@code snr} {@code [N]}, every value &gt; 0, required when
 * {@code min_snr_gamma} is set and ignored when it is null. Always a scalar: the outer mean
 * divides by N, each inner mean by D.
 *
 * <pre>{@code
 * Loss l = DiffusionMse.builder().set(DiffusionMse.MIN_SNR_GAMMA, 5.0).build();
 * Inputs in = Inputs.of(Tensor.of(new double[] {1, 1, 0, 2}, 2, 2),    // predicted noise, N = 2
 *                       Tensor.of(new double[] {0, 1, 0, 0}, 2, 2))    // true noise
 *                   .with("snr", Tensor.vector(new double[] {1.0, 20.0}));
 * l.compute(in).value();  // (1·0.5 + (5/20)·2) / 2 = 0.5
 * }</pre>
 *
 * <p>References: Ho et al. 2020, "Denoising Diffusion Probabilistic Models"; Hang et al. 2023,
 * "Efficient Diffusion Training via Min-SNR Weighting Strategy".
 */
public final class DiffusionMse extends AbstractLoss {
    /**
     * {@code min_snr_gamma}: γ of Min-SNR-γ weighting min(snr, γ)/snr; null = unweighted. Default {@code null};
     * allowed: &gt; 0.
     */
    public static final OptionSpec<Double> MIN_SNR_GAMMA = OptionSpec.nullableReal("min_snr_gamma", null,
            OptionSpec.Range.POSITIVE, "γ of Min-SNR-γ weighting min(snr, γ)/snr; null = unweighted");

    public static final LossInfo INFO = LossInfo.builder("diffusion_mse", Family.GENERATIVE)
            .summary("diffusion-model noise-prediction MSE, optionally Min-SNR-γ weighted per sample")
            .formula("mean_n [w_n · mean_i (x_{n,i} − y_{n,i})²], w_n = min(snr_n, γ)/snr_n when γ is set, else 1")
            .gradInput("input", "[N, *]: predicted noise")
            .input("target", "[N, *], same shape as input: the true noise")
            .optionalInput("snr", "[N], > 0: signal-to-noise ratio of each sample's timestep (required when"
                    + " min_snr_gamma is set, ignored when it is null)")
            .options(MIN_SNR_GAMMA)
            .divisor("always a scalar: the mean over each sample's elements, then the mean over N")
            .convex(true)
            .tasks("diffusion model training (ε-prediction)", "Min-SNR-γ weighted diffusion training")
            .reference("Ho et al. 2020 (DDPM); Hang et al. 2023 (Min-SNR-γ)")
            .layout(LossInfo.Layout.SCALAR)
            .example((r, n, o) -> Inputs.of(Examples.t(Examples.gauss(r, n * 6, 1), n, 2, 3),
                    Examples.t(Examples.gauss(r, n * 6, 1), n, 2, 3))
                    .with("snr", Examples.t(Examples.uniform(r, n, 0.3, 6), n)))
            .exampleOption("min_snr_gamma", 2.0) // so the snr input takes part
            .factory(DiffusionMse::new)
            .build();

    private final Double gamma;

    private DiffusionMse(Options o) {
        super(INFO, o);
        this.gamma = o.get(MIN_SNR_GAMMA);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code DiffusionMse}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<DiffusionMse, Builder> {
        private Builder() {
            super(INFO, DiffusionMse.class);
        }

        /**
         * {@code min_snr_gamma}: γ of Min-SNR-γ weighting min(snr, γ)/snr; null = unweighted. Default {@code
         * null}; allowed: &gt; 0.
         */
        public Builder minSnrGamma(Double value) {
            return set(MIN_SNR_GAMMA, value);
        }
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor input = call.input("input");
        Tensor target = call.input("target");
        Check.sameShape("input", input, "target", target);
        if (input.rank() < 1) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "input must be [N, *] (rank >= 1, one row per"
                    + " sample), got shape " + input.shapeString());
        }
        Check.nonEmpty("input", input);
        int n = input.dim(0);
        int d = input.size() / n;
        double[] snr = null;
        if (gamma != null) {
            Tensor s = call.input("snr");
            if (s == null) {
                throw new LossException(ErrorKind.MISSING_INPUT, "min_snr_gamma = " + gamma + " needs input 'snr'"
                        + " ([N] signal-to-noise ratios): the weight min(snr, γ)/snr is undefined without it");
            }
            if (s.rank() != 1 || s.dim(0) != n) {
                throw new LossException(ErrorKind.SHAPE_MISMATCH, "snr shape " + s.shapeString() + " != [" + n
                        + "] (one value per sample of input " + input.shapeString() + ")");
            }
            Check.greater("snr", s, 0);
            snr = GanDiscriminator.data(s);
        }
        double[] x = GanDiscriminator.data(input);
        double[] y = GanDiscriminator.data(target);
        double[] gx = call.gradient("input", input);
        call.reduce(n);
        double inner = 1.0 / d;
        double sum = 0;
        for (int row = 0, off = 0; row < n; row++, off += d) {
            double w = snr == null ? 1.0 : Math.min(snr[row], gamma) / snr[row];
            double ss = 0;
            for (int k = off; k < off + d; k++) {
                double e = x[k] - y[k];
                ss += e * e;
            }
            sum += w * (ss * inner);
            if (gx != null) {
                double c = 2 * w * inner * call.scale();
                for (int k = off; k < off + d; k++) {
                    gx[k] = c * (x[k] - y[k]);
                }
            }
        }
        return call.finish(sum);
    }
}
