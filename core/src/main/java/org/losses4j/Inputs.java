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
 * <p>A gradient buffer must have the shape and dtype of its input and an array of its own
 * (not an input's array, not another buffer's: refused with {@link ErrorKind#ALIASED_BUFFER}),
 * and may be given only for an input the loss differentiates ({@link ErrorKind#NO_GRADIENT}
 * otherwise); the loss writes the gradient into it (overwriting it) and returns that same
 * tensor in the result, allocating nothing for it. When a call fails with a {@link LossException}, the buffer's contents are
 * unspecified: a check made inside the single pass (bce_with_logits' target range on float32)
 * may find the bad value after part of the gradient was written.
 */
public final class Inputs {
    // a handful of named tensors: parallel arrays, copied on each with/gradInto (calls are few,
    // lookups many), so a loss call iterates and looks up without allocating
    private final String[] names;
    private final Tensor[] tensors;
    private final String[] gradNames;
    private final Tensor[] gradBuffers;

    private static final Inputs EMPTY = new Inputs(new String[0], new Tensor[0], new String[0], new Tensor[0]);

    private Inputs(String[] names, Tensor[] tensors, String[] gradNames, Tensor[] gradBuffers) {
        this.names = names;
        this.tensors = tensors;
        this.gradNames = gradNames;
        this.gradBuffers = gradBuffers;
    }

    /** No inputs yet. */
    public static Inputs empty() {
        return EMPTY;
    }

    /** One named input. */
    public static Inputs of(String name, Tensor t) {
        return empty().with(name, t);
    }

    /** The conventional pair {@code input}, {@code target}. */
    public static Inputs of(Tensor input, Tensor target) {
        return of("input", input).with("target", target);
    }

    /**
     * A copy with one more named input (replacing one of the same name). A null tensor adds
     * nothing (an optional input left out); a null name is refused.
     */
    public Inputs with(String name, Tensor t) {
        Check.notNull(name, "Inputs.with: the input name");
        if (t == null) {
            return this;
        }
        int i = indexOf(names, name);
        if (i >= 0) {
            Tensor[] ts = tensors.clone();
            ts[i] = t;
            return new Inputs(names, ts, gradNames, gradBuffers);
        }
        return new Inputs(append(names, name), append(tensors, t), gradNames, gradBuffers);
    }

    /** A copy that asks for the gradient with respect to {@code name} to be written into {@code buffer}. */
    public Inputs gradInto(String name, Tensor buffer) {
        Check.notNull(name, "Inputs.gradInto: the input name");
        Check.notNull(buffer, "Inputs.gradInto: the gradient buffer for '" + name + "'");
        int i = indexOf(gradNames, name);
        if (i >= 0) {
            Tensor[] bs = gradBuffers.clone();
            bs[i] = buffer;
            return new Inputs(names, tensors, gradNames, bs);
        }
        return new Inputs(names, tensors, append(gradNames, name), append(gradBuffers, buffer));
    }

    /** The named input, or null. */
    public Tensor get(String name) {
        int i = indexOf(names, name);
        return i < 0 ? null : tensors[i];
    }

    /** True when the named input is present. */
    public boolean has(String name) {
        return indexOf(names, name) >= 0;
    }

    /** Every input by name, in the order they were added (a read-only map). */
    public Map<String, Tensor> tensors() {
        return asMap(names, tensors);
    }

    /** The number of inputs. */
    int count() {
        return names.length;
    }

    /** The name of input {@code i} (in the order they were added). */
    String name(int i) {
        return names[i];
    }

    /** The tensor of input {@code i}. */
    Tensor tensor(int i) {
        return tensors[i];
    }

    /** The number of gradient buffers. */
    int gradCount() {
        return gradNames.length;
    }

    /** The input name of gradient buffer {@code i}. */
    String gradName(int i) {
        return gradNames[i];
    }

    /** Gradient buffer {@code i}. */
    Tensor gradTensor(int i) {
        return gradBuffers[i];
    }

    /** The caller's gradient buffer for {@code name}, or null. */
    public Tensor gradBuffer(String name) {
        int i = indexOf(gradNames, name);
        return i < 0 ? null : gradBuffers[i];
    }

    /** Every caller gradient buffer by input name (a read-only map). */
    public Map<String, Tensor> gradBuffers() {
        return asMap(gradNames, gradBuffers);
    }

    private static int indexOf(String[] names, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static <T> T[] append(T[] a, T v) {
        T[] b = java.util.Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        return b;
    }

    private static Map<String, Tensor> asMap(String[] names, Tensor[] ts) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], ts[i]);
        }
        return Collections.unmodifiableMap(m);
    }
}
