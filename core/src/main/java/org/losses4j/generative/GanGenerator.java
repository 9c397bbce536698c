package org.losses4j.generative;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.AbstractLoss;
import org.losses4j.Check;
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
 * The GAN generator loss, in five common forms, from the discriminator's outputs {@code f}
 * on generated samples (logits for non_saturating and minimax):
 * <ul>
 * <li>{@code non_saturating} (default): {@code −mean log σ(f)} = {@code mean softplus(−f)};</li>
 * <li>{@code minimax}: {@code mean log(1 − σ(f))} = {@code −mean softplus(f)} (saturates when the
 * discriminator wins: its gradient vanishes for very negative f);</li>
 * <li>{@code lsgan}: {@code ½mean (f − 1)²};</li>
 * <li>{@code wgan} and {@code hinge}: {@code −mean f}.</li>
 * </ul>
 * Log-sigmoid terms are evaluated in the stable softplus form, finite and exact for logits
 * of any size (±1e4 included).
 *
 * <p>Shape: {@code fake} of any shape, not empty. Always a scalar: the mean divides by the
 * number of elements of {@code fake}. Gradient with respect to {@code fake}.
 *
 * <pre>{@code
 * Loss g = Losses.create("gan_generator", Map.of("kind", "wgan"));
 * g.compute(Inputs.of("fake", Tensor.vector(new double[] {1.0, 3.0}))).value();  // −2.0
 * }</pre>
 *
 * <p>References: Goodfellow et al. 2014 (minimax, non-saturating); Mao et al. 2017 (LSGAN);
 * Arjovsky et al. 2017 (WGAN); Lim &amp; Ye 2017 (hinge).
 */
public final class GanGenerator extends AbstractLoss {
    /**
     * {@code kind}: Which GAN objective the generator minimises. Default {@code non_saturating}; allowed: one of
     * non_saturating, minimax, lsgan, wgan, hinge.
     */
    public static final OptionSpec<String> KIND = OptionSpec.choice("kind", "non_saturating",
            "which GAN objective the generator minimises", "non_saturating", "minimax", "lsgan", "wgan", "hinge");

    public static final LossInfo INFO = LossInfo.builder("gan_generator", Family.GENERATIVE)
            .summary("generator loss of a GAN: pushes the discriminator's verdict on generated samples towards real")
            .formula("non_saturating: −mean log σ(fake); minimax: mean log(1 − σ(fake)); lsgan: ½mean(fake − 1)²;"
                    + " wgan and hinge: −mean fake")
            .gradInput("fake", "any shape: discriminator outputs on generated samples (logits for"
                    + " non_saturating and minimax)")
            .options(KIND)
            .divisor("always a scalar: the mean divides by the number of elements of fake")
            .tasks("GAN training (generator step)")
            .reference("Goodfellow et al. 2014; Mao et al. 2017 (LSGAN); Arjovsky et al. 2017 (WGAN);"
                    + " Lim & Ye 2017 (hinge)")
            .layout(LossInfo.Layout.SCALAR)
            .example((r, n, o) -> Inputs.of("fake", Examples.t(Examples.gauss(r, n * 3, 1.5), n, 3)))
            .factory(GanGenerator::new)
            .build();

    private static final int NON_SATURATING = 0, MINIMAX = 1, LSGAN = 2, LINEAR = 3;

    private final int kind;

    private GanGenerator(Options o) {
        super(INFO, o);
        switch (o.get(KIND)) {
            case "minimax":
                kind = MINIMAX;
                break;
            case "lsgan":
                kind = LSGAN;
                break;
            case "wgan":
            case "hinge":
                kind = LINEAR;
                break;
            default:
                kind = NON_SATURATING;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code GanGenerator}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<GanGenerator, Builder> {
        private Builder() {
            super(INFO, GanGenerator.class);
        }

        /**
         * {@code kind}: Which GAN objective the generator minimises. Default {@code non_saturating}; allowed:
         * one of non_saturating, minimax, lsgan, wgan, hinge.
         */
        public Builder kind(String value) {
            return set(KIND, value);
        }
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor fake = call.input("fake");
        Check.nonEmpty("fake", fake);
        double[] f = GanDiscriminator.data(fake);
        double[] gf = call.gradient("fake", fake);
        double s = call.reduce(f.length);
        double sum = 0;
        switch (kind) {
            case NON_SATURATING:
                // −log σ(f) = softplus(−f); d/df = −σ(−f)
                for (int i = 0; i < f.length; i++) {
                    double z = f[i];
                    sum += GanDiscriminator.softplus(-z);
                    if (gf != null) {
                        gf[i] = -GanDiscriminator.sigmoid(-z) * s;
                    }
                }
                break;
            case MINIMAX:
                // log(1 − σ(f)) = −softplus(f); d/df = −σ(f)
                for (int i = 0; i < f.length; i++) {
                    double z = f[i];
                    sum -= GanDiscriminator.softplus(z);
                    if (gf != null) {
                        gf[i] = -GanDiscriminator.sigmoid(z) * s;
                    }
                }
                break;
            case LSGAN:
                for (int i = 0; i < f.length; i++) {
                    double d = f[i] - 1;
                    sum += 0.5 * d * d;
                    if (gf != null) {
                        gf[i] = d * s;
                    }
                }
                break;
            default: // wgan, hinge: −mean f
                for (int i = 0; i < f.length; i++) {
                    sum -= f[i];
                    if (gf != null) {
                        gf[i] = -s;
                    }
                }
        }
        return call.finish(sum);
    }
}
