package org.losses4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.losses4j.cli.Workloads;
import org.losses4j.kernels.FloatKernels;
import org.losses4j.kernels.Kernels;
import org.losses4j.kernels.Parallel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fused float32 kernels alone (no API, no validation), over the same fixed chunks the
 * elementwise driver uses: what a loss gets once it opts in. bce_with_logits is measured here
 * before its loss class exists. Run with {@code -jvmArgsAppend -Dlosses4j.kernels=scalar} for
 * the scalar path.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
public class FloatKernelsBench {
    @Param({"mse", "huber", "bce_with_logits"})
    public String kernel;

    @Param("10000000")
    public int n;

    @Param("1")
    public int threads;

    private float[] x;
    private float[] y;
    private float[] g;
    private FloatKernels k;

    @Setup(Level.Trial)
    public void setup() {
        Parallel.setThreads(threads);
        Workloads.Workload w = Workloads.elementwise(kernel, kernel, java.util.Map.of(), n,
                new SplittableRandom(Workloads.SEED));
        x = w.f32("input");
        y = w.f32("target");
        g = new float[n];
        k = Kernels.floats();
        System.err.println("[losses4j bench] kernels " + Kernels.description());
    }

    @Benchmark
    public double valueAndGradient() {
        float[] x = this.x;
        float[] y = this.y;
        float[] g = this.g;
        FloatKernels k = this.k;
        float s = 1f / n;
        switch (kernel) {
            case "mse":
                return Parallel.sumChunks(n, (from, to) -> k.mse(x, y, g, from, to, s));
            case "huber":
                return Parallel.sumChunks(n, (from, to) -> k.huber(x, y, g, from, to, s, 1f));
            default:
                return Parallel.sumChunks(n, (from, to) -> k.bceWithLogits(x, y, g, from, to, s, 1f, 0f));
        }
    }
}
