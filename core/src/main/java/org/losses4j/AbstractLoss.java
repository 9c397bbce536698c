package org.losses4j;

/**
 * Base of the loss implementations. Every call runs {@link #run} (final), the one place where a
 * call is checked against {@link LossInfo#inputs()} (presence, no unknown names, int64 vs
 * floating, the caller's gradient buffers), its precision chosen (that of the first floating
 * input the loss differentiates) and a {@link LossCall} made for it. The loss implements
 * {@link #evaluate}, its computation at the call's {@link LossCall#precision()}: float64 unless
 * the loss says in {@link #computesFloat32} that it reads these float32 inputs natively. Other
 * float32 data is widened once for a float64 computation, and its terms and gradients narrowed
 * back by the call's finish.
 */
public abstract class AbstractLoss implements Loss {
    private final LossInfo info;
    protected final Options options;
    /** The reduction option's value; {@link Reduction#MEAN} for a loss that is always a scalar. */
    private final Reduction reduction;

    protected AbstractLoss(LossInfo info, Options options) {
        this.info = info;
        this.options = options;
        Reduction r = options.reduction();
        this.reduction = r == null ? Reduction.MEAN : r;
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
    public final LossResult compute(Inputs inputs) {
        return run(inputs, true, false);
    }

    @Override
    public final LossResult value(Inputs inputs) {
        return run(inputs, false, false);
    }

    /**
     * The loss: read the inputs from {@code c}, take the gradients from it, reduce, return its
     * finish. The inputs are float64 unless {@code c.precision()} is float32 (see {@link #computesFloat32}).
     */
    protected abstract LossResult evaluate(LossCall c);

    /**
     * True when {@link #evaluate} reads these inputs natively in float32 (called only when their
     * first differentiable input is float32). Default: false (float32 data is widened to float64).
     */
    protected boolean computesFloat32(Inputs in) {
        return false;
    }

    /**
     * {@link DiagonalHessian#computeWithHessian} for the losses that implement it: a call whose
     * {@link LossCall#wantsHessian()} is true (the computation attaches the Hessian with
     * {@link LossCall#hessian(Tensor)}).
     */
    protected final LossResult runWithHessian(Inputs in) {
        return run(in, true, true);
    }

    /** Checks the call, then computes at its precision (widening float32 data where the loss has no float32 path). */
    final LossResult run(Inputs in, boolean grad, boolean hessian) {
        DType dt = checkInputs(in);
        try (Workspace ws = Workspace.acquire()) {
            if (dt == DType.FLOAT64) {
                return evaluate(new LossCall(info, reduction, in, in, DType.FLOAT64, dt, grad, hessian, ws));
            }
            if (computesFloat32(in)) {
                return evaluate(new LossCall(info, reduction, in, in, DType.FLOAT32, dt, grad, hessian, ws));
            }
            // the widened inputs are per-thread scratch, reused by the next call of the same size
            Inputs wide = Inputs.empty();
            for (int i = 0, n = in.count(); i < n; i++) {
                Tensor t = in.tensor(i);
                wide = wide.with(in.name(i), t.dtype() == DType.FLOAT32 ? widen(t, ws) : t);
            }
            return evaluate(new LossCall(info, reduction, wide, in, DType.FLOAT64, dt, grad, hessian, ws));
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
    private DType checkInputs(Inputs in) {
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
            } else if (t.dtype() != DType.INT64 || !s.alsoInt64()) {
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

    private LossInfo.InputSpec findInput(String name) {
        java.util.List<LossInfo.InputSpec> specs = info.inputs();
        for (int i = 0, n = specs.size(); i < n; i++) {
            if (specs.get(i).name().equals(name)) {
                return specs.get(i);
            }
        }
        return null;
    }

    /** The reduction option, for losses that declare one ({@link Reduction#MEAN} for the others). */
    protected final Reduction reduction() {
        return reduction;
    }

    @Override
    public String toString() {
        return info.name() + options.asText();
    }
}
