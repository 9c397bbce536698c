package org.losses4j;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every builder of a loss object has: the generic, compiler-typed {@link #set(OptionSpec, Object)},
 * {@link #reduction(Reduction)} and {@link #build()}, each returning the builder's own type so that
 * they chain with the loss's typed setters, e.g.
 * {@code Huber.builder().delta(0.5).reduction(Reduction.SUM).build()}. A loss with options has a
 * nested {@code Builder} adding one setter per option, named after it ({@code label_smoothing} →
 * {@code labelSmoothing}); a loss without has a {@link LossBuilder}. Values are validated by
 * {@link #build()}, the same way {@link Losses#create(String, Map)} validates them.
 *
 * @param <L> the loss class built
 * @param <B> the builder's own type
 */
public abstract class AbstractLossBuilder<L extends Loss, B extends AbstractLossBuilder<L, B>> {
    private final LossInfo info;
    private final Class<L> type;
    private final Map<String, Object> raw = new LinkedHashMap<>();

    protected AbstractLossBuilder(LossInfo info, Class<L> type) {
        this.info = info;
        this.type = type;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * Sets one option; its type is checked by the compiler, its range by {@link #build()}.
     * Setting an option again replaces the earlier value.
     */
    public <T> B set(OptionSpec<T> option, T value) {
        raw.put(option.name(), value);
        return self();
    }

    /** Sets the {@code reduction} option (refused at build time by losses that are always scalars). */
    public B reduction(Reduction r) {
        raw.put("reduction", r);
        return self();
    }

    /**
     * The validated, immutable loss.
     *
     * @throws LossException of kind {@link ErrorKind#INVALID_OPTION} naming the option and value
     *         when a value is outside its allowed range or the options do not go together
     */
    public L build() {
        return type.cast(info.create(raw));
    }
}
