package org.losses4j.bench;

import java.util.concurrent.TimeUnit;
import org.losses4j.cli.Workloads;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
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
 * The second peer in the same JVM: Deeplearning4j's ND4J built-in losses on the same workloads
 * (same data generator as losses4j's benchmarks), value + gradient via
 * {@link ILossFunction#computeGradientAndScore} (which allocates its gradient: ND4J has no
 * caller-buffer form). Mapping: mse_10M → LossMSE on [1, n] with the identity activation (score
 * = the mean over the n outputs); bce_logits_10M → LossBinaryXENT with a sigmoid activation on
 * the logits; ce_* → LossMCXENT with a softmax activation and one-hot labels (ND4J's MCXENT
 * takes no index targets). ND4J has no Huber loss, dice, triplet or CTC. Threads: run with
 * {@code OMP_NUM_THREADS=1} (bench/run sets it unless given) for one thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 7, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g"})
public class Nd4jBench {
    /** Labels, pre-activation input, the loss and its activation. */
    @State(Scope.Benchmark)
    public static class N {
        @Param({"mse_10M_f32", "bce_logits_10M_f32", "ce_4096x32000_f32", "ce_65536x10_f32"})
        public String workload;

        INDArray labels;
        INDArray pre;
        ILossFunction loss;
        IActivation act;

        /** The workload in ND4J's form: its loss function and the activation it expects. */
        void make() {
            switch (workload) {
                case "mse_10M_f32":
                    elementwise(workload, new LossMSE(), new ActivationIdentity());
                    break;
                case "bce_logits_10M_f32":
                    elementwise(workload, new LossBinaryXENT(), new ActivationSigmoid());
                    break;
                default:
                    crossEntropy(workload);
            }
        }

        @Setup(Level.Trial)
        public void setup() {
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
            make();
            System.err.println("[losses4j bench] ND4J " + Nd4j.getBackend().getClass().getSimpleName() + ", "
                    + pre.dataType() + " " + java.util.Arrays.toString(pre.shape()) + ", OMP_NUM_THREADS="
                    + System.getenv("OMP_NUM_THREADS"));
        }

        void elementwise(String name, ILossFunction l, IActivation a) {
            Workloads.Workload w = Workloads.make(name);
            long n = w.elements;
            pre = Nd4j.createFromArray(w.f32("input")).reshape(1, n);
            labels = Nd4j.createFromArray(w.f32("target")).reshape(1, n);
            loss = l;
            act = a;
        }

        void crossEntropy(String name) {
            Workloads.Workload w = Workloads.make(name);
            long[] t = w.i64("target");
            int rows = t.length;
            int c = (int) (w.elements / rows);
            float[] onehot = new float[rows * c];
            for (int i = 0; i < rows; i++) {
                onehot[i * c + (int) t[i]] = 1f;
            }
            pre = Nd4j.createFromArray(w.f32("input")).reshape(rows, c);
            labels = Nd4j.createFromArray(onehot).reshape(rows, c);
            loss = new LossMCXENT();
            act = new ActivationSoftmax();
        }
    }

    /** Score and gradient of the workload through ND4J's loss function. */
    @Benchmark
    public double step(N s) {
        return s.loss.computeGradientAndScore(s.labels, s.pre, s.act, null, true).getFirst();
    }
}
