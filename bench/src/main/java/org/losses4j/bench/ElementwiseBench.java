package org.losses4j.bench;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.losses4j.Loss;
import org.losses4j.LossException;
import org.losses4j.cli.Workloads;
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
 * The elementwise workloads (mse, huber δ = 1, bce_with_logits; mean) at sizes whose three
 * float arrays (input, target, gradient) sit in L1 (2,048 elements: 24 KiB), in L2 (32,768:
 * 384 KiB) and in DRAM (10,000,000: 120 MB, beyond the 32 MiB L3). Time per call in
 * nanoseconds; divide 12 B × n by it for the bandwidth.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
public class ElementwiseBench {
    @Param({"mse", "huber", "bce_with_logits"})
    public String loss;

    @Param({"2048", "32768", "10000000"})
    public int n;

    @Param("1")
    public int threads;

    /**
     * Floats allocated just before the data: shifts where the arrays start relative to 32-byte
     * vector boundaries (Java does not align arrays beyond 8 or 16 bytes), to see how much the
     * placement of the data matters.
     */
    @Param("0")
    public int pad;

    private float[] padding;

    private Workloads.Workload w;
    private Loss l;

    @Setup(Level.Trial)
    public void setup() {
        Parallel.setThreads(threads);
        padding = new float[pad];
        Map<String, Object> options = loss.equals("huber") ? Map.of("delta", 1.0) : Map.of();
        w = Workloads.elementwise(loss + "_" + n, loss, options, n, new SplittableRandom(Workloads.SEED));
        try {
            l = w.create();
        } catch (LossException e) {
            throw Skip.of(w.name, e);
        }
        System.err.println("[losses4j bench] kernels " + Kernels.description());
    }

    @Benchmark
    public double valueAndGradient() {
        return l.compute(w.inputs).value();
    }
}
