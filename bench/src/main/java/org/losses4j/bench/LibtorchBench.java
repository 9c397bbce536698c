package org.losses4j.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Every workload (WORKLOADS.md's eight and this project's two) done by libtorch 2.7 through DJL
 * ({@link LibtorchPeer}: the torch.nn.functional loss as TorchScript, value + gradient by
 * libtorch's autograd, float32, tensors made once in the setup) and by losses4j (caller's
 * float32 gradient buffers) on the same data, in the same run: {@code libtorch} and
 * {@code losses4j} are the two benchmarks, {@code threads} both sides' thread count
 * ({@code torch.set_num_threads} and {@code Parallel.setThreads}). For the ratio in one JVM with
 * the triad interleaved, use {@code ./losses bench --peer libtorch}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 7, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx8g"})
public class LibtorchBench {
    /**
     * WorkloadBench's state (the workloads, threads, data and losses4j loss)
     * plus the libtorch step on its own copies of the data.
     */
    @State(Scope.Benchmark)
    public static class T extends WorkloadBench.W {
        LibtorchPeer.Prepared torch;

        /**
         * WorkloadBench's setup, then libtorch's copies (JMH would not order two setups). JMH
         * finds this method on both classes and calls it twice: the second call does nothing.
         */
        @Override
        @Setup(Level.Trial)
        public void setup() {
            if (torch != null) {
                return;
            }
            super.setup();
            LibtorchPeer peer = new LibtorchPeer();
            peer.setThreads(threads);
            torch = peer.prepare(w);
            System.err.println("[losses4j bench] " + workload + ": libtorch " + peer.version() + ", threads "
                    + LibtorchPeer.threads());
        }

        @TearDown(Level.Trial)
        public void close() {
            torch.close();
        }
    }

    /** losses4j: value and gradient into the workload's float32 buffers. */
    @Benchmark
    public double losses4j(T s) {
        return s.loss.compute(s.w.inputs).value();
    }

    /** libtorch 2.7: forward and backward of the same loss on its own copies of the data. */
    @Benchmark
    public double libtorch(T s) {
        return s.torch.run();
    }
}
