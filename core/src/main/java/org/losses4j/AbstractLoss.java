package org.losses4j;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Base of the loss implementations. It checks the inputs against {@link LossInfo#inputs()}
 * (presence, no unknown names, int64 vs floating), chooses the computation dtype from the
 * first differentiable input, and runs {@link #compute64} on float64 data: float32 inputs
 * are widened once, computed with float64 accumulation, and the terms and gradients narrowed
 * back to float32 (into the caller's buffers where given). Hot losses override
 * {@link #run(Inputs, boolean)} with native float32 paths.
 */
public abstract class AbstractLoss implements Loss {
    private final LossInfo info;
    protected final Options options;

    protected AbstractLoss(LossInfo info, Options options) {
        this.info = info;
        this.options = options;
    }

    @Override
    public final LossInfo info() {
        return info;
    }

    @Override
    public final Options options() {
        return options;
    }

    @Override
    public LossResult compute(Inputs inputs) {
        return run(inputs, true);
    }

    @Override
    public LossResult value(Inputs inputs) {
        return run(inputs, false);
    }

    /**
     * The loss on float64 inputs. {@code g} is null for a value-only call; otherwise take
     * each gradient array from {@code g.zeros(name, input)}.
     */
    protected abstract LossResult compute64(Inputs in, Grads g);

    /** Checks the inputs generically, then computes in float64 and narrows back if needed. */
    protected LossResult run(Inputs in, boolean grad) {
        DType dt = checkInputs(in);
        if (dt == DType.FLOAT64) {
            return compute64(in, grad ? new Grads(in) : null);
        }
        // the widened inputs and the float64 gradients are per-thread scratch, reused by the next
        // call of the same size: narrow copies everything the result keeps out of it
        try (Workspace ws = Workspace.acquire()) {
            Inputs wide = Inputs.empty();
            for (int i = 0, n = in.count(); i < n; i++) {
                Tensor t = in.tensor(i);
                wide = wide.with(in.name(i), t.dtype() == DType.FLOAT32 ? widen(t, ws) : t);
            }
            LossResult r = compute64(wide, grad ? new Grads(Inputs.empty(), ws) : null);
            return narrow(r, in);
        }
    }

    private static Tensor widen(Tensor t, Workspace ws) {
        float[] src = t.f32();
        double[] dst = ws.doublesExact(src.length, false);
        for (int i = 0; i < src.length; i++) {
            dst[i] = src[i];
        }
        return Tensor.of(dst, t.shape());
    }

    /**
     * Validates names and dtypes of the inputs and returns the computation dtype: that of
     * the first floating input the loss declares (float64 when it has none).
     */
    protected final DType checkInputs(Inputs in) {
        // indexed loops, no iterators: this runs on every call
        for (int i = 0, n = in.count(); i < n; i++) {
            String name = in.name(i);
            if (findInput(name) == null) {
                StringBuilder known = new StringBuilder();
                for (LossInfo.InputSpec s : info.inputs()) {
                    known.append(known.length() == 0 ? "" : ", ").append(s.name());
                }
                throw new LossException(ErrorKind.MISSING_INPUT, "loss " + info.name() + " has no input '" + name
                        + "' (inputs: " + known + ")");
            }
        }
        DType dt = null;
        java.util.List<LossInfo.InputSpec> specs = info.inputs();
        for (int i = 0, n = specs.size(); i < n; i++) {
            LossInfo.InputSpec s = specs.get(i);
            Tensor t = in.get(s.name());
            if (t == null) {
                if (s.required()) {
                    throw new LossException(ErrorKind.MISSING_INPUT, "loss " + info.name() + " needs input '"
                            + s.name() + "' (" + s.shape() + ")");
                }
                continue;
            }
            if (s.integerType() != null) {
                Check.dtype(s.name(), t, true);
            } else if (t.dtype() != DType.INT64 || !acceptsIntegerFor(s.name())) {
                Check.dtype(s.name(), t, false);
                if (dt == null) {
                    dt = t.dtype();
                }
            }
        }
        if (in.gradCount() > 0) {
            checkGradBuffers(in);
        }
        return dt == null ? DType.FLOAT64 : dt;
    }

    /**
     * The one check of the caller's gradient buffers, before anything is computed: each names an
     * input the loss differentiates and that was given, and owns its array. A buffer that is an
     * input's own array (or another buffer's) would be overwritten while the loss still reads it.
     * Shape and dtype are checked where the buffer is adopted (they depend on the path).
     */
    private void checkGradBuffers(Inputs in) {
        for (int i = 0, n = in.gradCount(); i < n; i++) {
            String name = in.gradName(i);
            LossInfo.InputSpec s = findInput(name);
            if (s == null || !s.differentiable() || in.get(name) == null) {
                String why = s == null ? "has no input '" + name + "'"
                        : !s.differentiable() ? "gives no gradient for input '" + name + "'"
                        : "was given no input '" + name + "'";
                throw new LossException(ErrorKind.NO_GRADIENT, "gradient buffer for " + name + ": loss " + info.name()
                        + " " + why + " (gradients: " + gradientNames(info) + ")");
            }
            Object a = in.gradTensor(i).array();
            for (int j = 0, m = in.count(); j < m; j++) {
                if (in.tensor(j).array() == a) {
                    throw new LossException(ErrorKind.ALIASED_BUFFER, "gradient buffer for " + name + " is the array of"
                            + " input " + in.name(j) + ": give the gradient an array of its own (the loss reads "
                            + in.name(j) + " while it writes the gradient)");
                }
            }
            for (int j = 0; j < i; j++) {
                if (in.gradTensor(j).array() == a) {
                    throw new LossException(ErrorKind.ALIASED_BUFFER, "gradient buffers for " + in.gradName(j) + " and "
                            + name + " are the same array: give each gradient an array of its own");
                }
            }
        }
    }

    /** The differentiable inputs of a loss, as text: {@code input, target}. */
    static String gradientNames(LossInfo info) {
        StringBuilder sb = new StringBuilder();
        for (LossInfo.InputSpec s : info.inputs()) {
            if (s.differentiable()) {
                sb.append(sb.length() == 0 ? "" : ", ").append(s.name());
            }
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }

    /** Overridden by losses whose floating input may alternatively be int64 (cross_entropy's target). */
    protected boolean acceptsIntegerFor(String inputName) {
        return false;
    }

    private LossInfo.InputSpec findInput(String name) {
        java.util.List<LossInfo.InputSpec> specs = info.inputs();
        for (int i = 0, n = specs.size(); i < n; i++) {
            if (specs.get(i).name().equals(name)) {
                return specs.get(i);
            }
        }
        return null;
    }

    /** Converts a float64 result back to float32, writing gradients into the caller's float32 buffers. */
    private static LossResult narrow(LossResult r, Inputs in) {
        Map<String, Tensor> grads = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : r.grads().entrySet()) {
            Tensor g64 = e.getValue();
            Tensor buf = in.gradBuffer(e.getKey());
            Tensor target = in.get(e.getKey());
            DType want = target == null ? DType.FLOAT32 : target.dtype();
            if (want != DType.FLOAT32) {
                grads.put(e.getKey(), copyInto(e.getKey(), g64, buf, DType.FLOAT64));
            } else {
                grads.put(e.getKey(), copyInto(e.getKey(), g64, buf, DType.FLOAT32));
            }
        }
        if (r.isUnreduced()) {
            return LossResult.unreduced(r.terms().asFloat32(), r.value(), grads).withDivisor(r.divisor());
        }
        return LossResult.scalar(r.value(), grads).withDivisor(r.divisor());
    }

    private static Tensor copyInto(String name, Tensor g64, Tensor buf, DType dtype) {
        double[] src = g64.f64();
        if (buf != null) {
            Check.gradBuffer(name, buf, g64, dtype);
        }
        if (dtype == DType.FLOAT64) {
            if (buf == null) {
                return Tensor.of(src.clone(), g64.shape()); // g64 may be scratch of the float32 path
            }
            System.arraycopy(src, 0, buf.f64(), 0, src.length);
            return buf;
        }
        float[] dst = buf != null ? buf.f32() : new float[src.length];
        for (int i = 0; i < src.length; i++) {
            dst[i] = (float) src[i];
        }
        return buf != null ? buf : Tensor.of(dst, g64.shape());
    }

    /** The reduction option, for losses that declare one. */
    protected final Reduction reduction() {
        return (Reduction) options.values().get("reduction");
    }

    @Override
    public String toString() {
        return info.name() + options.asText();
    }
}
