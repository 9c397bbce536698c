package org.losses4j.vision;

import java.util.List;
import org.losses4j.Tensor;

/**
 * A feature network for {@link PerceptualLayers}: maps an image batch to the feature maps
 * Φ_1(I) … Φ_J(I) of the layers the loss compares (e.g. VGG-16 relu1_2, relu2_2, relu3_3),
 * always in the same order and with shapes that depend only on the image shape.
 *
 * <p>losses4j runs no network itself: wrap your own (a Java port, an ONNX or DJL model …)
 * in this interface. {@link PerceptualLayers} returns the gradient with respect to each
 * returned feature map; back-propagating it through the network to the image is the
 * network's own business.
 */
@FunctionalInterface
public interface FeatureExtractor {
    /**
     * The feature maps of {@code images} (typically [N, C, H, W]), one tensor per compared
     * layer; float32 or float64.
     */
    List<Tensor> extract(Tensor images);
}
