package org.losses4j.vision;

import java.util.List;
import org.losses4j.AbstractLossBuilder;
import org.losses4j.AbstractLoss;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossCall;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.Options;
import org.losses4j.Tensor;

/**
 * The registry face of the perceptual loss, for one compared layer: {@code λ·mean((Φ(I) − Φ(Î))²)}
 * over the feature maps {@code input_features} and {@code target_features} (same shape, e.g.
 * [N, C, H, W]); the gradient is with respect to {@code input_features}. For several layers, or
 * to run your own {@link FeatureExtractor}, use {@link PerceptualLayers} directly; this entry
 * delegates to it, so both compute the same numbers.
 *
 * <p>Reference: Johnson, Alahi &amp; Fei-Fei 2016, "Perceptual Losses for Real-Time Style
 * Transfer and Super-Resolution".
 */
public final class Perceptual extends AbstractLoss {
    public static final LossInfo INFO = LossInfo.builder("perceptual", Family.SEGMENTATION)
            .summary("feature reconstruction loss: squared distance of feature maps from a fixed network"
                    + " (several layers: the PerceptualLayers API)")
            .formula("Σ_j λ_j·mean((Φ_j(I) − Φ_j(Î))²); here one layer j")
            .gradInput("input_features", "a feature map Φ(I) of the generated image, any shape")
            .input("target_features", "Φ(Î) of the reference image, same shape")
            .options(PerceptualLayers.LAYER_WEIGHTS)
            .divisor("the number of elements of the feature map (a scalar loss)")
            .convex(true)
            .tasks("style transfer", "super-resolution", "image generation")
            .reference("Johnson, Alahi & Fei-Fei 2016")
            .layout(LossInfo.Layout.SCALAR)
            .example((r, n, o) -> Inputs.of("input_features", Examples.t(Examples.gauss(r, n * 12, 1), n, 3, 2, 2))
                    .with("target_features", Examples.t(Examples.gauss(r, n * 12, 1), n, 3, 2, 2)))
            .factory(Perceptual::new)
            .build();

    private final PerceptualLayers loss;

    private Perceptual(Options o) {
        super(INFO, o);
        double[] w = o.get(PerceptualLayers.LAYER_WEIGHTS);
        if (w != null && w.length != 1) {
            throw new org.losses4j.LossException(org.losses4j.ErrorKind.INVALID_OPTION, "option layer_weights has "
                    + w.length + " weights but the registry perceptual loss compares one layer (use PerceptualLayers"
                    + " for several)");
        }
        this.loss = w == null ? PerceptualLayers.unweighted() : PerceptualLayers.of(w);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code Perceptual}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<Perceptual, Builder> {
        private Builder() {
            super(INFO, Perceptual.class);
        }

        /**
         * {@code layer_weights}: Weight λ of the one compared layer (the registry loss compares one layer;
         * {@link PerceptualLayers} compares several). Default {@code null} (weight 1); allowed: a list of
         * numbers, here of length 1.
         */
        public Builder layerWeights(double... value) {
            return set(PerceptualLayers.LAYER_WEIGHTS, value == null ? null : value.clone());
        }
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor x = call.require("input_features");
        Tensor y = call.require("target_features");
        if (!call.wantsGradient()) {
            return call.finishValue(loss.value(List.of(x), List.of(y)));
        }
        PerceptualLayers.Result r = loss.compute(List.of(x), List.of(y));
        double[] out = call.gradient("input_features", x);
        System.arraycopy(r.grad(0).f64(), 0, out, 0, out.length);
        return call.finishValue(r.value());
    }
}
