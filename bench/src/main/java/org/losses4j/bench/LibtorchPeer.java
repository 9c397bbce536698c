package org.losses4j.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.losses4j.DType;
import org.losses4j.Tensor;
import org.losses4j.cli.BenchPeer;
import org.losses4j.cli.Workloads;

/**
 * libtorch 2.7 (PyTorch's C++ library, {@code ai.djl.pytorch:pytorch-native-cpu}) in this JVM
 * through DJL's PyTorch engine: the peer of {@code losses bench --peer libtorch} and of
 * {@link LibtorchBench}.
 *
 * <p>Each loss is the {@code torch.nn.functional} call of torch_baseline.py, run as a TorchScript
 * module (bench/scripts/torchscript_losses.py; DJL's NDArray API has no loss functions) with
 * DJL's autograd on: value and gradient by libtorch's own forward and backward kernels, float32.
 * The inputs are copied into libtorch-owned tensors once, in {@link #prepare}; each step makes a
 * fresh leaf view of each differentiable input (so the gradient is new each time, like
 * torch_baseline's {@code l.grad = None}, not accumulated), runs forward and backward and reads
 * the value; the previous step's gradients are released at the next step.
 *
 * <p>Offline: the native library comes from the pytorch-native-cpu jar on the class path
 * (extracted once into DJL's cache, {@code ~/.djl.ai} or {@code ENGINE_CACHE_DIR}) and the JNI
 * library from pytorch-jni; {@code ai.djl.offline=true} forbids any download. Threads:
 * {@link #setThreads} is {@code torch.set_num_threads} (DJL's {@code JniUtils.setNumThreads};
 * {@code -Dai.djl.pytorch.num_threads} sets the start value); the graph executor's optimizer is
 * off ({@code ai.djl.pytorch.graph_optimizer=false}) so the module runs its ops as eager PyTorch
 * does.
 */
public final class LibtorchPeer implements BenchPeer {
    static {
        defaultProperty("ai.djl.offline", "true");
        defaultProperty("ai.djl.pytorch.graph_optimizer", "false");
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static volatile Engine engine;

    /** DJL's PyTorch engine, loading libtorch on first use. */
    static Engine engine() {
        Engine e = engine;
        if (e == null) {
            synchronized (LibtorchPeer.class) {
                e = engine;
                if (e == null) {
                    e = Engine.getEngine("PyTorch");
                    engine = e;
                }
            }
        }
        return e;
    }

    @Override
    public String name() {
        return "libtorch";
    }

    @Override
    public String version() {
        return engine().getVersion();
    }

    @Override
    public void setThreads(int threads) {
        engine();
        JniUtils.setNumThreads(threads);
    }

    /** libtorch's intra-op threads now. */
    public static int threads() {
        engine();
        return JniUtils.getNumThreads();
    }

    @Override
    public Prepared prepare(Workloads.Workload w) {
        engine();
        PtNDManager m = (PtNDManager) NDManager.newBaseManager(Device.cpu(), "PyTorch");
        try {
            List<NDArray> in = new ArrayList<>();
            List<String> grads = new ArrayList<>();
            switch (w.loss) {
                case "mse":
                case "bce_with_logits":
                    inputs(m, w, in, grads, "input*", "target");
                    break;
                case "huber":
                    inputs(m, w, in, grads, "input*", "target");
                    in.add(scalar(m, w.options, "delta"));
                    break;
                case "focal":
                    inputs(m, w, in, grads, "input*", "target");
                    in.add(scalar(m, w.options, "alpha"));
                    in.add(scalar(m, w.options, "gamma"));
                    break;
                case "cross_entropy":
                    inputs(m, w, in, grads, "input*", "target");
                    break;
                case "ctc":
                    inputs(m, w, in, grads, "log_probs*", "targets", "input_lengths", "target_lengths");
                    in.add(m.create(((Number) w.options.get("blank")).longValue()));
                    break;
                case "dice":
                    inputs(m, w, in, grads, "input*", "target");
                    in.add(scalar(m, w.options, "smooth"));
                    break;
                case "triplet":
                    inputs(m, w, in, grads, "anchor*", "positive*", "negative*");
                    in.add(scalar(m, w.options, "margin"));
                    break;
                default:
                    throw new UnsupportedOperationException("no TorchScript module for loss '" + w.loss + "'");
            }
            return new Prepared(m, module(m, w.loss), in, grads);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** The named inputs as libtorch-owned tensors ({@code name*}: differentiable). */
    private static void inputs(PtNDManager m, Workloads.Workload w, List<NDArray> in, List<String> grads,
            String... names) {
        for (String spec : names) {
            boolean grad = spec.endsWith("*");
            String name = grad ? spec.substring(0, spec.length() - 1) : spec;
            Tensor t = w.inputs.get(name);
            Shape shape = new Shape(toLong(t.shape()));
            NDArray staged = t.dtype() == DType.FLOAT32 ? m.create(t.f32(), shape) : m.create(t.i64(), shape);
            // a copy in libtorch's own (aligned) allocation, as torch_baseline's clone(); the
            // staging array's direct buffer is freed with it
            in.add(staged.duplicate());
            staged.close();
            if (grad) {
                grads.add(name);
            } else {
                grads.add(null);
            }
        }
    }

    private static NDArray scalar(PtNDManager m, Map<String, Object> options, String key) {
        Object v = options.get(key);
        if (!(v instanceof Number)) {
            throw new UnsupportedOperationException("option " + key + " = " + v + " (the module needs a number)");
        }
        return m.create(((Number) v).floatValue());
    }

    private static long[] toLong(int[] shape) {
        long[] s = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            s[i] = shape[i];
        }
        return s;
    }

    private static PtSymbolBlock module(PtNDManager m, String loss) {
        String resource = "libtorch/" + loss + ".pt";
        try (InputStream is = LibtorchPeer.class.getResourceAsStream(resource)) {
            if (is == null) {
                throw new UnsupportedOperationException("no TorchScript module " + resource);
            }
            return JniUtils.loadModule(m, is, true, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One workload on libtorch: its tensors, its module, the last step's leaves (and so gradients). */
    public static final class Prepared implements BenchPeer.Step {
        private final PtNDManager manager;
        private final PtSymbolBlock module;
        private final List<NDArray> inputs;
        /** For each input, its name when it is differentiable, else null. */
        private final List<String> gradNames;
        private final NDArray[] leaves;

        Prepared(PtNDManager manager, PtSymbolBlock module, List<NDArray> inputs, List<String> gradNames) {
            this.manager = manager;
            this.module = module;
            this.inputs = inputs;
            this.gradNames = new ArrayList<>(gradNames);
            while (this.gradNames.size() < inputs.size()) {
                this.gradNames.add(null); // the options
            }
            this.leaves = new NDArray[inputs.size()];
        }

        @Override
        public double run() {
            // thread-local in libtorch: the optimizer stays off on whichever thread runs the step
            JniUtils.setGraphExecutorOptimize(false);
            releaseLeaves();
            NDList args = new NDList(inputs.size());
            try (NDScope scope = new NDScope()) {
                for (int i = 0; i < inputs.size(); i++) {
                    NDArray a = inputs.get(i);
                    if (gradNames.get(i) != null) {
                        // a new leaf sharing the data: its gradient is made by this backward
                        NDArray leaf = a.stopGradient();
                        leaf.setRequiresGradient(true);
                        NDScope.unregister(leaf);
                        leaves[i] = leaf;
                        a = leaf;
                    }
                    args.add(a);
                }
                try (GradientCollector gc = engine.newGradientCollector()) {
                    NDArray loss = IValueUtils.forward(module, args, true).singletonOrThrow();
                    gc.backward(loss);
                    return loss.getFloat();
                }
            }
        }

        private void releaseLeaves() {
            for (int i = 0; i < leaves.length; i++) {
                if (leaves[i] != null) {
                    leaves[i].close();
                    leaves[i] = null;
                }
            }
        }

        @Override
        public float[] gradient(String input) {
            int i = gradNames.indexOf(input);
            if (i < 0 || leaves[i] == null) {
                throw new IllegalArgumentException("no gradient of '" + input + "' (inputs " + gradNames
                        + "; after run())");
            }
            try (NDArray g = leaves[i].getGradient()) {
                return g.toFloatArray();
            }
        }

        @Override
        public void close() {
            releaseLeaves();
            module.close();
            manager.close();
        }
    }
}
