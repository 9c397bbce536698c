package org.losses4j.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Random;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** Small networks trained with losses4j losses inside DL4J. */
class TrainingTest {

    /** Two overlapping Gaussian clouds, 5% minority (label 1) shifted by (1.5, 1.5). */
    private static DataSet imbalanced(int n, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n * 2];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            boolean minority = r.nextDouble() < 0.05;
            double shift = minority ? 1.5 : 0;
            x[2 * i] = r.nextGaussian() + shift;
            x[2 * i + 1] = r.nextGaussian() + shift;
            y[i] = minority ? 1 : 0;
        }
        return new DataSet(Nd4j.create(x, new long[] {n, 2}, DataType.FLOAT), Nd4j.create(y, new long[] {n, 1}, DataType.FLOAT));
    }

    private static MultiLayerNetwork mlp(ILossFunction loss) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(42).weightInit(WeightInit.XAVIER)
                .updater(new Adam(0.02)).list()
                .layer(new DenseLayer.Builder().nIn(2).nOut(16).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(loss).nIn(16).nOut(1).activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Fraction of the minority examples whose logit is positive (probability above ½). */
    private static double minorityRecall(MultiLayerNetwork net, DataSet test) {
        INDArray z = net.output(test.getFeatures());
        INDArray y = test.getLabels();
        int pos = 0;
        int hit = 0;
        for (int i = 0; i < y.size(0); i++) {
            if (y.getDouble(i, 0) == 1) {
                pos++;
                if (z.getDouble(i, 0) > 0) {
                    hit++;
                }
            }
        }
        return (double) hit / pos;
    }

    @Test
    void focalLossReachesHigherMinorityRecallThanCrossEntropy() {
        DataSet train = imbalanced(2000, 1);
        DataSet test = imbalanced(4000, 2);
        MultiLayerNetwork ce = mlp(Losses4jLoss.of("bce_with_logits"));
        MultiLayerNetwork focal = mlp(Losses4jLoss.of("focal", Map.of("gamma", 2.0, "alpha", 0.75)));
        double ceStart = ce.score(train);
        for (int epoch = 0; epoch < 100; epoch++) {
            ce.fit(train);
            focal.fit(train);
        }
        assertThat(ce.score(train)).as("cross-entropy trained").isLessThan(0.7 * ceStart);
        double rCe = minorityRecall(ce, test);
        double rFocal = minorityRecall(focal, test);
        System.out.printf("minority recall: cross-entropy %.3f, focal %.3f%n", rCe, rFocal);
        assertThat(rFocal).as("focal recall vs cross-entropy recall " + rCe).isGreaterThan(rCe + 0.1);
    }

    /** 16×16 images: a bright square of side 4 to 7 at a random place, noise everywhere; the mask is the square. */
    private static DataSet squares(int n, long seed) {
        Random r = new Random(seed);
        int s = 16;
        double[] x = new double[n * s * s];
        double[] m = new double[n * s * s];
        for (int i = 0; i < n; i++) {
            int side = 4 + r.nextInt(4);
            int top = r.nextInt(s - side + 1);
            int left = r.nextInt(s - side + 1);
            for (int a = 0; a < s; a++) {
                for (int b = 0; b < s; b++) {
                    boolean in = a >= top && a < top + side && b >= left && b < left + side;
                    int idx = i * s * s + a * s + b;
                    x[idx] = (in ? 1.0 : 0.0) + 0.3 * r.nextGaussian();
                    m[idx] = in ? 1 : 0;
                }
            }
        }
        // features [N, 1, H, W]; labels flattened [N, H·W] as the LossLayer sees its input
        return new DataSet(Nd4j.create(x, new long[] {n, 1, s, s}, DataType.FLOAT),
                Nd4j.create(m, new long[] {n, s * s}, DataType.FLOAT));
    }

    private static double meanDice(MultiLayerNetwork net, DataSet d) {
        INDArray p = net.output(d.getFeatures());
        INDArray g = d.getLabels();
        double total = 0;
        for (int i = 0; i < g.size(0); i++) {
            INDArray pi = p.getRow(i).gt(0.5).castTo(DataType.DOUBLE);
            INDArray gi = g.getRow(i).castTo(DataType.DOUBLE);
            double inter = pi.mul(gi).sumNumber().doubleValue();
            total += 2 * inter / (pi.sumNumber().doubleValue() + gi.sumNumber().doubleValue());
        }
        return total / g.size(0);
    }

    @Test
    void convolutionalSegmentationTrainsWithDice() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).weightInit(WeightInit.XAVIER)
                .updater(new Adam(0.01)).convolutionMode(ConvolutionMode.Same).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nIn(1).nOut(8).activation(Activation.RELU).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.RELU).build())
                .layer(new ConvolutionLayer.Builder(1, 1).nOut(1).activation(Activation.IDENTITY).build())
                // the [N, 1, 16, 16] map is flattened to [N, 256] (preprocessor added from the input type);
                // each example's 256 outputs are one mask for the dice loss
                .layer(new LossLayer.Builder(Losses4jLoss.of("dice")).activation(Activation.SIGMOID).build())
                .setInputType(InputType.convolutional(16, 16, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        DataSet train = squares(96, 3);
        DataSet test = squares(64, 4);
        double before = net.score(train);
        double diceBefore = meanDice(net, test);
        for (int epoch = 0; epoch < 12; epoch++) {
            for (DataSet batch : train.batchBy(32)) {
                net.fit(batch);
            }
        }
        double after = net.score(train);
        double diceAfter = meanDice(net, test);
        System.out.printf("dice loss %.3f -> %.3f; test Dice of thresholded masks %.3f -> %.3f%n", before, after, diceBefore,
                diceAfter);
        assertThat(after).isLessThan(0.5 * before);
        assertThat(diceAfter).as("test Dice coefficient").isGreaterThan(0.8);
    }
}
