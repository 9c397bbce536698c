package org.losses4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * "Choosing a loss" as a decision table: a task and the properties of the data in, ranked
 * recommendations (loss, options to set, reason with its source) out. Where the project's
 * own demo measured a choice ({@code losses demo}), the ranking follows the measurement.
 */
final class Recommender {
    /** The tasks {@code recommend --task} accepts. */
    static final List<String> TASKS = List.of("regression", "binary", "multiclass", "multilabel", "count",
            "segmentation", "detection", "image", "sequence", "language", "metric", "ranking", "density", "generative",
            "preference", "rl", "survival");

    /** Other names accepted for a task. */
    static final Map<String, String> SYNONYMS = Map.of("classification", "multiclass", "speech", "sequence",
            "handwriting", "sequence", "llm", "language", "language_modelling", "language", "counts", "count",
            "alignment", "preference", "contrastive", "metric", "restoration", "image", "time_to_event", "survival");

    /** The tasks where each data flag changes the advice; elsewhere the flag is refused. */
    static final Map<String, List<String>> FLAG_TASKS = flagTasks();

    private static Map<String, List<String>> flagTasks() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("--imbalanced", List.of("binary", "multilabel", "multiclass", "segmentation"));
        m.put("--outliers", List.of("regression"));
        m.put("--overconfident", List.of("binary", "multilabel", "multiclass", "language"));
        m.put("--probabilistic", List.of("regression"));
        m.put("--noisy", List.of("multiclass"));
        return m;
    }

    /** One recommendation. */
    record Recommendation(String loss, String options, String reason) {
    }

    /** Data properties from the command-line flags. */
    record Traits(boolean imbalanced, boolean outliers, boolean overconfident, boolean probabilistic, boolean noisy) {
        /** Without the noisy-labels flag. */
        Traits(boolean imbalanced, boolean outliers, boolean overconfident, boolean probabilistic) {
            this(imbalanced, outliers, overconfident, probabilistic, false);
        }

        Map<String, Boolean> flags() {
            Map<String, Boolean> m = new LinkedHashMap<>();
            m.put("--imbalanced", imbalanced);
            m.put("--outliers", outliers);
            m.put("--overconfident", overconfident);
            m.put("--probabilistic", probabilistic);
            m.put("--noisy", noisy);
            return m;
        }
    }

    private Recommender() {
    }

    /** The task's canonical name (synonyms resolved), or a user error naming the tasks. */
    static String canonical(String task) {
        String k = task.toLowerCase(Locale.ROOT).strip();
        k = SYNONYMS.getOrDefault(k, k);
        if (!TASKS.contains(k)) {
            throw new UserError("unknown task '" + task + "'; one of " + String.join(", ", TASKS)
                    + " (also: " + String.join(", ", new java.util.TreeSet<>(SYNONYMS.keySet())) + ")");
        }
        return k;
    }

    static List<Recommendation> recommend(String task, Traits t) {
        String k = canonical(task);
        t.flags().forEach((flag, on) -> {
            if (on && !FLAG_TASKS.get(flag).contains(k)) {
                throw new UserError(flag + " does not change the advice for " + k + "; it applies to "
                        + String.join(", ", FLAG_TASKS.get(flag)));
            }
        });
        List<Recommendation> r = new ArrayList<>();
        switch (k) {
            case "regression":
                if (t.probabilistic()) {
                    r.add(new Recommendation("gaussian_nll", "input var (predicted variance)",
                            "predicts a mean and a variance: the likelihood of heteroscedastic Gaussian noise"
                                    + " (Nix & Weigend 1994)"));
                }
                if (t.outliers()) {
                    r.add(new Recommendation("huber", "-o delta=1.0 (about the residual size of clean data)",
                            "quadratic near 0, linear for gross errors, so an outlier's pull is bounded (Huber 1964);"
                                    + " measured in losses demo experiment 1, where MSE's fit was pulled away"));
                    r.add(new Recommendation("mae", "",
                            "estimates the median, fully robust (the loss literature: 'Huber or MAE' for"
                                    + " outlier-prone regression), but its gradient does not shrink near the optimum"));
                    r.add(new Recommendation("log_cosh", "", "smooth like MSE near 0 and linear like MAE far out;"
                            + " twice differentiable (gradient boosting)"));
                    r.add(new Recommendation("pseudo_huber", "-o delta=1.0", "Huber's shape with a positive second"
                            + " derivative everywhere: the robust objective for gradient boosting (XGBoost"
                            + " reg:pseudohubererror), whose Newton steps need a Hessian that Huber lacks far out"));
                    r.add(new Recommendation("robust", "-o alpha=0 (Cauchy) -o c=1.0 (the residual scale)", "Barron's general robust"
                            + " loss (Barron 2019): α tunes how much a gross error pulls, from L2 (α = 2) through"
                            + " pseudo-Huber (1) and Cauchy (0) to Welsch (−∞), whose influence vanishes for outliers"));
                } else {
                    r.add(new Recommendation("mse", "", "the maximum-likelihood loss under Gaussian noise (Gauss;"
                            + " the loss literature's default for low-noise regression)"));
                    r.add(new Recommendation("huber", "-o delta=1.0", "a safe default if a few large errors may"
                            + " appear (Huber 1964)"));
                }
                r.add(new Recommendation("quantile", "-o tau=0.9", "when you need a quantile (prediction"
                        + " intervals) rather than the mean (Koenker & Bassett 1978)"));
                r.add(new Recommendation("expectile", "-o tau=0.9", "asymmetric squared error: under- and"
                        + " over-prediction cost differently, still smooth (expectile regression, Newey & Powell"
                        + " 1987)"));
                r.add(new Recommendation("mape", "", "when the error that matters is relative to the target"
                        + " (forecasts across series of very different scales); targets must stay away from 0"));
                break;
            case "count":
                r.add(new Recommendation("poisson_nll", "-o log_input=true (predict the log-rate)",
                        "the likelihood of Poisson counts (generalised linear models, Nelder & Wedderburn 1972);"
                                + " see losses demo experiment 7"));
                r.add(new Recommendation("tweedie", "-o variance_power=1.5", "non-negative totals with exact"
                        + " zeros (insurance claims, rainfall, sales): the compound Poisson–gamma likelihood with a"
                        + " log link (Jørgensen 1987; XGBoost reg:tweedie)"));
                r.add(new Recommendation("gamma", "", "positive continuous targets whose spread grows with the"
                        + " mean (claim severities, durations): the gamma deviance with a log link (XGBoost"
                        + " reg:gamma)"));
                r.add(new Recommendation("msle", "", "relative errors on non-negative targets spanning orders of"
                        + " magnitude"));
                break;
            case "survival":
                r.add(new Recommendation("cox", "target = survival time, negative where censored (XGBoost's"
                        + " labels)", "right-censored times to event: Cox's partial likelihood (Cox 1972, Breslow"
                        + " ties), the proportional-hazards objective of XGBoost survival:cox"));
                break;
            case "binary":
            case "multilabel":
                binary(k, t, r);
                break;
            case "multiclass":
                String smooth = t.overconfident() ? " -o label_smoothing=0.1" : "";
                if (t.imbalanced()) {
                    r.add(new Recommendation("cross_entropy", ("--input-file weight=class_weights.csv" + smooth),
                            "class weights inversely proportional to frequency weight the rare classes up (as"
                                    + " pos_weight did for binary in losses demo experiment 2)"));
                    r.add(new Recommendation("softmax_focal", "-o gamma=2 --input-file alpha=class_weights.csv (rare"
                            + " classes weighted up)", "focal loss for many classes: focuses on hard examples (Lin et al. 2017);"
                                    + " α must weight the rare classes up"));
                } else {
                    r.add(new Recommendation("cross_entropy", smooth.strip(), t.overconfident()
                            ? "label smoothing, typically ε = 0.1, reduces overconfidence (Szegedy et al. 2016;"
                                    + " Müller et al. 2019); see losses demo experiment 3"
                            : "the multinomial likelihood of the class (softmax regression)"));
                }
                if (t.noisy()) {
                    r.add(0, new Recommendation("generalized_cross_entropy", "-o q=0.7", "label noise: L_q lies"
                            + " between cross-entropy (q → 0) and MAE (q = 1), so mislabelled samples pull less"
                            + " (Zhang & Sabuncu 2018, q = 0.7 on CIFAR with noisy labels)"));
                }
                r.add(new Recommendation("poly1_cross_entropy", "-o epsilon=1.0", "cross-entropy plus ε(1 − p_y):"
                        + " one extra coefficient that improved ImageNet classification (Leng et al. 2022, PolyLoss)"));
                r.add(new Recommendation("multi_margin", "", "a multi-class SVM margin (Weston & Watkins 1999); no"
                        + " probabilities"));
                r.add(new Recommendation("sparsemax", "", "sparse class probabilities (exact zeros), e.g. for"
                        + " attention or many irrelevant classes (Martins & Astudillo 2016)"));
                break;
            case "segmentation":
                r.add(new Recommendation(t.imbalanced() ? "tversky" : "dice",
                        t.imbalanced() ? "-o alpha=0.3 -o beta=0.7 (penalise missed foreground more)" : "",
                        t.imbalanced() ? "weights false positives and false negatives separately (Salehi et al."
                                + " 2017); for small structures recall matters; see losses demo experiment 4"
                                : "overlap-based, insensitive to the background's size (Milletari et al. 2016, V-Net);"
                                        + " see losses demo experiment 4"));
                r.add(new Recommendation("combo", "-o alpha=0.5", "pixel BCE plus Dice: stable early training with"
                        + " an overlap objective (Taghanaki et al. 2019)"));
                if (t.imbalanced()) {
                    r.add(new Recommendation("generalized_dice", "-o weight_type=square", "many classes of very"
                            + " different sizes: each class weighted by 1/volume², so small structures count"
                            + " (Sudre et al. 2017)"));
                }
                r.add(new Recommendation("jaccard", "", "optimises IoU directly (Rahman & Wang 2016)"));
                r.add(new Recommendation("lovasz_softmax", "-o classes=present", "the Lovász extension of the"
                        + " Jaccard loss: a tight convex surrogate of mean IoU, often used to fine-tune for the"
                        + " mIoU metric (Berman et al. 2018)"));
                break;
            case "image":
                r.add(new Recommendation("ssim", "-o window=11 -o sigma=1.5", "restoration/denoising judged by"
                        + " structure rather than per-pixel error (Wang et al. 2004); Zhao et al. 2017 found SSIM-based"
                        + " losses beat L2 for image restoration"));
                r.add(new Recommendation("mae", "", "the per-pixel L1, which Zhao et al. 2017 found better than L2"
                        + " for restoration (fewer splotchy artefacts)"));
                r.add(new Recommendation("psnr", "-o max_val=1.0", "when the metric you report is PSNR: its"
                        + " negative, in dB"));
                r.add(new Recommendation("total_variation", "-o kind=l1", "a smoothness regulariser added to"
                        + " another loss (denoising, style transfer; Rudin, Osher & Fatemi 1992)"));
                break;
            case "detection":
                r.add(new Recommendation("box_iou", "-o variant=ciou", "IoU-family box regression; giou/diou/ciou"
                        + " still give a gradient when boxes do not overlap (Rezatofighi et al. 2019; Zheng et al."
                        + " 2020)"));
                r.add(new Recommendation("focal", "-o gamma=2 -o alpha=0.25", "the classification head of a dense"
                        + " detector: many easy background anchors (RetinaNet, Lin et al. 2017, where α = 0.25 was"
                        + " tuned together with γ = 2 for that setting)"));
                break;
            case "sequence":
                r.add(new Recommendation("ctc", "-o blank=0", "unaligned label sequences such as speech or"
                        + " handwriting (Graves et al. 2006)"));
                r.add(new Recommendation("cross_entropy", "", "aligned per-step labels ([N, C, T] logits)"));
                break;
            case "language":
                r.add(new Recommendation("cross_entropy", t.overconfident() ? "-o label_smoothing=0.1"
                        : "-o ignore_index=-100 (padding)", "next-token prediction: the log-likelihood of the text"
                        + " (report it as perplexity)"));
                r.add(new Recommendation("dpo", "-o beta=0.1 -o loss_type=sigmoid", "alignment from preference"
                        + " pairs without a reward model (Rafailov et al. 2023); see --task preference"));
                r.add(new Recommendation("ppo_clip", "-o epsilon=0.2", "RLHF with a reward model (Schulman et al."
                        + " 2017; Ouyang et al. 2022)"));
                break;
            case "metric":
                r.add(new Recommendation("triplet", "-o margin=1.0", "relative distances anchor–positive vs"
                        + " anchor–negative (Schroff et al. 2015, FaceNet); see losses demo experiment 5"));
                r.add(new Recommendation("nt_xent", "-o temperature=0.5", "self-supervised contrastive learning with"
                        + " two views; many negatives per anchor (Chen et al. 2020, SimCLR)"));
                r.add(new Recommendation("contrastive", "-o margin=1.0", "labelled similar/dissimilar pairs"
                        + " (Hadsell et al. 2006, Siamese networks)"));
                break;
            case "ranking":
                r.add(new Recommendation("soft_margin", "input = s_i − s_j per pair, target ±1 (which should rank"
                        + " higher)", "pairwise logistic loss on score differences: RankNet (Burges et al. 2005)"));
                r.add(new Recommendation("margin_ranking", "-o margin=1.0", "pairwise hinge between two scores"
                        + " (Herbrich et al. 1999, RankSVM)"));
                r.add(new Recommendation("cross_entropy", "input = one row of scores per query, target ="
                        + " softmax of the relevance labels (probability target)", "listwise: the top-one"
                        + " probability cross-entropy of ListNet (Cao et al. 2007)"));
                break;
            case "density":
                r.add(new Recommendation("vae", "-o beta=1.0", "the negative ELBO of a VAE (Kingma & Welling 2014)"));
                r.add(new Recommendation("kl_div", "", "matching a target distribution (distillation, Hinton et al."
                        + " 2015)"));
                r.add(new Recommendation("nll", "", "log-probabilities from your own model"));
                break;
            case "generative":
                r.add(new Recommendation("gan_discriminator", "-o kind=hinge", "the discriminator/critic side"
                        + " (hinge: Lim & Ye 2017)"));
                r.add(new Recommendation("gan_generator", "-o kind=non_saturating", "avoids vanishing gradients"
                        + " early in training (Goodfellow et al. 2014)"));
                r.add(new Recommendation("gradient_penalty", "-o lambda=10", "WGAN-GP's Lipschitz penalty"
                        + " (Gulrajani et al. 2017)"));
                r.add(new Recommendation("diffusion_mse", "-o min_snr_gamma=5", "noise prediction with min-SNR"
                        + " weighting (Ho et al. 2020; Hang et al. 2023)"));
                break;
            case "preference":
                r.add(new Recommendation("dpo", "-o beta=0.1 -o loss_type=sigmoid", "preference pairs against a"
                        + " frozen reference policy, no reward model (Rafailov et al. 2023); -o label_smoothing=0.1"
                        + " if some labels are flipped (conservative DPO)"));
                r.add(new Recommendation("dpo", "-o loss_type=ipo -o beta=0.1", "IPO: a squared loss that does not"
                        + " push h to infinity on deterministic preferences, less overfitting (Azar et al. 2023)"));
                r.add(new Recommendation("dpo", "-o loss_type=hinge -o beta=0.1", "SLiC's hinge on the calibrated"
                        + " log-ratio margin (Zhao et al. 2023)"));
                r.add(new Recommendation("dpo", "-o loss_type=robust -o label_smoothing=0.1", "unbiased under a known"
                        + " rate of flipped labels (rDPO, Chowdhury et al. 2024)"));
                r.add(new Recommendation("dpo", "-o loss_type=exo_pair -o label_smoothing=0.001", "reverse-KL"
                        + " (mode-seeking) fit of the preference (EXO, Ji et al. 2024)"));
                r.add(new Recommendation("dpo", "-o loss_type=nca_pair", "absolute likelihoods of both responses,"
                        + " not only their margin (NCA, Chen et al. 2024)"));
                r.add(new Recommendation("dpo", "-o loss_type=bco_pair -o bco_delta=0", "each response classified"
                        + " good or bad against a reward reference point (BCO, Jung et al. 2024)"));
                r.add(new Recommendation("dpo", "-o loss_type=sppo_hard", "self-play preference optimisation with hard"
                        + " win probabilities (SPPO, Wu et al. 2024)"));
                r.add(new Recommendation("dpo", "-o loss_type=aot", "distributional alignment: sorted policy against"
                        + " sorted reference margins over the batch (AOT, Melnyk et al. 2024)"));
                r.add(new Recommendation("dpo", "-o loss_type=aot_unpaired", "AOT for unpaired data: sorted chosen"
                        + " against sorted rejected log-ratios"));
                r.add(new Recommendation("dpo", "-o loss_type=apo_zero", "anchored: chosen responses better than the"
                        + " model's own (APO-zero, D'Oosterlinck et al. 2024)"));
                r.add(new Recommendation("dpo", "-o loss_type=apo_down", "anchored: chosen responses worse than the"
                        + " model's own (APO-down)"));
                r.add(new Recommendation("simpo", "-o beta=2.0 -o gamma=1.0 (average token log-probabilities)",
                        "no reference model: length-normalised rewards with a target margin (SimPO, Meng et al. 2024)"));
                r.add(new Recommendation("cpo", "-o beta=0.1 -o cpo_alpha=1.0", "no reference model, plus the NLL of"
                        + " the chosen responses (CPO, Xu et al. 2024)"));
                break;
            case "rl":
                r.add(new Recommendation("ppo_clip", "-o epsilon=0.2", "policy-gradient with a clipped ratio"
                        + " (Schulman et al. 2017)"));
                break;
            default:
                throw new IllegalStateException(k);
        }
        return r;
    }

    /**
     * Binary and multi-label. Imbalanced: losses demo experiment 2 (1:50, logistic regression)
     * measured minority recall about 0.9 for BCE with pos_weight = negatives/positives against
     * about 0.2 for focal with α = 0.25 and 0.35 for plain BCE: α = 0.25 weights the rare
     * positives down, so the weighting comes first and focal only with α weighting them up.
     */
    private static void binary(String k, Traits t, List<Recommendation> r) {
        String per = k.equals("multilabel") ? " per label" : "";
        if (t.imbalanced() && k.equals("multilabel")) {
            r.add(new Recommendation("asymmetric", "-o gamma_neg=4 -o gamma_pos=0 -o clip=0.05", "multi-label"
                    + " data where most labels are negative in most samples: ASL focuses the negatives only and"
                    + " drops the easiest ones (Ridnik et al. 2021, whose defaults these are; state of the art on"
                    + " MS-COCO multi-label)"));
        }
        if (t.imbalanced()) {
            r.add(new Recommendation("bce_with_logits", "--input-file pos_weight=pw.csv (negatives/positives"
                    + per + ")", "weights the rare positives up; measured in losses demo experiment 2 (1:50): minority"
                    + " recall about 0.9 (focal with α weighting the rare class up: the same), against 0.35 for"
                    + " plain BCE and 0.2 for focal with α = 0.25"));
            r.add(new Recommendation("focal", "-o gamma=2 -o alpha=0.98 (α = negatives/(negatives+positives))",
                    "focuses on hard examples (Lin et al. 2017), but α weights the positive class: it must weight"
                            + " the rare class up (α > 0.5); RetinaNet's α = 0.25 weights it down and found fewer"
                            + " positives than plain BCE in losses demo experiment 2; it is the simpler choice only if"
                            + " you want focusing too"));
            r.add(new Recommendation("bce_with_logits", "then choose the decision threshold on validation data"
                    + " (precision-recall curve)", "in losses demo experiment 2 PR-AUC was about the same for"
                    + " every loss: the losses mostly move the threshold, so tuning it also recovers recall"));
            return;
        }
        r.add(new Recommendation("bce_with_logits", t.overconfident() ? "-o label_smoothing=0.1" : "",
                "the Bernoulli likelihood" + per + " (logistic regression); the logits form is stable at any"
                        + " logit" + (t.overconfident() ? "; label smoothing against overconfidence (Szegedy et al."
                        + " 2016)" : "")));
        if (k.equals("multilabel")) {
            r.add(new Recommendation("focal", "-o gamma=2 -o alpha=null", "when most labels are absent in most"
                    + " samples, easy negatives dominate the sum: focusing down-weights them (Lin et al. 2017);"
                    + " with --imbalanced, weight the rare labels up instead"));
        } else {
            r.add(new Recommendation("hinge", "", "a margin-based objective (SVM, ±1 labels); no calibrated"
                    + " probabilities"));
        }
    }
}
