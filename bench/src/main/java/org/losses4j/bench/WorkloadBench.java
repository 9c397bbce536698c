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
    /** One workload's data and loss, built once per fork. */
    @State(Scope.Benchmark)
    public abstract static class W {
        @Param("1")
        public int threads;

        Workloads.Workload w;
        Loss loss;

        abstract String name();

        @Setup(Level.Trial)
        public void setup() {
            Parallel.setThreads(threads);
            w = Workloads.make(name());
            try {
                loss = w.create();
            } catch (LossException e) {
                throw Skip.of(name(), e);
            }
            System.err.println("[losses4j bench] " + name() + ": kernels " + Kernels.description() + ", threads "
                    + Parallel.threads());
        }

        double step() {
            return loss.compute(w.inputs).value();
        }
    }

    public static class Mse extends W {
        @Override
        String name() {
            return "mse_10M_f32";
        }
    }

    public static class Huber extends W {
        @Override
        String name() {
            return "huber_10M_f32";
        }
    }

    public static class BceLogits extends W {
        @Override
        String name() {
            return "bce_logits_10M_f32";
        }
    }

    public static class CeLarge extends W {
        @Override
        String name() {
            return "ce_4096x32000_f32";
        }
    }

    public static class CeSmall extends W {
        @Override
        String name() {
            return "ce_65536x10_f32";
        }
    }

    public static class Ctc extends W {
        @Override
        String name() {
            return "ctc_T200_N32_C30_S50_f32";
        }
    }

    public static class Dice extends W {
        @Override
        String name() {
            return "dice_8x4x256x256_f32";
        }
    }

    public static class Triplet extends W {
        @Override
        String name() {
            return "triplet_4096x256_f32";
        }
    }

    @Benchmark
    public double mse_10M_f32(Mse s) {
        return s.step();
    }

    @Benchmark
    public double huber_10M_f32(Huber s) {
        return s.step();
    }

    @Benchmark
    public double bce_logits_10M_f32(BceLogits s) {
        return s.step();
    }

    @Benchmark
    public double ce_4096x32000_f32(CeLarge s) {
        return s.step();
    }

    @Benchmark
    public double ce_65536x10_f32(CeSmall s) {
        return s.step();
    }

    @Benchmark
    public double ctc_T200_N32_C30_S50_f32(Ctc s) {
        return s.step();
    }

    @Benchmark
    public double dice_8x4x256x256_f32(Dice s) {
        return s.step();
    }

    @Benchmark
    public double triplet_4096x256_f32(Triplet s) {
        return s.step();
    }
}
