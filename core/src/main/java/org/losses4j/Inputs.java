package org.losses4j;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The named input tensors of one loss call ({@code input}, {@code target}, {@code weight},
 * ...), and optionally caller-provided gradient buffers. Build one per call:
 *
 * <pre>{@code
 * Inputs in = Inputs.of("input", Tensor.vector(pred)).with("target", Tensor.vector(truth))
 *                   .gradInto("input", Tensor.vector(gradBuffer));
 * }</pre>
 *
 * <p>A gradient buffer must have the shape and dtype of its input; the loss writes the
 * gradient into it (overwriting it) and returns that same tensor in the result, allocating
 * nothing for it.
 */
public final class Inputs {
    private final Map<String, Tensor> tensors;
    private final Map<String, Tensor> gradBuffers;

    private Inputs(Map<String, Tensor> tensors, Map<String, Tensor> gradBuffers) {
        this.tensors = tensors;
        this.gradBuffers = gradBuffers;
    }

    /** No inputs yet. */
    public static Inputs empty() {
        return new Inputs(Collections.emptyMap(), Collections.emptyMap());
    }

    /** One named input. */
    public static Inputs of(String name, Tensor t) {
        return empty().with(name, t);
    }

    /** The conventional pair {@code input}, {@code target}. */
    public static Inputs of(Tensor input, Tensor target) {
        return of("input", input).with("target", target);
    }

    /** A copy with one more named input (replacing one of the same name). */
    public Inputs with(String name, Tensor t) {
        if (t == null) {
            return this;
        }
        Map<String, Tensor> m = new LinkedHashMap<>(tensors);
        m.put(name, t);
        return new Inputs(Collections.unmodifiableMap(m), gradBuffers);
    }

    /** A copy that asks for the gradient with respect to {@code name} to be written into {@code buffer}. */
    public Inputs gradInto(String name, Tensor buffer) {
        Map<String, Tensor> m = new LinkedHashMap<>(gradBuffers);
        m.put(name, buffer);
        return new Inputs(tensors, Collections.unmodifiableMap(m));
    }

    /** The named input, or null. */
    public Tensor get(String name) {
        return tensors.get(name);
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    /** All named inputs, in insertion order (unmodifiable). */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /** The caller's gradient buffer for {@code name}, or null. */
    public Tensor gradBuffer(String name) {
        return gradBuffers.get(name);
    }

    /** All gradient buffers (unmodifiable). */
    public Map<String, Tensor> gradBuffers() {
        return gradBuffers;
    }
}
