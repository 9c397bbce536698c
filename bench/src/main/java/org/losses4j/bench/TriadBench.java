package org.losses4j.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
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
 * The streaming triad {@code c[i] = a[i] + s·b[i]} over three float arrays of 2^25 elements
 * (128 MiB each, far beyond the 32 MiB L3): 12 bytes per element counted (read a and b, write
 * c), the same accounting as the workloads' "bytes that must move". Bandwidth = 12·n / time.
 * {@code threads} splits it like the losses (fixed chunks on {@link Parallel#forChunks}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
public class TriadBench {
    @Param("33554432")
    public int floats;

    @Param({"1", "2"})
    public int threads;

    private float[] a;
    private float[] b;
    private float[] c;

    @Setup(Level.Trial)
    public void setup() {
        Parallel.setThreads(threads);
        a = new float[floats];
        b = new float[floats];
        c = new float[floats];
        Arrays.fill(a, 1f);
        Arrays.fill(b, 2f);
    }

    @Benchmark
    public float triad() {
        float[] a = this.a;
        float[] b = this.b;
        float[] c = this.c;
        Parallel.forChunks(floats, Parallel.CHUNK, (chunk, from, to) -> triad(a, b, c, 0.5f, from, to));
        return c[floats - 1];
    }

    private static void triad(float[] a, float[] b, float[] c, float s, int from, int to) {
        for (int i = from; i < to; i++) {
            c[i] = a[i] + s * b[i];
        }
    }
}
