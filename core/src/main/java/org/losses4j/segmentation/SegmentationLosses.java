package org.losses4j.segmentation;

import java.util.List;
import org.losses4j.LossInfo;
import org.losses4j.vision.BoxIou;
import org.losses4j.vision.FeatureExtractor;
import org.losses4j.vision.MsSsim;
import org.losses4j.vision.Perceptual;
import org.losses4j.vision.PerceptualLayers;
import org.losses4j.vision.Psnr;
import org.losses4j.vision.Ssim;
import org.losses4j.vision.TotalVariation;

/**
 * The segmentation and vision family of the catalog, in catalog order: the region losses of
 * this package, then the vision losses of {@code org.losses4j.vision}. {@code perceptual}
 * works on lists of feature maps from a caller's network: the library API is
 * {@link PerceptualLayers} (with {@link FeatureExtractor}); the registry entry {@link Perceptual}
 * compares one layer through it.
 */
public final class SegmentationLosses {
    private SegmentationLosses() {
    }

    /** Every registry loss of this family. */
    public static List<LossInfo> all() {
        return List.of(Dice.INFO, Jaccard.INFO, Tversky.INFO, Combo.INFO, GeneralizedDice.INFO, LovaszHinge.INFO,
                LovaszSoftmax.INFO, BoxIou.INFO, Ssim.INFO, MsSsim.INFO,
                Psnr.INFO, TotalVariation.INFO, Perceptual.INFO);
    }
}
