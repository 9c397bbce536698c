package org.losses4j.dl4j;

import java.util.Map;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/** The README example: a DL4J network whose output layer uses losses4j's focal loss. */
public final class Dl4jExample {
    private Dl4jExample() {
    }

    public static void main(String[] args) {
        run();
    }

    /** Trains a small classifier with focal loss; returns the score before and after. */
    public static double[] run() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(0.02)).list()
                .layer(new DenseLayer.Builder().nIn(2).nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(Losses4jLoss.of("focal", Map.of("gamma", 2.0, "alpha", 0.75)))
                        .activation(Activation.IDENTITY)   // focal takes logits
                        .nIn(8).nOut(1).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();

        // label 1 when x0 + x1 > 1.2: about one example in five
        int n = 500;
        float[] x = new float[2 * n];
        float[] y = new float[n];
        java.util.Random r = new java.util.Random(0);
        for (int i = 0; i < n; i++) {
            x[2 * i] = r.nextFloat();
            x[2 * i + 1] = r.nextFloat();
            y[i] = x[2 * i] + x[2 * i + 1] > 1.2f ? 1 : 0;
        }
        DataSet data = new DataSet(Nd4j.create(x, new long[] {n, 2}, 'c'), Nd4j.create(y, new long[] {n, 1}, 'c'));
        double before = net.score(data);
        for (int epoch = 0; epoch < 60; epoch++) {
            net.fit(data);
        }
        double after = net.score(data);
        System.out.printf("focal loss: %.4f -> %.4f (config JSON names %s)%n", before, after,
                conf.toJson().contains("Losses4jLoss") ? "Losses4jLoss" : "?");
        return new double[] {before, after};
    }
}
