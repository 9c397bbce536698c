package org.losses4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The seed documents' "choosing a loss" guidance as a decision table: a task and the
 * properties of the data in, ranked recommendations (loss, options to set, reason) out.
 */
final class Recommender {
    /** The tasks {@code recommend --task} accepts. */
    static final List<String> TASKS = List.of("regression", "binary", "multiclass", "multilabel", "count",
            "segmentation", "detection", "sequence", "metric", "ranking", "density", "generative", "preference",
            "rl");

    /** One recommendation. */
    record Recommendation(String loss, String options, String reason) {
    }

    /** Data properties from the command-line flags. */
    record Traits(boolean imbalanced, boolean outliers, boolean overconfident, boolean probabilistic) {
    }

    private Recommender() {
    }

    static List<Recommendation> recommend(String task, Traits t) {
        String k = task.toLowerCase(Locale.ROOT);
        List<Recommendation> r = new ArrayList<>();
        switch (k) {
            case "regression":
                if (t.probabilistic()) {
                    r.add(new Recommendation("gaussian_nll", "input var (predicted variance)",
                            "predicts a mean and a variance: the likelihood of heteroscedastic Gaussian noise"));
                }
                if (t.outliers()) {
                    r.add(new Recommendation("huber", "-o delta=1.0 (about the residual size of clean data)",
                            "seeds: 'when data contains outliers, use Huber loss': quadratic near 0, linear for gross"
                                    + " errors, so an outlier's pull is bounded"));
                    r.add(new Recommendation("mae", "",
                            "seeds: 'Regression (outlier-prone): Huber or MAE'; estimates the median, fully robust,"
                                    + " but its gradient does not shrink near the optimum"));
                    r.add(new Recommendation("log_cosh", "", "smooth like MSE near 0 and linear like MAE far out;"
                            + " twice differentiable (boosting)"));
                } else {
                    r.add(new Recommendation("mse", "", "seeds: 'Regression (low noise): MSE' — the maximum-"
                            + "likelihood loss under Gaussian noise"));
                    r.add(new Recommendation("huber", "-o delta=1.0", "a safe default if a few large errors may"
                            + " appear"));
                }
                r.add(new Recommendation("quantile", "-o tau=0.9", "when you need a quantile (prediction"
                        + " intervals) rather than the mean"));
                break;
            case "count":
                r.add(new Recommendation("poisson_nll", "-o log_input=true (predict the log-rate)",
                        "seeds: 'Poisson loss is used for count data'; the likelihood of Poisson counts"));
                r.add(new Recommendation("msle", "", "relative errors on non-negative targets spanning orders of"
                        + " magnitude"));
                break;
            case "binary":
            case "multilabel":
                if (t.imbalanced()) {
                    r.add(new Recommendation("focal", "-o gamma=2 -o alpha=0.25",
                            "seeds: 'for imbalanced datasets, use focal loss to focus more on difficult or rare"
                                    + " examples'; down-weights easy negatives"));
                    r.add(new Recommendation("bce_with_logits", "--input-file pos_weight=pw.csv (negatives/"
                            + "positives per output)", "re-weights the rare class; keeps probabilities calibrated"
                                    + " up to the weight"));
                } else {
                    r.add(new Recommendation("bce_with_logits", t.overconfident() ? "-o label_smoothing=0.1" : "",
                            "seeds: 'Binary classification: binary cross-entropy' ('per output' for multi-label);"
                                    + " the logits form is stable at any logit"));
                }
                r.add(new Recommendation("hinge", "", "a margin-based objective (SVM); does not give calibrated"
                        + " probabilities"));
                break;
            case "multiclass":
                r.add(new Recommendation("cross_entropy", t.overconfident() ? "-o label_smoothing=0.1" : "",
                        t.overconfident() ? "seeds: 'Overconfidence problem: cross-entropy + label smoothing';"
                                + " typically ε = 0.1; improves calibration"
                                : "seeds: 'Multi-class classification: categorical cross-entropy'"));
                if (t.imbalanced()) {
                    r.add(new Recommendation("softmax_focal", "-o gamma=2 (optionally per-class alpha)",
                            "focal loss for many classes: focuses on hard, rare examples"));
                    r.add(new Recommendation("cross_entropy", "--input-file weight=class_weights.csv",
                            "class weights inversely proportional to frequency"));
                }
                r.add(new Recommendation("multi_margin", "", "a multi-class SVM (Weston–Watkins) margin"));
                break;
            case "segmentation":
                r.add(new Recommendation(t.imbalanced() ? "tversky" : "dice",
                        t.imbalanced() ? "-o alpha=0.3 -o beta=0.7 (penalise missed foreground more)" : "",
                        t.imbalanced() ? "seeds: Tversky 'separately weights false positives and false negatives';"
                                + " for small structures recall matters"
                                : "seeds: 'Dice or Jaccard loss for segmentation'; overlap-based, insensitive to the"
                                        + " background's size"));
                r.add(new Recommendation("combo", "-o alpha=0.5", "pixel BCE plus Dice: stable early training with"
                        + " an overlap objective"));
                r.add(new Recommendation("jaccard", "", "optimises IoU directly"));
                break;
            case "detection":
                r.add(new Recommendation("box_iou", "-o variant=ciou", "IoU-family box regression; giou/diou/ciou"
                        + " still give a gradient when boxes do not overlap"));
                r.add(new Recommendation("focal", "-o gamma=2 -o alpha=0.25", "the classification head: many easy"
                        + " background anchors (RetinaNet)"));
                break;
            case "sequence":
                r.add(new Recommendation("ctc", "-o blank=0", "seeds: 'CTC loss for sequence tasks like speech or"
                        + " handwriting': unaligned label sequences"));
                r.add(new Recommendation("cross_entropy", "", "aligned per-step labels ([N, C, T] logits)"));
                break;
            case "metric":
                r.add(new Recommendation("triplet", "-o margin=1.0", "seeds: 'Metric learning: triplet, NT-Xent';"
                        + " relative distances anchor–positive vs anchor–negative"));
                r.add(new Recommendation("nt_xent", "-o temperature=0.5", "self-supervised contrastive learning with"
                        + " two views (SimCLR); many negatives per anchor"));
                r.add(new Recommendation("contrastive", "-o margin=1.0", "labelled similar/dissimilar pairs"
                        + " (Siamese networks)"));
                break;
            case "ranking":
                r.add(new Recommendation("margin_ranking", "-o margin=1.0", "pairwise preferences between two"
                        + " scores"));
                r.add(new Recommendation("cosine_similarity", "", "direction matters, not length"));
                break;
            case "density":
                r.add(new Recommendation("vae", "-o beta=1.0", "seeds: 'Probabilistic outputs: NLL, ELBO'; the"
                        + " negative ELBO of a VAE"));
                r.add(new Recommendation("kl_div", "", "matching a target distribution (distillation)"));
                r.add(new Recommendation("nll", "", "log-probabilities from your own model"));
                break;
            case "generative":
                r.add(new Recommendation("gan_discriminator", "-o kind=hinge", "the discriminator/critic side"));
                r.add(new Recommendation("gan_generator", "-o kind=non_saturating", "avoids vanishing gradients"
                        + " early in training"));
                r.add(new Recommendation("gradient_penalty", "-o lambda=10", "WGAN-GP's Lipschitz penalty"));
                r.add(new Recommendation("diffusion_mse", "-o min_snr_gamma=5", "noise prediction with min-SNR"
                        + " weighting"));
                break;
            case "preference":
                r.add(new Recommendation("dpo", "-o beta=0.1", "preference pairs against a frozen reference"
                        + " policy, no reward model"));
                break;
            case "rl":
                r.add(new Recommendation("ppo_clip", "-o epsilon=0.2", "policy-gradient with a clipped ratio"));
                break;
            default:
                throw new Main.UserError("unknown task '" + task + "'; one of " + String.join(", ", TASKS));
        }
        return r;
    }
}
