package org.losses4j.djl;

import static org.assertj.core.api.Assertions.assertThat;

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
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import org.junit.jupiter.api.Test;

/** A small MLP trained by DJL's EasyTrain.fit with a losses4j loss. */
class TrainingTest {

    /** Two overlapping Gaussian clouds, 5% minority (label 1) shifted by (1.5, 1.5): {x [n·2], y [n]}. */
    private static float[][] imbalanced(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * 2];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            boolean minority = r.nextDouble() < 0.05;
            double shift = minority ? 1.5 : 0;
            x[2 * i] = (float) (r.nextGaussian() + shift);
            x[2 * i + 1] = (float) (r.nextGaussian() + shift);
            y[i] = minority ? 1 : 0;
        }
        return new float[][] {x, y};
    }

    /** Trains the MLP 2-16-1 (tanh) with the loss; returns {first epoch's train loss, last's, minority recall on test}. */
    private static double[] train(Loss loss, float[][] train, float[][] test) throws Exception {
        Engine.getInstance().setRandomSeed(42);
        try (NDManager manager = NDManager.newBaseManager(); Model model = Model.newInstance("mlp")) {
            model.setBlock(new SequentialBlock()
                    .add(Linear.builder().setUnits(16).build())
                    .add(Activation.tanhBlock())
                    .add(Linear.builder().setUnits(1).build()));
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.02f)).build())
                    .addTrainingListeners(new EvaluatorTrainingListener());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.setMetrics(new Metrics());
                trainer.initialize(new Shape(1, 2));
                int n = train[1].length;
                ArrayDataset data = new ArrayDataset.Builder()
                        .setData(manager.create(train[0], new Shape(n, 2)))
                        .optLabels(manager.create(train[1], new Shape(n, 1)))
                        .setSampling(200, false).build();
                EasyTrain.fit(trainer, 1, data, null);
                double first = trainer.getTrainingResult().getTrainLoss();
                EasyTrain.fit(trainer, 40, data, null);
                double last = trainer.getTrainingResult().getTrainLoss();
                int m = test[1].length;
                NDArray z = trainer.evaluate(new NDList(manager.create(test[0], new Shape(m, 2)))).singletonOrThrow();
                float[] logits = z.toFloatArray();
                int pos = 0;
                int hit = 0;
                for (int i = 0; i < m; i++) {
                    if (test[1][i] == 1) {
                        pos++;
                        hit += logits[i] > 0 ? 1 : 0;
                    }
                }
                return new double[] {first, last, (double) hit / pos};
            }
        }
    }

    @Test
    void focalLossReachesHigherMinorityRecallThanCrossEntropy() throws Exception {
        float[][] train = imbalanced(2000, 1);
        float[][] test = imbalanced(4000, 2);
        // plain cross-entropy is DJL's own loss; focal is losses4j's
        double[] ce = train(Loss.sigmoidBinaryCrossEntropyLoss(), train, test);
        double[] focal = train(Losses4jLoss.of("focal", Map.of("gamma", 2.0, "alpha", 0.75)), train, test);
        double[] ours = train(Losses4jLoss.of("bce_with_logits"), train, test);
        System.out.printf("minority recall: cross-entropy %.3f (losses4j's bce_with_logits %.3f), focal %.3f;"
                + " train loss %.4f -> %.4f (focal %.4f -> %.4f)%n", ce[2], ours[2], focal[2], ce[0], ce[1], focal[0],
                focal[1]);
        assertThat(ce[1]).as("cross-entropy trained").isLessThan(0.7 * ce[0]);
        assertThat(focal[1]).as("focal trained").isLessThan(0.7 * focal[0]);
        assertThat(focal[2]).as("focal recall vs cross-entropy recall " + ce[2]).isGreaterThan(ce[2] + 0.1);
        // losses4j's bce_with_logits trains as DJL's own loss does (same value and gradient, float rounding apart)
        assertThat(ours[1]).isCloseTo(ce[1], org.assertj.core.data.Offset.offset(1e-3));
        assertThat(ours[2]).isCloseTo(ce[2], org.assertj.core.data.Offset.offset(0.02));
    }
}
