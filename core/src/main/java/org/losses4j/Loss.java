package org.losses4j;

/**
 * A loss function: an immutable, thread-safe object holding validated options, that computes
 * the loss value and, in the same pass, its exact gradient with respect to each
 * differentiable input.
 *
 * <pre>{@code
 * Loss huber = Losses.create("huber", Map.of("delta", 0.5));
 * LossResult r = huber.compute(Inputs.of(Tensor.vector(pred), Tensor.vector(truth)));
 * double value = r.value();
 * double[] grad = r.grad("input").f64();
 * }</pre>
 *
 * <p>Inputs are validated at this boundary (shapes, dtypes, label ranges, value domains); a
 * refusal is a {@link LossException}. NaN inside a valid floating input propagates to the
 * result. Inputs in float32 are computed with float64 accumulation and give float32 results
 * and gradients; float64 inputs give float64.
 */
public interface Loss {
    /** The registry metadata: name, family, formula, inputs, options, properties. */
    LossInfo info();

    /** The option values this loss object was built with. */
    Options options();

    /** The catalog name, e.g. {@code huber}. */
    default String name() {
        return info().name();
    }

    /**
     * The value and the gradient with respect to every differentiable input, in one pass.
     * Gradients go into the buffers registered with {@link Inputs#gradInto} where given.
     */
    LossResult compute(Inputs inputs);

    /** The value only (no gradient is computed or allocated). */
    LossResult value(Inputs inputs);
}
