package org.losses4j;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gradient outputs of one float64 loss computation: hands out zeroed {@code double[]}
 * arrays for each differentiable input, reusing the caller's buffer where one was given.
 * Used by loss implementations (see {@link AbstractLoss}); not needed by library users.
 */
public final class Grads {
    private final Inputs buffers;
    /** Where arrays without a caller's buffer come from; null: new arrays. */
    private final Workspace scratch;
    private final Map<String, Tensor> out = new LinkedHashMap<>();

    Grads(Inputs buffers) {
        this(buffers, null);
    }

    /**
     * Gradients in {@code scratch} (the float32 path of {@link AbstractLoss}, which copies them
     * out before the workspace is closed). A loss must therefore take its gradients before it
     * opens a nested {@link Workspace} of its own: taken inside, they would be given back by the
     * nested close.
     */
    Grads(Inputs buffers, Workspace scratch) {
        this.buffers = buffers;
        this.scratch = scratch;
    }

    /**
     * A zero-filled array for the gradient with respect to {@code name}, shaped like
     * {@code like}; the caller's float64 buffer when one was registered.
     */
    public double[] zeros(String name, Tensor like) {
        Tensor buf = buffers.gradBuffer(name);
        double[] g;
        if (buf != null) {
            Check.gradBuffer(name, buf, like, DType.FLOAT64);
            g = buf.f64();
            Arrays.fill(g, 0, like.size(), 0.0);
            out.put(name, buf);
        } else {
            g = scratch == null ? new double[like.size()] : scratch.doublesExact(like.size(), true);
            out.put(name, Tensor.of(g, like.shape()));
        }
        return g;
    }

    /** The gradients handed out so far, by input name. */
    public Map<String, Tensor> map() {
        return out;
    }
}
