package org.losses4j;

/**
 * The builder of a loss with no options but {@code reduction}, e.g.
 * {@code Mse.builder().reduction(Reduction.SUM).build()}. Losses with options have their own
 * {@code Builder} with typed setters ({@code Huber.builder().delta(0.5)}); see
 * {@link AbstractLossBuilder}.
 *
 * @param <L> the loss class built
 */
public final class LossBuilder<L extends Loss> extends AbstractLossBuilder<L, LossBuilder<L>> {
    public LossBuilder(LossInfo info, Class<L> type) {
        super(info, type);
    }
}
