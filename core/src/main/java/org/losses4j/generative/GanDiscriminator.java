package org.losses4j.generative;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.AbstractLoss;
import org.losses4j.Check;
import org.losses4j.DType;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossCall;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Tensor;

/**
 * The GAN discriminator (critic) loss, in four common forms.
 *
 * <p>With {@code r} the discriminator's outputs on real samples and {@code f} on generated
 * ones (logits for minimax):
 * <ul>
 * <li>{@code minimax}: {@code −mean log σ(r) − mean log(1 − σ(f))}, computed as
 * {@code mean softplus(−r) + mean softplus(f)}, finite and exact for any logits;</li>
 * <li>{@code lsgan}: {@code ½mean (r − 1)² + ½mean f²};</li>
 * <li>{@code wgan}: {@code mean f − mean r};</li>
 * <li>{@code hinge}: {@code mean max(0, 1 − r) + mean max(0, 1 + f)}, subgradient 0 at the kinks
 * {@code r = 1}, {@code f = −1}.</li>
 * </ul>
 *
 * <p>Shapes: {@code real} and {@code fake} of any shapes, which may differ (e.g. a real batch
 * of 64 and a fake batch of 32); neither may be empty. Always a scalar: each mean divides by
 * the number of elements of its own tensor. Gradients with respect to both {@code real} and
 * {@code fake}.
 *
 * <pre>{@code
 * Loss d = GanDiscriminator.builder().set(GanDiscriminator.KIND, "hinge").build();
 * LossResult r = d.compute(Inputs.of("real", Tensor.vector(new double[] {2.0, 0.5}))
 *                                .with("fake", Tensor.vector(new double[] {-0.5})));
 * r.value();  // (0 + 0.5)/2 + 0.5 = 0.75
 * }</pre>
 *
 * <p>References: Goodfellow et al. 2014 (minimax); Mao et al. 2017 (LSGAN); Arjovsky et al.
 * 2017 (WGAN); Lim &amp; Ye 2017, Miyato et al. 2018 (hinge).
 */
public final class GanDiscriminator extends AbstractLoss {
    /**
     * {@code kind}: Which GAN objective the discriminator minimises. Default {@code minimax}; allowed: one of minimax,
     * lsgan, wgan, hinge.
     */
    public static final OptionSpec<String> KIND = OptionSpec.choice("kind", "minimax",
            "which GAN objective the discriminator minimises", "minimax", "lsgan", "wgan", "hinge");

    public static final LossInfo INFO = LossInfo.builder("gan_discriminator", Family.GENERATIVE)
            .summary("discriminator/critic loss of a GAN: separates real from generated samples")
            .formula("minimax: −mean log σ(real) − mean log(1 − σ(fake)); lsgan: ½mean(real − 1)² + ½mean fake²;"
                    + " wgan: mean fake − mean real; hinge: mean max(0, 1 − real) + mean max(0, 1 + fake)")
            .gradInput("real", "any shape: discriminator outputs on real samples (logits for minimax)")
            .gradInput("fake", "any shape (may differ from real's): discriminator outputs on generated samples")
            .options(KIND)
            .divisor("always a scalar: each mean divides by the number of elements of its own tensor")
            .convex(true)
            .tasks("GAN training (discriminator step)", "WGAN critic")
            .reference("Goodfellow et al. 2014; Mao et al. 2017 (LSGAN); Arjovsky et al. 2017 (WGAN);"
                    + " Lim & Ye 2017 (hinge)")
            .layout(LossInfo.Layout.SCALAR)
            .example((r, n, o) -> Inputs.of("real", Examples.t(Examples.gauss(r, n * 3, 1.5), n, 3))
                    .with("fake", Examples.t(Examples.gauss(r, n * 2, 1.5), n, 2)))
            .factory(GanDiscriminator::new)
            .build();

    private static final int MINIMAX = 0, LSGAN = 1, WGAN = 2, HINGE = 3;

    private final int kind;

    private GanDiscriminator(Options o) {
        super(INFO, o);
        switch (o.get(KIND)) {
            case "lsgan":
                kind = LSGAN;
                break;
            case "wgan":
                kind = WGAN;
                break;
            case "hinge":
                kind = HINGE;
                break;
            default:
                kind = MINIMAX;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code GanDiscriminator}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<GanDiscriminator, Builder> {
        private Builder() {
            super(INFO, GanDiscriminator.class);
        }

        /**
         * {@code kind}: Which GAN objective the discriminator minimises. Default {@code minimax}; allowed: one
         * of minimax, lsgan, wgan, hinge.
         */
        public Builder kind(String value) {
            return set(KIND, value);
        }
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor real = call.input("real");
        Tensor fake = call.input("fake");
        Check.nonEmpty("real", real);
        Check.nonEmpty("fake", fake);
        double[] r = data(real);
        double[] f = data(fake);
        double[] gr = call.gradient("real", real);
        double[] gf = call.gradient("fake", fake);
        // two means, each over its own tensor (both checked non-empty above)
        double sr = 1.0 / r.length;
        double sf = 1.0 / f.length;
        double sumR = 0;
        double sumF = 0;
        switch (kind) {
            case MINIMAX:
                // −log σ(r) = softplus(−r), d/dr = −σ(−r); −log(1 − σ(f)) = softplus(f), d/df = σ(f)
                for (int i = 0; i < r.length; i++) {
                    double z = r[i];
                    sumR += softplus(-z);
                    if (gr != null) {
                        gr[i] = -sigmoid(-z) * sr;
                    }
                }
                for (int i = 0; i < f.length; i++) {
                    double z = f[i];
                    sumF += softplus(z);
                    if (gf != null) {
                        gf[i] = sigmoid(z) * sf;
                    }
                }
                break;
            case LSGAN:
                for (int i = 0; i < r.length; i++) {
                    double d = r[i] - 1;
                    sumR += 0.5 * d * d;
                    if (gr != null) {
                        gr[i] = d * sr;
                    }
                }
                for (int i = 0; i < f.length; i++) {
                    double d = f[i];
                    sumF += 0.5 * d * d;
                    if (gf != null) {
                        gf[i] = d * sf;
                    }
                }
                break;
            case WGAN:
                for (int i = 0; i < r.length; i++) {
                    sumR -= r[i];
                    if (gr != null) {
                        gr[i] = -sr;
                    }
                }
                for (int i = 0; i < f.length; i++) {
                    sumF += f[i];
                    if (gf != null) {
                        gf[i] = sf;
                    }
                }
                break;
            default: // HINGE; subgradient 0 at the kinks r = 1, f = −1
                for (int i = 0; i < r.length; i++) {
                    double m = 1 - r[i];
                    sumR += Math.max(0, m);
                    if (gr != null) {
                        gr[i] = m > 0 ? -sr : 0;
                    }
                }
                for (int i = 0; i < f.length; i++) {
                    double m = 1 + f[i];
                    sumF += Math.max(0, m);
                    if (gf != null) {
                        gf[i] = m > 0 ? sf : 0;
                    }
                }
        }
        return call.finishValue(sumR * sr + sumF * sf);
    }

    /** softplus(z) = log(1 + eˣ) = max(z, 0) + log1p(e^−|z|): no overflow for any z. */
    static double softplus(double z) {
        return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    }

    /** σ(z) without overflow: e^z is only evaluated for z &lt; 0. */
    static double sigmoid(double z) {
        if (z >= 0) {
            return 1 / (1 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1 + e);
    }

    static double[] data(Tensor t) {
        return t.dtype() == DType.FLOAT64 ? t.f64() : t.toDoubleArray();
    }
}
