package org.losses4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PyTorch and Keras names of catalog losses: {@code Losses.create("MSELoss")} is
 * {@code Losses.create("mse")}. An alias names the loss only: it resolves to the catalog loss
 * with the catalog's defaults. Where the peer's defaults or conventions differ, {@link Alias#options}
 * says which options reproduce the peer's default and {@link Alias#note} what else differs
 * (the input's space, clipping, the sign). Aliases are exact and case-sensitive, and no alias is
 * a catalog name. Peer names without a catalog equivalent are in {@link #unmapped()}, with why.
 *
 * <pre>{@code
 * Aliases.find("KLDivLoss").target();   // "kl_div"
 * Aliases.of("mse");                    // MSELoss (PyTorch), MeanSquaredError (Keras)
 * }</pre>
 */
public final class Aliases {
    private Aliases() {
    }

    /** The framework an alias comes from. */
    public enum Framework {
        PYTORCH("PyTorch", "torch.nn."),
        KERAS("Keras", "keras.losses.");

        private final String label;
        private final String prefix;

        Framework(String label, String prefix) {
            this.label = label;
            this.prefix = prefix;
        }

        /** {@code PyTorch} or {@code Keras}. */
        public String label() {
            return label;
        }

        /** The module the peer's class is in: {@code torch.nn.} or {@code keras.losses.}. */
        public String prefix() {
            return prefix;
        }
    }

    /**
     * One alias.
     *
     * @param name      the peer's class name, e.g. {@code MSELoss}
     * @param framework where the name comes from
     * @param target    the catalog loss it names
     * @param options   the options (name to value as text) that reproduce the peer's defaults;
     *                  empty when the catalog's defaults are the peer's
     * @param note      how the peer's semantics differ beyond the options; empty when they do not
     */
    public record Alias(String name, Framework framework, String target, Map<String, String> options, String note) {
        /** The peer's qualified name: {@code torch.nn.MSELoss}, {@code keras.losses.Huber}. */
        public String qualifiedName() {
            return framework.prefix() + name;
        }

        /**
         * One line on the mapping: which options give the peer's defaults and what differs,
         * e.g. {@code the peer's defaults are reduction=mean; the input is log-probabilities ...}.
         */
        public String summary() {
            StringBuilder sb = new StringBuilder();
            if (options.isEmpty()) {
                sb.append("the same defaults");
            } else {
                List<String> kv = new ArrayList<>();
                options.forEach((k, v) -> kv.add(k + "=" + v));
                sb.append("the peer's defaults are ").append(String.join(", ", kv));
            }
            sb.append(note.isEmpty() ? "; the same definition" : "; " + note);
            return sb.toString();
        }
    }

    private static final List<Alias> ALL = new ArrayList<>();
    private static final Map<String, Alias> BY_NAME = new LinkedHashMap<>();
    private static final Map<String, String> UNMAPPED = new LinkedHashMap<>();

    private static void torch(String name, String target, String note, String... options) {
        add(name, Framework.PYTORCH, target, note, options);
    }

    private static void keras(String name, String target, String note, String... options) {
        add(name, Framework.KERAS, target, note, options);
    }

    private static void add(String name, Framework f, String target, String note, String... options) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < options.length; i += 2) {
            o.put(options[i], options[i + 1]);
        }
        Alias a = new Alias(name, f, target, Collections.unmodifiableMap(o), note);
        if (BY_NAME.put(name, a) != null) {
            throw new IllegalStateException("alias " + name + " given twice");
        }
        ALL.add(a);
    }

    static {
        // PyTorch, torch.nn (checked against the PyTorch 2 documentation of each class)
        torch("MSELoss", "mse", "");
        torch("L1Loss", "mae", "");
        torch("SmoothL1Loss", "smooth_l1", "");
        torch("HuberLoss", "huber", "");
        torch("BCELoss", "bce", "");
        torch("BCEWithLogitsLoss", "bce_with_logits", "");
        torch("CrossEntropyLoss", "cross_entropy", "");
        torch("NLLLoss", "nll", "");
        torch("KLDivLoss", "kl_div", "PyTorch's default mean divides by every element, which its documentation"
                + " says is not the KL divergence (batchmean, the default here, is); the input is log-probabilities"
                + " in both", "reduction", "mean");
        torch("CTCLoss", "ctc", "");
        torch("MarginRankingLoss", "margin_ranking", "");
        torch("TripletMarginLoss", "triplet", "p=2 only (distance=euclidean; squared_euclidean and cosine are"
                + " options here, other p-norms are not)");
        torch("TripletMarginWithDistanceLoss", "triplet", "distance_function is one of euclidean (the default),"
                + " squared_euclidean or cosine, given as the option distance");
        torch("PoissonNLLLoss", "poisson_nll", "");
        torch("GaussianNLLLoss", "gaussian_nll", "");
        torch("SoftMarginLoss", "soft_margin", "");
        torch("MultiMarginLoss", "multi_margin", "");
        torch("MultiLabelSoftMarginLoss", "multilabel_soft_margin", "");
        torch("HingeEmbeddingLoss", "hinge_embedding", "PyTorch also takes targets other than -1 and +1 (adding"
                + " both branches), refused here; at x = margin its gradient is -1, the subgradient here 0");
        torch("CosineEmbeddingLoss", "cosine_embedding", "PyTorch also takes targets other than -1 and +1 (a zero"
                + " term), refused here; [N, D] inputs only (PyTorch also takes a single pair [D])");
        // Keras 3, keras.losses (checked against the Keras/TensorFlow documentation of each class)
        keras("MeanSquaredError", "mse", "");
        keras("MeanAbsoluteError", "mae", "");
        keras("MeanSquaredLogarithmicError", "msle", "Keras clamps both inputs to at least 1e-7 before log(1 + ·):"
                + " the same for values >= 1e-7, different for values in (-1, 1e-7)");
        keras("Huber", "huber", "");
        keras("LogCosh", "log_cosh", "");
        keras("BinaryCrossentropy", "bce", "Keras' default from_logits=False takes probabilities as bce does (for"
                + " from_logits=True use bce_with_logits); Keras clips probabilities to [1e-7, 1 - 1e-7] where bce"
                + " clamps each log at -100, so the two differ for probabilities within 1e-7 of 0 or 1;"
                + " label_smoothing is an option of bce_with_logits only");
        keras("BinaryFocalCrossentropy", "focal", "focal takes logits (Keras from_logits=True; Keras' default"
                + " takes probabilities); Keras' default apply_class_balancing=False weighs no class, which is"
                + " alpha=null here (with apply_class_balancing=True Keras' alpha=0.25 is the default here)",
                "alpha", "null");
        keras("CategoricalCrossentropy", "categorical_cross_entropy", "Keras (from_logits=False) first scales each"
                + " row of the prediction to sum to 1 and clips it to [1e-7, 1 - 1e-7]: the same for rows that"
                + " sum to 1 away from 0 and 1; for from_logits=True use cross_entropy with a probability target");
        keras("SparseCategoricalCrossentropy", "sparse_categorical_cross_entropy", "Keras (from_logits=False)"
                + " clips probabilities to [1e-7, 1 - 1e-7] where this clamps the log at -100; for from_logits=True"
                + " use cross_entropy");
        keras("KLDivergence", "kl_div", "Keras takes the predicted probabilities Q, kl_div takes log Q (give the"
                + " log of the predictions); Keras clips both to [1e-7, 1]; its sum over the last axis averaged"
                + " over the batch is reduction batchmean, the default here");
        keras("Poisson", "poisson_nll", "Keras' prediction is a rate (not a log-rate): y_pred - y_true * log(y_pred"
                + " + 1e-7)", "log_input", "false", "eps", "1e-7");
        keras("MeanAbsolutePercentageError", "mape", "Keras multiplies by 100 (a percentage, 100·|y_true - y_pred| /"
                + " max(|y_true|, 1e-7)); mape is the fraction, as scikit-learn's mean_absolute_percentage_error",
                "eps", "1e-7");
        keras("Hinge", "hinge", "Keras turns 0/1 targets into -1/+1 itself; hinge wants -1/+1 targets");
        keras("SquaredHinge", "squared_hinge", "Keras turns 0/1 targets into -1/+1 itself; squared_hinge wants"
                + " -1/+1 targets");
        keras("CategoricalHinge", "categorical_hinge", "");
        keras("CosineSimilarity", "cosine_similarity", "the same sign: both are the negative cosine (-1 best, 0"
                + " orthogonal); Keras floors the squared norm at 1e-12 (the norm at 1e-6), this floors the norm at"
                + " 1e-12. PyTorch's torch.nn.CosineSimilarity is the positive similarity, not a loss");
        keras("Dice", "dice", "Keras adds no smoothing (1e-7 in the denominator only) and with axis=None computes"
                + " one coefficient over the whole batch, average=global here", "smooth", "0");
        keras("Tversky", "tversky", "alpha weighs false positives and beta false negatives in both; Keras adds no"
                + " smoothing and computes one coefficient over the whole batch, average=global here", "smooth", "0");

        UNMAPPED.put("torch.nn.MultiLabelMarginLoss", "a multi-label hinge over target index lists: not in the"
                + " catalog");
        UNMAPPED.put("keras.losses.CTC", "batch-major [N, T, C] softmax outputs and dense labels: ctc takes"
                + " log-probabilities [T, N, C] with lengths, so it is not the same call");
        UNMAPPED.put("keras.losses.CategoricalFocalCrossentropy", "alpha-weighted, one-hot: softmax_focal has no"
                + " alpha and takes class indices");
    }

    /** Every alias, PyTorch's first, in table order. */
    public static List<Alias> all() {
        return Collections.unmodifiableList(ALL);
    }

    /** The alias of that exact (case-sensitive) name, or null. */
    public static Alias find(String name) {
        return BY_NAME.get(name);
    }

    /** The aliases of one catalog loss, in table order. */
    public static List<Alias> of(String target) {
        return ALL.stream().filter(a -> a.target().equals(target)).toList();
    }

    /** Peer losses (qualified names) that are deliberately not aliases, with the reason. */
    public static Map<String, String> unmapped() {
        return Collections.unmodifiableMap(UNMAPPED);
    }
}
