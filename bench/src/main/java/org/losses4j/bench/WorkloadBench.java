package org.losses4j.bench;

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
 * Every standard workload of WORKLOADS.md at its full size, value + gradient through the
 * public API ({@code Losses.create(name, options).compute(inputs.gradInto(...))}) with
 * caller-provided float32 gradient buffers; data as torch_baseline.py (see {@link Workloads}).
 * A workload whose loss is not registered yet fails its setup with one "skipped" line.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 7, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx8g"})
public class WorkloadBench {
    /** One workload's data and loss, built once per fork (JMH forks each workload apart). */
    @State(Scope.Benchmark)
    public static class W {
        @Param({"mse_10M_f32", "huber_10M_f32", "bce_logits_10M_f32", "ce_4096x32000_f32", "ce_65536x10_f32",
                "ctc_T200_N32_C30_S50_f32", "dice_8x4x256x256_f32", "triplet_4096x256_f32", "ce_2048x131072_f32",
                "focal_10M_f32"})
        public String workload;

        @Param("1")
        public int threads;

        Workloads.Workload w;
        Loss loss;

        @Setup(Level.Trial)
        public void setup() {
            Parallel.setThreads(threads);
            w = Workloads.make(workload);
            try {
                loss = w.create();
            } catch (LossException e) {
                throw Skip.of(workload, e);
            }
            System.err.println("[losses4j bench] " + workload + ": kernels " + Kernels.description() + ", threads "
                    + Parallel.threads());
        }
    }

    /** Value and gradient of the workload (into its float32 buffers). */
    @Benchmark
    public double step(W s) {
        return s.loss.compute(s.w.inputs).value();
    }
}
