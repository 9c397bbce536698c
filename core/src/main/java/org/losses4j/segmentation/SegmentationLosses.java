package org.losses4j.segmentation;

import java.util.List;
import org.losses4j.LossInfo;

/**
 * The segmentation and vision family of the catalog, in catalog order. {@code perceptual}
 * works on lists of feature maps from a caller's network: the library API is
 * {@link PerceptualLoss} (with {@link FeatureExtractor}); the registry entry {@link Perceptual}
 * compares one layer through it.
 */
public final class SegmentationLosses {
    private SegmentationLosses() {
    }

    /** Every registry loss of this family. */
    public static List<LossInfo> all() {
        return List.of(Dice.INFO, Jaccard.INFO, Tversky.INFO, Combo.INFO, BoxIou.INFO, Ssim.INFO,
                TotalVariation.INFO, Perceptual.INFO);
    }
}
