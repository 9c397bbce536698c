package org.losses4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the registry knows about a loss: catalog name, family, formula, inputs with their
 * shapes, options with defaults, what {@code mean} divides by, mathematical properties and
 * typical tasks. {@link #create(Map)} builds a loss from a raw option map.
 */
public final class LossInfo {
    /** One named input of a loss. */
    public static final class InputSpec {
        private final String name;
        private final String shape;
        private final boolean required;
        private final boolean differentiable;
        private final DType labelType;

        InputSpec(String name, String shape, boolean required, boolean differentiable, DType labelType) {
            this.name = name;
            this.shape = shape;
            this.required = required;
            this.differentiable = differentiable;
            this.labelType = labelType;
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
    }

    private final String name;
    private final Family family;
    private final String summary;
    private final String formula;
    private final String divisor;
    private final List<InputSpec> inputs;
    private final List<OptionSpec<?>> options;
    private final boolean differentiable;
    private final boolean convex;
    private final boolean robust;
    private final boolean elementwise;
    private final List<String> tasks;
    private final String reference;
    private final Function<Options, Loss> factory;

    private LossInfo(Builder b) {
        this.name = b.name;
        this.family = b.family;
        this.summary = b.summary;
        this.formula = b.formula;
        this.divisor = b.divisor;
        this.inputs = Collections.unmodifiableList(new ArrayList<>(b.inputs));
        this.options = List.copyOf(b.options);
        this.differentiable = b.differentiable;
        this.convex = b.convex;
        this.robust = b.robust;
        this.elementwise = b.elementwise;
        this.tasks = List.copyOf(b.tasks);
        this.reference = b.reference;
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

    public boolean convex() {
        return convex;
    }

    /** True when the loss grows at most linearly in a gross error (robust to outliers). */
    public boolean robustToOutliers() {
        return robust;
    }

    /** True for losses with one term per element, which also give the diagonal Hessian. */
    public boolean elementwise() {
        return elementwise;
    }

    public List<String> tasks() {
        return tasks;
    }

    /** The paper or library the definition follows. */
    public String reference() {
        return reference;
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
        private boolean convex;
        private boolean robust;
        private boolean elementwise;
        private final List<String> tasks = new ArrayList<>();
        private String reference = "";
        private Function<Options, Loss> factory;

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
            inputs.add(new InputSpec(n, shape, true, true, null));
            return this;
        }

        /** A required floating input with no gradient. */
        public Builder input(String n, String shape) {
            inputs.add(new InputSpec(n, shape, true, false, null));
            return this;
        }

        /** An optional floating input with no gradient (e.g. weights). */
        public Builder optionalInput(String n, String shape) {
            inputs.add(new InputSpec(n, shape, false, false, null));
            return this;
        }

        /** A required int64 input (labels, lengths). */
        public Builder labelInput(String n, String shape) {
            inputs.add(new InputSpec(n, shape, true, false, DType.INT64));
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

        public Builder convex(boolean b) {
            convex = b;
            return this;
        }

        public Builder robust(boolean b) {
            robust = b;
            return this;
        }

        public Builder elementwise(boolean b) {
            elementwise = b;
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

        public Builder factory(Function<Options, Loss> f) {
            factory = f;
            return this;
        }

        public LossInfo build() {
            if (factory == null) {
                throw new IllegalStateException("loss " + name + " has no factory");
            }
            return new LossInfo(this);
        }
    }
}
