package org.losses4j.djl;

import java.util.Map;
import java.util.Random;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.metric.Metrics;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

/** The README example: a DJL classifier trained by EasyTrain.fit with losses4j's cross-entropy. */
public final class DjlExample {
    private DjlExample() {
    }

    public static void main(String[] args) throws Exception {
        run();
    }

    /** Three Gaussian blobs in the plane, 3 classes; returns {first epoch's loss, last epoch's loss, accuracy}. */
    public static double[] run() throws Exception {
        Engine.getInstance().setRandomSeed(0);
        int n = 600;
        float[] x = new float[2 * n];
        float[] y = new float[n];   // class indices as numbers, one per row, as for DJL's own losses
        Random r = new Random(0);
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            x[2 * i] = (float) (Math.cos(2 * Math.PI * c / 3) * 2 + r.nextGaussian());
            x[2 * i + 1] = (float) (Math.sin(2 * Math.PI * c / 3) * 2 + r.nextGaussian());
            y[i] = c;
        }
        try (NDManager manager = NDManager.newBaseManager(); Model model = Model.newInstance("blobs")) {
            NDArray features = manager.create(x, new Shape(n, 2));
            NDArray labels = manager.create(y, new Shape(n));
            model.setBlock(new SequentialBlock()
                    .add(Linear.builder().setUnits(16).build())
                    .add(Activation.reluBlock())
                    .add(Linear.builder().setUnits(3).build()));   // logits: cross_entropy takes them
            DefaultTrainingConfig config = new DefaultTrainingConfig(
                    Losses4jLoss.of("cross_entropy", Map.of("label_smoothing", 0.1)))
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.02f)).build())
                    .addTrainingListeners(new EvaluatorTrainingListener());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.setMetrics(new Metrics());
                trainer.initialize(new Shape(1, 2));
                ArrayDataset data = new ArrayDataset.Builder().setData(features).optLabels(labels)
                        .setSampling(50, false).build();
                EasyTrain.fit(trainer, 1, data, null);
                double first = trainer.getTrainingResult().getTrainLoss();
                EasyTrain.fit(trainer, 20, data, null);
                double last = trainer.getTrainingResult().getTrainLoss();
                NDArray predicted = trainer.evaluate(new NDList(features)).singletonOrThrow().argMax(1);
                double accuracy = predicted.toType(labels.getDataType(), false).eq(labels).sum().getLong() / (double) n;
                System.out.printf("cross-entropy (label smoothing 0.1): %.4f -> %.4f, accuracy %.3f%n", first, last,
                        accuracy);
                return new double[] {first, last, accuracy};
            }
        }
    }
}
