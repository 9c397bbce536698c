package org.losses4j;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Typed construction of a loss object: each loss class exposes {@code builder()} and its
 * option constants, e.g. {@code Huber.builder().set(Huber.DELTA, 0.5).reduction(Reduction.SUM).build()}.
 * Values are validated by {@link #build()}.
 *
 * @param <L> the loss class built
 */
public final class LossBuilder<L extends Loss> {
    private final LossInfo info;
    private final Class<L> type;
    private final Map<String, Object> raw = new LinkedHashMap<>();

    public LossBuilder(LossInfo info, Class<L> type) {
        this.info = info;
        this.type = type;
    }

    /** Sets one option; its type is checked by the compiler, its range by {@link #build()}. */
    public <T> LossBuilder<L> set(OptionSpec<T> option, T value) {
        raw.put(option.name(), value);
        return this;
    }

    /** Sets the {@code reduction} option (refused at build time by losses that are always scalars). */
    public LossBuilder<L> reduction(Reduction r) {
        raw.put("reduction", r);
        return this;
    }

    /** The validated, immutable loss. */
    public L build() {
        return type.cast(info.create(raw));
    }
}
