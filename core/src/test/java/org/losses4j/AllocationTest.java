package org.losses4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.losses4j.kernels.Kernels;

/**
 * Memory a call allocates when the caller provides the gradient buffers: a small constant
 * (result objects), never proportional to the input. Measured with the thread's allocated-bytes
 * counter (HotSpot), so this is exact and not a timing: interpreted or compiled, a call that
 * widened its input, allocated a scratch block or per-row arrays would show tens of kilobytes.
 *
 * <p>The fused float32 kernels are measured on the scalar path (the surefire execution
 * {@code scalar-kernels}): Vector API code allocates a box per operation until C2 compiles it,
 * which a short test cannot wait for deterministically. The compiled vector path is measured by
 * JMH ({@code bench/run -prof gc ElementwiseBench}, see docs/performance.md).
 */
class AllocationTest {
    /** Generous for the interpreter (no escape analysis): a few dozen small objects. */
    private static final long LIMIT = 4096;

    private static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long perCall(Loss loss, Inputs in) {
        double sink = 0;
        for (int i = 0; i < 5; i++) {
            sink += loss.compute(in).value(); // first calls: per-thread scratch, class loading
        }
        long tid = Thread.currentThread().getId();
        int reps = 20;
        long before = MX.getThreadAllocatedBytes(tid);
        for (int i = 0; i < reps; i++) {
            sink += loss.compute(in).value();
        }
        long after = MX.getThreadAllocatedBytes(tid);
        assertThat(sink).isNotNaN();
        return (after - before) / reps;
    }

    private static float[] randn(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    private static void assertConstant(String what, IntFunction<long[]> measureAtSize) {
        long[] small = measureAtSize.apply(1);
        long[] large = measureAtSize.apply(64);
        assertThat(small[0]).as("%s: bytes per call, small input", what).isLessThan(LIMIT);
        assertThat(large[0]).as("%s: bytes per call, 64x larger input", what).isLessThan(LIMIT);
    }

    @Test
    void elementwiseFloat32WithCallerBuffer() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Kernels.floats().path().equals("scalar"),
                "interpreted Vector API code boxes; measured on the scalar-kernels execution");
        assertThat(MX.isThreadAllocatedMemorySupported()).isTrue();
        MX.setThreadAllocatedMemoryEnabled(true);
        for (String name : new String[] {"mse", "huber", "bce_with_logits", "mae", "log_cosh", "smooth_l1", "focal"}) {
            Loss loss = Losses.create(name, Map.of());
            assertConstant(name, k -> {
                Random r = new Random(k);
                int n = 1000 * k + 7;
                float[] x = randn(r, n);
                float[] y = new float[n];
                for (int i = 0; i < n; i++) {
                    y[i] = r.nextInt(2);
                }
                Inputs in = Inputs.of(Tensor.vector(x), Tensor.vector(y)).gradInto("input", Tensor.vector(new float[n]));
                return new long[] {perCall(loss, in)};
            });
        }
    }

    @Test
    void elementwiseFloat64WithCallerBuffer() {
        Loss loss = Losses.create("quantile", Map.of());
        assertConstant("quantile f64", k -> {
            Random r = new Random(k);
            int n = 1000 * k + 3;
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = r.nextGaussian();
                y[i] = r.nextGaussian();
            }
            Inputs in = Inputs.of(Tensor.vector(x), Tensor.vector(y)).gradInto("input", Tensor.vector(new double[n]));
            return new long[] {perCall(loss, in)};
        });
    }

    @Test
    void tripletFloat32WithCallerBuffers() {
        for (String reduction : new String[] {"mean", "sum"}) {
            Loss loss = Losses.create("triplet", Map.of("reduction", reduction));
            assertConstant("triplet " + reduction, k -> {
                Random r = new Random(k);
                int rows = 16 * k;
                int d = 32;
                Inputs in = Inputs.of("anchor", Tensor.of(randn(r, rows * d), rows, d))
                        .with("positive", Tensor.of(randn(r, rows * d), rows, d))
                        .with("negative", Tensor.of(randn(r, rows * d), rows, d))
                        .gradInto("anchor", Tensor.of(new float[rows * d], rows, d))
                        .gradInto("positive", Tensor.of(new float[rows * d], rows, d))
                        .gradInto("negative", Tensor.of(new float[rows * d], rows, d));
                return new long[] {perCall(loss, in)};
            });
        }
    }

    @Test
    void ctcFloat32WithCallerBuffer() {
        Loss loss = Losses.create("ctc", Map.of());
        assertConstant("ctc", k -> {
            Random r = new Random(k);
            int t = 20 * k;
            int n = 2;
            int c = 6;
            int s = 5;
            float[] lp = new float[t * n * c];
            for (int i = 0; i < t * n; i++) { // log-softmax rows
                double sum = 0;
                double[] e = new double[c];
                for (int j = 0; j < c; j++) {
                    e[j] = Math.exp(r.nextGaussian());
                    sum += e[j];
                }
                for (int j = 0; j < c; j++) {
                    lp[i * c + j] = (float) Math.log(e[j] / sum);
                }
            }
            long[] targets = new long[n * s];
            for (int i = 0; i < targets.length; i++) {
                targets[i] = 1 + r.nextInt(c - 1);
            }
            Inputs in = Inputs.of("log_probs", Tensor.of(lp, t, n, c))
                    .with("targets", Tensor.ofLabels(targets, n, s))
                    .with("input_lengths", Tensor.ofLabels(new long[] {t, t}, n))
                    .with("target_lengths", Tensor.ofLabels(new long[] {s, s}, n))
                    .gradInto("log_probs", Tensor.of(new float[t * n * c], t, n, c));
            return new long[] {perCall(loss, in)};
        });
    }

    @Test
    void crossEntropyAndDiceFloat32WithCallerBuffer() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Kernels.floats().path().equals("scalar"),
                "interpreted Vector API code boxes; measured on the scalar-kernels execution");
        for (int c : new int[] {10, 300}) {
            Loss loss = Losses.create("cross_entropy", Map.of());
            assertConstant("cross_entropy c=" + c, k -> {
                Random r = new Random(k);
                int rows = 40 * k;
                long[] y = new long[rows];
                for (int i = 0; i < rows; i++) {
                    y[i] = r.nextInt(c);
                }
                Inputs in = Inputs.of("input", Tensor.of(randn(r, rows * c), rows, c))
                        .with("target", Tensor.ofLabels(y, rows))
                        .gradInto("input", Tensor.of(new float[rows * c], rows, c));
                return new long[] {perCall(loss, in)};
            });
        }
        Loss dice = Losses.create("dice", Map.of());
        assertConstant("dice", k -> {
            Random r = new Random(k);
            int n = 4 * 2 * 500 * k;
            float[] p = new float[n];
            float[] t = new float[n];
            for (int i = 0; i < n; i++) {
                p[i] = r.nextFloat();
                t[i] = r.nextInt(2);
            }
            int[] shape = {4, 2, 500 * k};
            Inputs in = Inputs.of(Tensor.of(p, shape), Tensor.of(t, shape)).gradInto("input", Tensor.of(new float[n], shape));
            return new long[] {perCall(dice, in)};
        });
    }

    /**
     * Losses without a float32 kernel of their own compute on float64 copies of float32 inputs
     * (AbstractLoss): the copies and the float64 gradients are per-thread scratch, not new arrays.
     */
    @Test
    void float32ThroughTheFloat64PathWithCallerBuffers() {
        Loss kl = Losses.create("kl_div", Map.of());
        assertConstant("kl_div f32", k -> {
            Random r = new Random(k);
            int rows = 8 * k;
            int c = 50;
            float[] lq = new float[rows * c];
            float[] p = new float[rows * c];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < c; j++) {
                    p[i * c + j] = 1f / c;
                    lq[i * c + j] = (float) (Math.log(1.0 / c) + 0.01 * r.nextGaussian());
                }
            }
            Inputs in = Inputs.of("input", Tensor.of(lq, rows, c)).with("target", Tensor.of(p, rows, c))
                    .gradInto("input", Tensor.of(new float[rows * c], rows, c))
                    .gradInto("target", Tensor.of(new float[rows * c], rows, c));
            return new long[] {perCall(kl, in)};
        });
        Loss mr = Losses.create("margin_ranking", Map.of("margin", 0.1));
        assertConstant("margin_ranking f32", k -> {
            Random r = new Random(k);
            int n = 500 * k;
            float[] t = new float[n];
            for (int i = 0; i < n; i++) {
                t[i] = r.nextBoolean() ? 1f : -1f;
            }
            Inputs in = Inputs.of("input1", Tensor.vector(randn(r, n))).with("input2", Tensor.vector(randn(r, n)))
                    .with("target", Tensor.vector(t))
                    .gradInto("input1", Tensor.vector(new float[n])).gradInto("input2", Tensor.vector(new float[n]));
            return new long[] {perCall(mr, in)};
        });
    }

    @Test
    void workspaceIsZeroedOnReuseAndNotSharedByNestedCalls() {
        double[] first;
        double[] nested;
        try (Workspace ws = Workspace.acquire()) {
            first = ws.doubles(10);
            java.util.Arrays.fill(first, 7.0);
            try (Workspace inner = Workspace.acquire()) {
                nested = inner.doubles(10);
                assertThat(nested).isNotSameAs(first);
            }
            try (Workspace inner = Workspace.acquire()) {
                assertThat(inner.doubles(4)).as("a closed nested acquire's arrays are reused").isSameAs(nested);
            }
            assertThat(ws.doubles(3)).as("the enclosing acquire continues after its own arrays").isSameAs(nested);
            assertThat(first[0]).isEqualTo(7.0);
        }
        try (Workspace ws = Workspace.acquire()) {
            double[] again = ws.doubles(8);
            assertThat(again).isSameAs(first);
            for (int i = 0; i < 8; i++) {
                assertThat(again[i]).isZero();
            }
            int[] big = ws.ints(Workspace.RETAIN_MAX + 1);
            assertThat(big.length).isEqualTo(Workspace.RETAIN_MAX + 1);
        }
        try (Workspace ws = Workspace.acquire()) {
            ws.doubles(1);
            assertThat(ws.ints(1).length).as("a huge array is not kept").isLessThan(Workspace.RETAIN_MAX);
        }
    }

    /** A thread keeps at most RETAIN_BYTES of scratch; replacing a slot frees its bytes in the count. */
    @Test
    void workspaceKeepsAtMostItsByteBudgetPerThread() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                int n = Workspace.RETAIN_MAX; // 8 MiB of doubles: four fill the 32 MiB budget
                assertThat(Workspace.RETAIN_BYTES).isEqualTo(4L * 8 * n);
                double[][] first = new double[5][];
                try (Workspace ws = Workspace.acquire()) {
                    for (int i = 0; i < 5; i++) {
                        first[i] = ws.doubles(n);
                    }
                }
                try (Workspace ws = Workspace.acquire()) {
                    for (int i = 0; i < 4; i++) {
                        assertThat(ws.doubles(n)).as("array %d is kept", i).isSameAs(first[i]);
                    }
                    assertThat(ws.doubles(n)).as("the fifth would pass the budget: not kept").isNotSameAs(first[4]);
                }
                float[] small;
                try (Workspace ws = Workspace.acquire()) {
                    small = ws.floats(16); // replaces the first double[] in its slot: 8 MiB freed
                }
                try (Workspace ws = Workspace.acquire()) {
                    assertThat(ws.floats(16)).isSameAs(small);
                    double[] other = ws.doubles(n);
                    assertThat(other).isSameAs(first[1]);
                }
                double[] again;
                try (Workspace ws = Workspace.acquire()) {
                    again = ws.doubles(n); // slot 0 back to 8 MiB: 32 MiB again, within the budget
                }
                try (Workspace ws = Workspace.acquire()) {
                    assertThat(ws.doubles(n)).as("kept once the replaced slot's bytes were freed").isSameAs(again);
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }
}
