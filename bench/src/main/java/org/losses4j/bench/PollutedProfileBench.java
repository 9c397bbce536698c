package org.losses4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.Losses;
import org.losses4j.Tensor;
import org.losses4j.cli.Workloads;
import org.losses4j.kernels.Kernels;
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
 * mse measured after a setup that first drives many different losses through the shared
 * elementwise driver (float32 and float64, value and gradient, interleaved so the JIT sees a
 * megamorphic profile at every shared call site), to show that the per-loss hot loops stay
 * monomorphic: compare {@code pollute=true} with the control {@code pollute=false} (same data,
 * allocated at the same point, in a JVM that has only ever seen mse).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
public class PollutedProfileBench {
    /** Losses run before measuring (those not registered in this build are left out and reported). */
    static final String[] POLLUTERS = {"mse", "huber", "mae", "log_cosh", "quantile", "smooth_l1", "bce_with_logits",
        "focal"};

    @Param({"32768", "10000000"})
    public int n;

    /** false: the control, same data and allocation order, no other loss ever run in this JVM. */
    @Param({"false", "true"})
    public boolean pollute;

    private Workloads.Workload w;
    private Loss mse;

    @Setup(Level.Trial)
    public void setup() {
        // The measured data first, then a full GC that moves it to the old generation, where the
        // young collections during the pollution leave it in place: the control and the polluted
        // run see the data at the same addresses (its alignment alone moves L2-sized timings by 1.5x).
        w = Workloads.elementwise("mse_" + n, "mse", Map.of(), n, new SplittableRandom(Workloads.SEED));
        mse = w.create();
        System.gc();
        if (pollute) {
            pollute();
        } else {
            System.err.println("[losses4j bench] control: only mse in this JVM; kernels " + Kernels.description());
        }
    }

    private void pollute() {
        int m = 32768;
        SplittableRandom r = new SplittableRandom(1);
        float[] x32 = Workloads.normal(m, r);
        float[] y32 = Workloads.normal(m, r);
        float[] y01 = new float[m];
        double[] x64 = new double[m];
        double[] y64 = new double[m];
        double[] y01d = new double[m];
        for (int i = 0; i < m; i++) {
            y01[i] = x32[i] > 0 ? 1f : 0f;
            y01d[i] = y01[i];
            x64[i] = x32[i];
            y64[i] = y32[i];
        }
        List<Loss> losses = new ArrayList<>();
        List<String> used = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : POLLUTERS) {
            if (Losses.exists(name)) {
                losses.add(Losses.create(name, Map.of()));
                used.add(name);
            } else {
                missing.add(name);
            }
        }
        float[] g32 = new float[m];
        double[] g64 = new double[m];
        double sink = 0;
        for (int it = 0; it < 400; it++) {
            for (Loss l : losses) {
                boolean binary = l.info().name().equals("bce_with_logits") || l.info().name().equals("focal");
                float[] t32 = binary ? y01 : y32;
                double[] t64 = binary ? y01d : y64;
                sink += l.compute(Inputs.of(Tensor.vector(x32), Tensor.vector(t32))
                        .gradInto("input", Tensor.vector(g32))).value();
                sink += l.compute(Inputs.of(Tensor.vector(x64), Tensor.vector(t64))
                        .gradInto("input", Tensor.vector(g64))).value();
                sink += l.value(Inputs.of(Tensor.vector(x32), Tensor.vector(t32))).value();
            }
        }
        System.err.println("[losses4j bench] profile polluted by " + used + (missing.isEmpty() ? ""
                : " (not registered in this build: " + missing + ")") + "; kernels " + Kernels.description()
                + "; checksum " + sink);
    }

    @Benchmark
    public double mseAfterOtherLosses() {
        return mse.compute(w.inputs).value();
    }
}
