package org.losses4j.vision;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.losses4j.Check;
import org.losses4j.DType;
import org.losses4j.ErrorKind;
import org.losses4j.LossException;
import org.losses4j.OptionSpec;
import org.losses4j.Tensor;

/**
 * Perceptual (feature reconstruction) loss: the weighted mean squared distance between the
 * feature maps of two images under a fixed feature network.
 *
 * <p>{@code L = Σ_j λ_j · mean((Φ_j(I) − Φ_j(Î))²)}, each mean over every element of layer
 * j's feature map (batch included, {@code 1/(N·C_j·H_j·W_j)} for [N, C_j, H_j, W_j] maps).
 * The gradient returned is with respect to the INPUT feature maps Φ_j(I):
 * {@code 2λ_j(Φ_j(I) − Φ_j(Î)) / M_j}; chain it through your network to get the image
 * gradient.
 *
 * <pre>{@code
 * PerceptualLayers loss = PerceptualLayers.of(1.0, 0.5);            // λ for two layers
 * PerceptualLayers.Result r = loss.compute(vgg, generated, reference);
 * double value = r.value();
 * List<Tensor> featureGrads = r.inputFeatureGrads();           // back-propagate through vgg
 * }</pre>
 *
 * <p>Not a registry loss (its inputs are lists of feature maps, not named tensors): this
 * class is the API. Feature maps may be float32 or float64 (sums in float64); each gradient
 * has the dtype of its feature map. Immutable and thread-safe.
 *
 * <p>Reference: Johnson, Alahi &amp; Fei-Fei 2016, "Perceptual Losses for Real-Time Style
 * Transfer and Super-Resolution".
 */
public final class PerceptualLayers {
    /**
     * {@code layer_weights}: Weight λ_j of each compared layer (null: 1 for every layer). Default {@code null};
     * allowed: a list of numbers.
     */
    public static final OptionSpec<double[]> LAYER_WEIGHTS = OptionSpec.realList("layer_weights", null,
            "weight λ_j of each compared layer (null: 1 for every layer)");

    private final double[] weights;

    private PerceptualLayers(double[] weights) {
        this.weights = weights;
    }

    /** Every layer weighted 1, for any number of layers. */
    public static PerceptualLayers unweighted() {
        return new PerceptualLayers(null);
    }

    /** One weight per layer, each finite and ≥ 0 (the feature lists must then have that many layers). */
    public static PerceptualLayers of(double... layerWeights) {
        if (layerWeights == null) {
            return unweighted();
        }
        if (layerWeights.length == 0) {
            throw new LossException(ErrorKind.INVALID_OPTION, "option layer_weights is empty: give one weight per layer "
                    + "(or none for weight 1 everywhere)");
        }
        for (int j = 0; j < layerWeights.length; j++) {
            double v = layerWeights[j];
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new LossException(ErrorKind.INVALID_OPTION, "option layer_weights[" + j + "] = " + v
                        + " must be finite and >= 0");
            }
        }
        return new PerceptualLayers(layerWeights.clone());
    }

    /** The weights, or null when every layer weighs 1. */
    public double[] layerWeights() {
        return weights == null ? null : weights.clone();
    }

    /** The value and the gradients with respect to {@code inputFeatures}. */
    public Result compute(List<Tensor> inputFeatures, List<Tensor> targetFeatures) {
        return run(inputFeatures, targetFeatures, true);
    }

    /** The value only. */
    public double value(List<Tensor> inputFeatures, List<Tensor> targetFeatures) {
        return run(inputFeatures, targetFeatures, false).value();
    }

    /**
     * Runs {@code extractor} on both image batches and compares the features; the result
     * also carries the input's feature maps, for the caller's backward pass.
     */
    public Result compute(FeatureExtractor extractor, Tensor input, Tensor target) {
        if (extractor == null) {
            throw new LossException(ErrorKind.MISSING_INPUT, "perceptual loss needs a feature extractor");
        }
        if (input == null || target == null) {
            throw new LossException(ErrorKind.MISSING_INPUT, "perceptual loss needs an input and a target image batch");
        }
        Check.sameShape("input", input, "target", target);
        return run(extractor.extract(input), extractor.extract(target), true);
    }

    private Result run(List<Tensor> in, List<Tensor> tg, boolean grad) {
        if (in == null || tg == null) {
            throw new LossException(ErrorKind.MISSING_INPUT, "perceptual loss needs input_features and target_features");
        }
        int layers = in.size();
        if (tg.size() != layers) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "input_features has " + layers
                    + " layers but target_features has " + tg.size());
        }
        if (layers == 0) {
            throw new LossException(ErrorKind.EMPTY_INPUT, "input_features is empty: the loss needs at least one layer");
        }
        if (weights != null && weights.length != layers) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "layer_weights has " + weights.length
                    + " entries but the feature lists have " + layers + " layers");
        }
        for (int j = 0; j < layers; j++) {
            String a = "input_features[" + j + "]";
            String b = "target_features[" + j + "]";
            Tensor x = in.get(j);
            Tensor y = tg.get(j);
            if (x == null || y == null) {
                throw new LossException(ErrorKind.MISSING_INPUT, (x == null ? a : b) + " is null");
            }
            Check.dtype(a, x, false);
            Check.dtype(b, y, false);
            Check.sameShape(a, x, b, y);
            Check.nonEmpty(a, x);
        }
        double total = 0;
        double[] perLayer = new double[layers];
        List<Tensor> grads = grad ? new ArrayList<>(layers) : null;
        for (int j = 0; j < layers; j++) {
            Tensor x = in.get(j);
            Tensor y = tg.get(j);
            double lambda = weights == null ? 1.0 : weights[j];
            int m = x.size();
            double gs = 2 * lambda / m;
            double sum = 0;
            if (x.dtype() == DType.FLOAT64) {
                double[] xs = x.f64();
                double[] g = grad ? new double[m] : null;
                for (int i = 0; i < m; i++) {
                    double d = xs[i] - y.getDouble(i);
                    sum += d * d;
                    if (g != null) {
                        g[i] = gs * d;
                    }
                }
                if (grad) {
                    grads.add(Tensor.of(g, x.shape()));
                }
            } else {
                float[] xs = x.f32();
                float[] g = grad ? new float[m] : null;
                for (int i = 0; i < m; i++) {
                    double d = xs[i] - y.getDouble(i);
                    sum += d * d;
                    if (g != null) {
                        g[i] = (float) (gs * d);
                    }
                }
                if (grad) {
                    grads.add(Tensor.of(g, x.shape()));
                }
            }
            perLayer[j] = sum / m;
            total += lambda * perLayer[j];
        }
        return new Result(total, perLayer, grads, in);
    }

    @Override
    public String toString() {
        return "perceptual{layer_weights=" + (weights == null ? "null" : Arrays.toString(weights)) + "}";
    }

    /** The value, each layer's mean squared distance, and the gradients w.r.t. the input features. */
    public static final class Result {
        private final double value;
        private final double[] layerValues;
        private final List<Tensor> grads;
        private final List<Tensor> inputFeatures;

        Result(double value, double[] layerValues, List<Tensor> grads, List<Tensor> inputFeatures) {
            this.value = value;
            this.layerValues = layerValues;
            this.grads = grads == null ? null : Collections.unmodifiableList(grads);
            this.inputFeatures = Collections.unmodifiableList(new ArrayList<>(inputFeatures));
        }

        /** {@code Σ_j λ_j·mean((Φ_j(I) − Φ_j(Î))²)}. */
        public double value() {
            return value;
        }

        /** The unweighted {@code mean((Φ_j(I) − Φ_j(Î))²)} of each layer. */
        public double[] layerValues() {
            return layerValues.clone();
        }

        /** The gradient with respect to each input feature map (null for a value-only call). */
        public List<Tensor> inputFeatureGrads() {
            return grads;
        }

        /** The gradient with respect to input feature map {@code layer}. */
        public Tensor grad(int layer) {
            return grads == null ? null : grads.get(layer);
        }

        /** The input's feature maps that were compared (those the extractor returned, for its backward pass). */
        public List<Tensor> inputFeatures() {
            return inputFeatures;
        }
    }
}
