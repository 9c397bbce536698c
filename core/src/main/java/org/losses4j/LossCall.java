package org.losses4j;

import java.util.Arrays;

/**
 * One call of a loss, as its implementation sees it: the checked inputs at the precision it
 * computes in, the gradient arrays it fills, the reduction that scales value and gradient alike,
 * and the one {@code finish} that builds the result. {@link AbstractLoss} makes one per call;
 * loss implementations use it, library users never need it.
 *
 * <p>A computation reads its inputs ({@link #input}), takes each gradient array once
 * ({@link #gradient}, {@link #gradient32} or {@link #gradientTensor}: the caller's buffer when one
 * was given, else a new array; null on a value-only call), declares how many terms it reduces
 * over ({@link #reduce(int, double)}: also where the mean of no terms is refused, in one place),
 * multiplies every gradient contribution by {@link #scale()}, and returns {@link #finish}. The
 * result's terms and gradients come out in the caller's precision: on the float64 path taken for
 * float32 data by a loss without a float32-native computation, the gradients are handed out as
 * per-thread scratch and narrowed into the caller's float32 buffers (or new arrays) by finish.
 *
 * <p>Gradients appear in the result in the order they were taken. Scratch for the computation
 * comes from {@link #scratch()}, a {@link Workspace} open for the whole call; a computation that
 * opens a nested workspace takes its gradients first (taken inside, scratch gradients would be
 * given back by the nested close).
 */
public final class LossCall {
    private final LossInfo info;
    /** The tensors the computation reads: the caller's, or float64 copies of its float32 ones. */
    private final Inputs in;
    /** The caller's inputs and gradient buffers. */
    private final Inputs caller;
    private final DType precision;
    private final DType resultType;
    private final boolean widened;
    private final boolean grad;
    private final boolean hessianWanted;
    private final Reduction reduction;
    private final Workspace ws;

    private String[] names;
    private Tensor[] grads;
    private int count;
    private Tensor hessian;
    private double scale = 1;
    private double divisor = Double.NaN;

    LossCall(LossInfo info, Reduction reduction, Inputs in, Inputs caller, DType precision, DType resultType,
            boolean grad, boolean hessian, Workspace ws) {
        this.info = info;
        this.reduction = reduction;
        this.in = in;
        this.caller = caller;
        this.precision = precision;
        this.resultType = resultType;
        this.widened = in != caller;
        this.grad = grad;
        this.hessianWanted = hessian;
        this.ws = ws;
    }

    /** The named input at the computation's precision, or null when it was not given. */
    public Tensor input(String name) {
        return in.get(name);
    }

    /** The named input; {@link ErrorKind#MISSING_INPUT} when it was not given. */
    public Tensor require(String name) {
        return Check.require(in, name);
    }

    /** The inputs at the computation's precision. */
    public Inputs inputs() {
        return in;
    }

    /** {@link DType#FLOAT32} on a float32-native computation, else {@link DType#FLOAT64}. */
    public DType precision() {
        return precision;
    }

    /** True when the caller asked for gradients. */
    public boolean wantsGradient() {
        return grad;
    }

    /** True when the caller asked for the diagonal Hessian too (elementwise losses). */
    public boolean wantsHessian() {
        return hessianWanted;
    }

    /** The reduction asked for; {@link Reduction#MEAN} for a loss that is always a scalar. */
    public Reduction reduction() {
        return reduction;
    }

    /** True for reduction {@code none}: the result is the terms. */
    public boolean unreduced() {
        return reduction == Reduction.NONE;
    }

    /**
     * True when the computation must keep its terms (not only their sum): for reduction {@code none},
     * and for a per-sample {@code sample_weight} of a row loss, which {@link #finish(double[], double, int...)}
     * applies to the terms and the gradient rows.
     */
    public boolean keepsTerms() {
        return reduction == Reduction.NONE || sampleWeight() != null;
    }

    /** The per-sample weights of a row loss ({@code sample_weight}), or null. */
    private Tensor sampleWeight() {
        return info.layout() == LossInfo.Layout.ROW ? in.get(SAMPLE_WEIGHT) : null;
    }

    /** The optional input of every row loss with reduction {@code none}: one weight per sample. */
    static final String SAMPLE_WEIGHT = "sample_weight";

    /** True when the caller gave a buffer for the gradient with respect to {@code name}. */
    public boolean hasCallerBuffer(String name) {
        return caller.gradBuffer(name) != null;
    }

    /** Per-thread scratch, open for the whole call (see the class comment on nesting). */
    public Workspace scratch() {
        return ws;
    }

    // ---- gradients ----

    /**
     * A zero-filled float64 array for the gradient with respect to {@code name}, shaped like
     * {@code like}: the caller's float64 buffer when one was given; null on a value-only call.
     */
    public double[] gradient(String name, Tensor like) {
        if (!grad) {
            return null;
        }
        Tensor buf = widened && isFloat32Input(name) ? null : caller.gradBuffer(name);
        double[] g;
        Tensor t;
        if (buf != null) {
            Check.gradBuffer(name, buf, like, DType.FLOAT64);
            g = buf.f64();
            Arrays.fill(g, 0, like.size(), 0.0);
            t = buf;
        } else {
            // the float64 image of a float32 input's gradient is scratch: finish narrows it out
            g = widened && isFloat32Input(name) ? ws.doublesExact(like.size(), true) : new double[like.size()];
            t = Tensor.of(g, like.shape());
        }
        add(name, t);
        return g;
    }

    /**
     * A zero-filled float32 array for the gradient with respect to {@code name} on a
     * float32-native computation: the caller's float32 buffer when given; null on a value-only call.
     */
    public float[] gradient32(String name, Tensor like) {
        Tensor t = gradientTensor(name, like, DType.FLOAT32);
        if (t == null) {
            return null;
        }
        if (hasCallerBuffer(name)) {
            Arrays.fill(t.f32(), 0, like.size(), 0f);
        }
        return t.f32();
    }

    /**
     * The gradient output for {@code name} at the computation's precision, for a kernel that
     * writes every element: the caller's buffer as it is (not cleared) or a new zero array; null
     * on a value-only call.
     */
    public Tensor gradientTensor(String name, Tensor like) {
        if (precision == DType.FLOAT64) {
            if (!grad) {
                return null;
            }
            Tensor buf = widened ? null : caller.gradBuffer(name);
            if (buf == null) {
                gradient(name, like);
                return grads[count - 1];
            }
            Check.gradBuffer(name, buf, like, DType.FLOAT64);
            add(name, buf);
            return buf;
        }
        return gradientTensor(name, like, DType.FLOAT32);
    }

    private Tensor gradientTensor(String name, Tensor like, DType dt) {
        if (!grad) {
            return null;
        }
        Tensor buf = caller.gradBuffer(name);
        if (buf != null) {
            Check.gradBuffer(name, buf, like, dt);
        } else {
            buf = Tensor.zeros(dt, like.shape());
        }
        add(name, buf);
        return buf;
    }

    /** Attaches the diagonal Hessian (at the computation's precision) to the result. */
    public void hessian(Tensor h) {
        hessian = h;
    }

    private boolean isFloat32Input(String name) {
        Tensor t = caller.get(name);
        return t == null || t.dtype() == DType.FLOAT32;
    }

    private void add(String name, Tensor t) {
        if (names == null) {
            names = new String[2];
            grads = new Tensor[2];
        } else if (count == names.length) {
            names = Arrays.copyOf(names, 2 * count);
            grads = Arrays.copyOf(grads, 2 * count);
        }
        names[count] = name;
        grads[count++] = t;
    }

    // ---- the reduction ----

    /**
     * The reduction over {@code terms} terms whose {@code mean} divides by {@code divisor} (their
     * count, Σ of weights ...), and for {@code batchmean} by {@code batch}. Returns the factor that
     * scales the sum of the terms and every gradient contribution ({@link #scale()}). A mean of no
     * terms (a batchmean of no rows) is refused here ({@link ErrorKind#EMPTY_INPUT}, naming the loss's
     * first empty input);
     * a mean whose divisor is 0 over some terms (every target ignored) is NaN.
     */
    public double reduce(int terms, double divisor, double batch) {
        boolean averaged = reduction == Reduction.MEAN || reduction == Reduction.BATCHMEAN;
        if (averaged && (terms == 0 || (batch == 0 && reduction == Reduction.BATCHMEAN))) {
            refuseEmpty();
        }
        this.divisor = reduction == Reduction.BATCHMEAN ? batch : divisor;
        scale = reduction == Reduction.MEAN ? 1.0 / divisor : reduction == Reduction.BATCHMEAN ? 1.0 / batch : 1.0;
        return scale;
    }

    /** {@link #reduce(int, double, double)} for a loss without {@code batchmean}. */
    public double reduce(int terms, double divisor) {
        return reduce(terms, divisor, divisor);
    }

    /** {@link #reduce(int, double)} where {@code mean} divides by the number of terms. */
    public double reduce(int terms) {
        return reduce(terms, terms, terms);
    }

    /**
     * A weighted mean computed with rescaled weights: {@code mean} scales by
     * {@code 1 / computedDivisor} (Σ of the weights as the kernel uses them) while the result
     * reports {@code divisor} (Σ of the caller's weights); other reductions as {@link #reduce(int, double)}.
     */
    public double reduceWeighted(int terms, double divisor, double computedDivisor) {
        double s = reduce(terms, divisor);
        if (reduction == Reduction.MEAN) {
            scale = 1.0 / computedDivisor;
            return scale;
        }
        return s;
    }

    /**
     * Refuses a mean of no terms; for the losses that are always a scalar mean, also called when
     * an input they average over is empty whatever the reduction.
     */
    public void refuseEmpty() {
        for (LossInfo.InputSpec s : info.inputs()) {
            Tensor t = in.get(s.name());
            if (t != null && t.size() == 0) {
                Check.nonEmpty(s.name(), t);
            }
        }
        Tensor first = in.get(info.inputs().get(0).name());
        throw new LossException(ErrorKind.EMPTY_INPUT, info.inputs().get(0).name() + " "
                + (first == null ? "" : first.shapeString() + " ") + "has no terms: the mean of no terms is undefined");
    }

    /** The factor of {@link #reduce}: 1 until a reduction was declared. */
    public double scale() {
        return scale;
    }

    /**
     * An array for {@code n} terms, zero-filled: a new one for reduction {@code none} (it becomes
     * the result), else scratch (only their sum is kept).
     */
    public double[] terms(int n) {
        return reduction == Reduction.NONE ? new double[n] : ws.doubles(n);
    }

    // ---- the result ----

    /** The result from the sum of the terms, scaled by the reduction (not for reduction none). */
    public LossResult finish(double sum) {
        if (sampleWeight() != null) {
            throw new IllegalStateException(info.name() + " finished from a sum: its " + SAMPLE_WEIGHT + " was not applied");
        }
        return build(sum * scale, null, divisor);
    }

    /**
     * The result from the terms: for reduction {@code none} the terms in {@code shape} (a number
     * when {@code shape} is {@code []}), else the scaled sum of the first (product of
     * {@code shape}) of them.
     */
    public LossResult finish(double[] terms, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += terms[i];
        }
        return finish(terms, s, shape);
    }

    /**
     * {@link #finish(double[], int...)} when the computation already summed the terms. With a
     * {@code sample_weight} w (row losses), the terms of sample i (of dimension 0 of the term shape)
     * and every gradient's row i are multiplied by w_i first, and the sum is that of the weighted terms;
     * {@code mean} keeps the loss's own divisor.
     */
    public LossResult finish(double[] terms, double sum, int... shape) {
        Tensor sw = sampleWeight();
        if (sw != null) {
            sum = weigh(sw, terms, shape);
        }
        if (reduction == Reduction.NONE && shape.length > 0) {
            Tensor t = Tensor.of(terms, shape);
            return build(sum, resultType == DType.FLOAT32 ? t.asFloat32() : t, divisor);
        }
        return build(sum * scale, null, divisor);
    }

    /**
     * Multiplies the terms of each sample and each gradient's rows by the sample's weight; returns the
     * weighted sum. A term shape of {@code []} (one unbatched sample) takes one weight.
     */
    private double weigh(Tensor sw, double[] terms, int[] shape) {
        int n = shape.length == 0 ? 1 : shape[0];
        if (sw.rank() > 1 || sw.size() != n) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, SAMPLE_WEIGHT + " shape " + sw.shapeString()
                    + " must be [" + n + "]: one weight per sample (the loss's terms have shape "
                    + Arrays.toString(shape) + ")");
        }
        if (terms == null) {
            throw new IllegalStateException(info.name() + " did not keep its terms for " + SAMPLE_WEIGHT);
        }
        int total = 1;
        for (int d : shape) {
            total *= d;
        }
        int per = n == 0 ? 0 : total / n;
        double sum = 0;
        for (int i = 0; i < total; i++) {
            double t = terms[i] * sw.getDouble(i / per);
            terms[i] = t;
            sum += t;
        }
        for (int k = 0; k < count; k++) {
            Tensor g = grads[k];
            int len = n == 0 ? 0 : g.size() / n;
            for (int r = 0; r < n; r++) {
                double w = sw.getDouble(r);
                if (g.dtype() == DType.FLOAT32) {
                    float[] a = g.f32();
                    for (int i = r * len, e = i + len; i < e; i++) {
                        a[i] = (float) (a[i] * w);
                    }
                } else {
                    double[] a = g.f64();
                    for (int i = r * len, e = i + len; i < e; i++) {
                        a[i] *= w;
                    }
                }
            }
        }
        return sum;
    }

    /** The result of reduction {@code none} from terms already in a tensor of input's precision, and their sum. */
    public LossResult finishTerms(Tensor terms, double sum) {
        return build(sum, resultType == DType.FLOAT32 && terms.dtype() == DType.FLOAT64 ? terms.asFloat32() : terms,
                divisor);
    }

    /** The result from a value that is already final (an outer function of a mean, a ratio): not scaled. */
    public LossResult finishValue(double value) {
        return build(value, null, Double.NaN);
    }

    private LossResult build(double value, Tensor terms, double div) {
        String[] n = count == 0 ? NO_NAMES : Arrays.copyOf(names, count);
        Tensor[] g = count == 0 ? NO_GRADS : Arrays.copyOf(grads, count);
        if (widened) {
            for (int i = 0; i < g.length; i++) {
                g[i] = narrow(n[i], g[i]);
            }
        }
        return LossResult.of(value, terms, n, g, hessian, div);
    }

    private static final String[] NO_NAMES = {};
    private static final Tensor[] NO_GRADS = {};

    /** A float64 gradient of the widened path in the caller's precision (into its buffer when given). */
    private Tensor narrow(String name, Tensor g64) {
        if (!isFloat32Input(name)) {
            return g64; // a float64 input of a mixed call: the caller's buffer or a new array already
        }
        double[] src = g64.f64();
        Tensor buf = caller.gradBuffer(name);
        if (buf != null) {
            Check.gradBuffer(name, buf, g64, DType.FLOAT32);
        }
        float[] dst = buf != null ? buf.f32() : new float[src.length];
        for (int i = 0; i < src.length; i++) {
            dst[i] = (float) src[i];
        }
        return buf != null ? buf : Tensor.of(dst, g64.shape());
    }
}
