package org.losses4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * What the registry knows about a loss: catalog name, family, formula, inputs with their
 * shapes, options with defaults, what {@code mean} divides by, mathematical properties and
 * typical tasks. {@link #create(Map)} builds a loss from a raw option map.
 */
public final class LossInfo {
    /**
     * The one real number a loss is a function of in its simplest use (one sample, a fixed target),
     * which is what its curve is drawn over ({@code losses plot}) and what "the margin" of a
     * classifier means: read from here so that nothing lists loss names.
     */
    public enum Variable {
        /** The residual x − y of an elementwise loss (mse, huber, quantile): the default for elementwise losses. */
        RESIDUAL,
        /** The margin y·x of a score with a ±1 label (hinge, soft_margin). */
        MARGIN,
        /** A binary logit with a 0/1 label (bce_with_logits, focal). */
        LOGIT,
        /** A predicted probability with a 0/1 (or soft) target (bce, dice). */
        PROBABILITY,
        /** A prediction x &gt; −1 compared after log1p (msle). */
        LOG1P,
        /** A raw score, the log of a predicted mean (log-link likelihoods: tweedie, gamma). */
        LOG_MEAN,
        /** The true class's logit margin over the other of two classes (cross_entropy, multi_margin). */
        TWO_CLASS,
        /** The predicted probability of one of two outcomes against a fixed distribution (kl_div). */
        DISTRIBUTION,
        /** The distance of a dissimilar pair (hinge_embedding). */
        DISSIMILAR,
        /** None: the loss couples several inputs or rows (ctc, triplet, dpo); the default for them. */
        NONE
    }

    /** How a loss's terms are laid out over its inputs: what can be split, streamed or broadcast. */
    public enum Layout {
        /** One term per element of {@code input} (and {@code target}, same shape): mse, bce, kl_div. */
        ELEMENT,
        /**
         * One term per row of the first dimension (a sample: features, class scores, a box),
         * independent of the other rows: a batch may be split into chunks of rows and their sums
         * and divisors added (cross_entropy, triplet, cosine_similarity).
         */
        ROW,
        /**
         * One term per sample of a batch whose samples are not rows of a matrix: images
         * {@code [N, C, H, W]} (ssim, total_variation) or sequences {@code [T, N, C]} (ctc).
         */
        SAMPLE,
        /**
         * A mean over regions (images and classes) of a function of sums over each region's pixels
         * of {@code input} and {@code target} (dice, jaccard, tversky): region sums add over chunks.
         */
        REGION,
        /** One number computed from the whole input that no chunking reproduces (perplexity, ssim, dpo). */
        SCALAR
    }

    /**
     * Valid inputs of a loss for tests and demonstrations: a float64 call of batch size {@code n}
     * (the catalog's N; {@code n = 0} gives the empty batch) for the given options, with values
     * away from kinks and clamps, so finite differences and float32 comparisons are meaningful.
     */
    @FunctionalInterface
    public interface Example {
        Inputs make(Random rng, int n, Options options);
    }

    /** One named input of a loss. */
    public static final class InputSpec {
        private final String name;
        private final String shape;
        private final boolean required;
        private final boolean differentiable;
        private final DType labelType;
        private final boolean alsoInt64;
        private final boolean identifiers;

        InputSpec(String name, String shape, boolean required, boolean differentiable, DType labelType,
                boolean alsoInt64) {
            this(name, shape, required, differentiable, labelType, alsoInt64, false);
        }

        InputSpec(String name, String shape, boolean required, boolean differentiable, DType labelType,
                boolean alsoInt64, boolean identifiers) {
            this.name = name;
            this.shape = shape;
            this.required = required;
            this.differentiable = differentiable;
            this.labelType = labelType;
            this.alsoInt64 = alsoInt64;
            this.identifiers = identifiers;
        }

        public String name() {
            return name;
        }

        /** The accepted shapes and domain in words, e.g. {@code [N, C] logits}. */
        public String shape() {
            return shape;
        }

        public boolean required() {
            return required;
        }

        /** True when the loss returns a gradient with respect to this input. */
        public boolean differentiable() {
            return differentiable;
        }

        /** {@link DType#INT64} for an integer input (labels, lengths), null for a floating one. */
        public DType integerType() {
            return labelType;
        }

        /** True for a floating input that may also be given as int64 (cross_entropy's class-index target). */
        public boolean alsoInt64() {
            return alsoInt64;
        }

        /**
         * True for int64 identifiers compared only for equality (the class labels of metric learning):
         * every value is valid, none is out of range, and relabelling them one-to-one changes nothing.
         */
        public boolean identifiers() {
            return identifiers;
        }
    }

    private final String name;
    private final Family family;
    private final String summary;
    private final String formula;
    private final String divisor;
    private final List<InputSpec> inputs;
    private final List<OptionSpec<?>> options;
    private final boolean differentiable;
    private final boolean kinks;
    private final boolean convex;
    private final boolean robust;
    private final boolean hessian;
    private final Layout layout;
    private final Variable variable;
    private final double inputBound;
    private final List<Reduction> reductions;
    private final List<String> tasks;
    private final String reference;
    private final String heldConstant;
    private final Function<Options, Loss> factory;
    private final Example example;
    private final Map<String, Object> exampleOptions;
    private final List<String> dependentOptions;

    private LossInfo(Builder b) {
        this.name = b.name;
        this.family = b.family;
        this.summary = b.summary;
        this.formula = b.formula;
        this.divisor = b.divisor;
        this.inputs = Collections.unmodifiableList(new ArrayList<>(b.inputs));
        this.options = List.copyOf(b.options);
        this.differentiable = b.differentiable;
        this.kinks = b.kinks;
        this.convex = b.convex;
        this.robust = b.robust;
        this.hessian = b.hessian;
        this.layout = b.layout;
        this.variable = b.variable != null ? b.variable : b.layout == Layout.ELEMENT ? Variable.RESIDUAL : Variable.NONE;
        this.inputBound = b.inputBound;
        List<Reduction> rs = new ArrayList<>();
        for (OptionSpec<?> o : b.options) {
            if (o.name().equals("reduction")) {
                for (String c : o.choices()) {
                    rs.add(Reduction.parse(c));
                }
            }
        }
        this.reductions = List.copyOf(rs);
        this.example = b.example;
        this.exampleOptions = Map.copyOf(b.exampleOptions);
        this.dependentOptions = List.copyOf(b.dependentOptions);
        this.tasks = List.copyOf(b.tasks);
        this.reference = b.reference;
        this.heldConstant = b.heldConstant;
        this.factory = b.factory;
    }

    public static Builder builder(String name, Family family) {
        return new Builder(name, family);
    }

    /** Builds the loss with {@code raw} options (missing ones take their defaults). */
    public Loss create(Map<String, ?> raw) {
        return factory.apply(Options.parse(name, options, raw));
    }

    /** Builds the loss with default options. */
    public Loss create() {
        return create(Map.of());
    }

    public String name() {
        return name;
    }

    public Family family() {
        return family;
    }

    /** One line: what the loss is for. */
    public String summary() {
        return summary;
    }

    /** The definition of one term, as in the catalog. */
    public String formula() {
        return formula;
    }

    /** What reduction {@code mean} divides by (or that the loss is always a scalar). */
    public String divisor() {
        return divisor;
    }

    public List<InputSpec> inputs() {
        return inputs;
    }

    public List<OptionSpec<?>> options() {
        return options;
    }

    public boolean differentiable() {
        return differentiable;
    }

    /**
     * True for a loss differentiable almost everywhere but not at some kinks (mae at a zero
     * residual, hinge at the margin, l1 at a zero weight), where the gradient returned is a
     * subgradient, as the catalog says for each.
     */
    public boolean kinks() {
        return kinks;
    }

    public boolean convex() {
        return convex;
    }

    /** True when the loss grows at most linearly in a gross error (robust to outliers). */
    public boolean robustToOutliers() {
        return robust;
    }

    /** True for the elementwise losses that also give the diagonal Hessian (for gradient boosting). */
    public boolean hessian() {
        return hessian;
    }

    /** How the terms are laid out over the inputs. */
    public Layout layout() {
        return layout;
    }

    /** The one variable the loss is a function of in its simplest use (see {@link Variable}). */
    public Variable variable() {
        return variable;
    }

    /**
     * The largest input magnitude up to which finite inputs give a finite (not NaN) value and gradients:
     * {@code Double.POSITIVE_INFINITY} unless the loss has such a limit (ssim and ms_ssim form second moments
     * ~x², which overflow for pixel values beyond about 1e154: their bound is 1e150).
     */
    public double inputBound() {
        return inputBound;
    }

    /** The reductions the loss accepts, in the order of the option's choices; empty for a loss that is always a scalar. */
    public List<Reduction> reductions() {
        return reductions;
    }

    /**
     * True when the loss's inputs are {@code input} and {@code target}, first, and nothing else is
     * required (weights and the like optional): the form a framework's (prediction, label) pair fits.
     */
    public boolean takesInputAndTarget() {
        return inputs.size() >= 2 && inputs.get(0).name().equals("input") && inputs.get(1).name().equals("target")
                && inputs.stream().skip(2).noneMatch(InputSpec::required);
    }

    /** True when the loss has a reduction option (its value may be the terms, a sum or a mean). */
    public boolean reducible() {
        return !reductions.isEmpty();
    }

    /**
     * Valid example inputs (see {@link Example}) for {@code raw} options merged over
     * {@link #exampleOptions()}. Every registered loss has them (a test checks).
     */
    public Inputs example(Random rng, int n, Map<String, ?> raw) {
        if (example == null) {
            throw new IllegalStateException("loss " + name + " has no example inputs");
        }
        Map<String, Object> m = new java.util.LinkedHashMap<>(exampleOptions);
        m.putAll(raw);
        return example.make(rng, n, Options.parse(name, options, m));
    }

    /** {@link #example(Random, int, Map)} with the example options. */
    public Inputs example(Random rng, int n) {
        return example(rng, n, Map.of());
    }

    /** True when the loss has example inputs. */
    public boolean hasExample() {
        return example != null;
    }

    /**
     * Options that example calls are made with unless overridden (e.g. a small SSIM window for
     * the examples' small images); usually empty.
     */
    public Map<String, Object> exampleOptions() {
        return exampleOptions;
    }

    /**
     * Options whose allowed values also depend on another option (dpo's label_smoothing is below 0.5
     * for loss_type robust): a value inside the option's own range can still be refused when the loss
     * is built ({@link ErrorKind#INVALID_OPTION}, the message starting {@code "option <name> = "}),
     * for some values of the others; the option's default is valid with every combination of the
     * others. Usually empty.
     */
    public List<String> dependentOptions() {
        return dependentOptions;
    }

    public List<String> tasks() {
        return tasks;
    }

    /** The paper or library the definition follows. */
    public String reference() {
        return reference;
    }

    /**
     * What the gradient holds constant by definition (circle's weights α_p, α_n, detached as in
     * pytorch-metric-learning), so that it is not the derivative of the value for any options; null
     * for a loss whose gradient is the derivative of its value.
     */
    public String heldConstant() {
        return heldConstant;
    }

    /**
     * False for a loss whose gradient holds something constant that depends on the inputs
     * ({@link #heldConstant()}: circle's weights, lambda_rank's |ΔNDCG| pair weights, LambdaMART's λ):
     * its gradient is then not a finite difference of its value. True for every other loss.
     */
    public boolean exactGradient() {
        return heldConstant == null;
    }

    /** Fluent construction of a {@link LossInfo}. */
    public static final class Builder {
        private final String name;
        private final Family family;
        private String summary = "";
        private String formula = "";
        private String divisor = "the number of terms";
        private final List<InputSpec> inputs = new ArrayList<>();
        private final List<OptionSpec<?>> options = new ArrayList<>();
        private boolean differentiable = true;
        private boolean kinks;
        private boolean convex;
        private boolean robust;
        private boolean hessian;
        private Layout layout;
        private Variable variable;
        private double inputBound = Double.POSITIVE_INFINITY;
        private final List<String> tasks = new ArrayList<>();
        private String reference = "";
        private String heldConstant;
        private Function<Options, Loss> factory;
        private Example example;
        private final Map<String, Object> exampleOptions = new java.util.LinkedHashMap<>();
        private final List<String> dependentOptions = new ArrayList<>();

        Builder(String name, Family family) {
            this.name = name;
            this.family = family;
        }

        public Builder summary(String s) {
            summary = s;
            return this;
        }

        public Builder formula(String s) {
            formula = s;
            return this;
        }

        public Builder divisor(String s) {
            divisor = s;
            return this;
        }

        /** A floating input that the loss differentiates with respect to. */
        public Builder gradInput(String n, String shape) {
            inputs.add(new InputSpec(n, shape, true, true, null, false));
            return this;
        }

        /** A required floating input with no gradient. */
        public Builder input(String n, String shape) {
            inputs.add(new InputSpec(n, shape, true, false, null, false));
            return this;
        }

        /** An optional floating input with no gradient (e.g. weights). */
        public Builder optionalInput(String n, String shape) {
            inputs.add(new InputSpec(n, shape, false, false, null, false));
            return this;
        }

        /** A required floating input with no gradient that may also be int64 (class indices). */
        public Builder floatOrIndexInput(String n, String shape) {
            inputs.add(new InputSpec(n, shape, true, false, null, true));
            return this;
        }

        /** A required int64 input (labels, lengths). */
        public Builder labelInput(String n, String shape) {
            inputs.add(new InputSpec(n, shape, true, false, DType.INT64, false));
            return this;
        }

        /** A required int64 input of identifiers compared only for equality: any value (see {@link InputSpec#identifiers()}). */
        public Builder identifierInput(String n, String shape) {
            inputs.add(new InputSpec(n, shape, true, false, DType.INT64, false, true));
            return this;
        }

        public Builder options(OptionSpec<?>... specs) {
            options.addAll(List.of(specs));
            return this;
        }

        public Builder differentiable(boolean b) {
            differentiable = b;
            return this;
        }

        /** Differentiable except at kinks, where the gradient is a subgradient (see {@link LossInfo#kinks()}). */
        public Builder kinks(boolean b) {
            kinks = b;
            return this;
        }

        public Builder convex(boolean b) {
            convex = b;
            return this;
        }

        public Builder robust(boolean b) {
            robust = b;
            return this;
        }

        /** One term per element, with the diagonal Hessian (the losses of {@link ElementwiseLoss}). */
        public Builder elementwise(boolean b) {
            hessian = b;
            if (b) {
                layout = Layout.ELEMENT;
            }
            return this;
        }

        public Builder layout(Layout l) {
            layout = l;
            return this;
        }

        /** The one variable of the loss's simplest use, when it is not the residual of an elementwise loss. */
        public Builder variable(Variable v) {
            variable = v;
            return this;
        }

        /** The input magnitude beyond which finite inputs may overflow to NaN (see {@link LossInfo#inputBound()}). */
        public Builder inputBound(double b) {
            inputBound = b;
            return this;
        }

        /** Example inputs for tests and demonstrations (see {@link Example}). */
        public Builder example(Example e) {
            example = e;
            return this;
        }

        /** An option that example calls are made with unless overridden. */
        public Builder exampleOption(String key, Object value) {
            exampleOptions.put(key, value);
            return this;
        }

        /** Options whose allowed values depend on other options (see {@link LossInfo#dependentOptions()}). */
        public Builder dependentOptions(String... names) {
            dependentOptions.addAll(List.of(names));
            return this;
        }

        public Builder tasks(String... t) {
            tasks.addAll(List.of(t));
            return this;
        }

        public Builder reference(String r) {
            reference = r;
            return this;
        }

        /** What the gradient holds constant by definition (see {@link LossInfo#heldConstant()}). */
        public Builder heldConstant(String what) {
            heldConstant = what;
            return this;
        }

        public Builder factory(Function<Options, Loss> f) {
            factory = f;
            return this;
        }

        public LossInfo build() {
            if (factory == null) {
                throw new IllegalStateException("loss " + name + " has no factory");
            }
            if (layout == null) {
                throw new IllegalStateException("loss " + name + " has no term layout");
            }
            for (String d : dependentOptions) {
                if (options.stream().noneMatch(o -> o.name().equals(d))) {
                    throw new IllegalStateException("loss " + name + " has no option " + d + " to depend on others");
                }
            }
            // every elementwise loss takes a per-element weight (ElementwiseLoss's driver applies it)
            if (hessian && inputs.stream().noneMatch(s -> s.name().equals("weight"))) {
                optionalInput("weight", "same shape as input: multiplies each term, its gradient and Hessian;"
                        + " mean still divides by the number of elements");
            }
            // every row loss that can return its terms takes per-sample weights (LossCall applies them)
            boolean none = options.stream().anyMatch(o -> o.name().equals("reduction") && o.choices().contains("none"));
            if (layout == Layout.ROW && none && inputs.stream().noneMatch(s -> s.name().equals(LossCall.SAMPLE_WEIGHT))) {
                optionalInput(LossCall.SAMPLE_WEIGHT, "[N]: one weight per sample, multiplying its terms and"
                        + " gradients; mean keeps its divisor (Keras sample_weight)");
            }
            return new LossInfo(this);
        }
    }
}
