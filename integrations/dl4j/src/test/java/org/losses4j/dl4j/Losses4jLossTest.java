package org.losses4j.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Map;
import java.util.Random;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.losses4j.LossException;
import org.nd4j.common.primitives.Pair;
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

/** Score, score array and gradient against DL4J's own losses on the same data, masks, serialisation. */
class Losses4jLossTest {
    private static final int N = 7;
    private static final int K = 4;

    private static INDArray random(long seed, double scale) {
        Random r = new Random(seed);
        double[] v = new double[N * K];
        for (int i = 0; i < v.length; i++) {
            v[i] = scale * r.nextGaussian();
        }
        return Nd4j.create(v, new long[] {N, K}, DataType.DOUBLE);
    }

    private static INDArray oneHot(long seed) {
        Random r = new Random(seed);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, N, K);
        for (int i = 0; i < N; i++) {
            y.putScalar(i, r.nextInt(K), 1.0);
        }
        return y;
    }

    private static INDArray uniform(long seed) {
        Random r = new Random(seed);
        double[] v = new double[N * K];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble();
        }
        return Nd4j.create(v, new long[] {N, K}, DataType.DOUBLE);
    }

    private static INDArray exampleMask() {
        return Nd4j.create(new double[] {1, 0, 1, 1, 0, 1, 1}, new long[] {N, 1}, DataType.DOUBLE);
    }

    /** Both losses give the same score (average and not), score array and gradient, with and without a mask. */
    private static void assertSame(ILossFunction theirs, IActivation theirAct, ILossFunction ours, IActivation ourAct,
            INDArray labels, INDArray z, INDArray mask) {
        double tol = 1e-9;
        for (boolean avg : new boolean[] {false, true}) {
            double a = theirs.computeScore(labels, z.dup(), theirAct, mask, avg);
            double b = ours.computeScore(labels, z.dup(), ourAct, mask, avg);
            assertThat(b).as("score, average=" + avg).isCloseTo(a, org.assertj.core.data.Offset.offset(tol * Math.abs(a) + 1e-12));
            Pair<Double, INDArray> pa = theirs.computeGradientAndScore(labels, z.dup(), theirAct, mask, avg);
            Pair<Double, INDArray> pb = ours.computeGradientAndScore(labels, z.dup(), ourAct, mask, avg);
            assertThat(pb.getFirst()).isCloseTo(pa.getFirst(), org.assertj.core.data.Offset.offset(tol * Math.abs(a) + 1e-12));
            assertClose("gradient and score's gradient", pb.getSecond(), pa.getSecond(), tol);
        }
        INDArray sa = theirs.computeScoreArray(labels, z.dup(), theirAct, mask);
        INDArray sb = ours.computeScoreArray(labels, z.dup(), ourAct, mask);
        assertClose("score array", sb.reshape(N), sa.reshape(N), tol);
        assertClose("gradient", ours.computeGradient(labels, z.dup(), ourAct, mask),
                theirs.computeGradient(labels, z.dup(), theirAct, mask), tol);
    }

    private static void assertClose(String what, INDArray actual, INDArray expected, double tol) {
        assertThat(actual.shape()).as(what + " shape").isEqualTo(expected.shape());
        double[] a = actual.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] e = expected.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double scale = 0;
        for (double v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertThat(scale).as(what + " is not all zero").isGreaterThan(0);
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).as(what + "[" + i + "]").isCloseTo(e[i], org.assertj.core.data.Offset.offset(tol * scale));
        }
    }

    @Test
    void crossEntropyEqualsLossMcxent() {
        INDArray z = random(1, 2.0);
        INDArray y = oneHot(2);
        // losses4j's cross_entropy takes logits (identity activation); DL4J's MCXENT the softmax output
        for (INDArray mask : new INDArray[] {null, exampleMask()}) {
            assertSame(new LossMCXENT(), new ActivationSoftmax(), Losses4jLoss.of("cross_entropy"), new ActivationIdentity(),
                    y, z, mask);
            // categorical_cross_entropy on probabilities, through the softmax activation's backprop
            assertSame(new LossMCXENT(), new ActivationSoftmax(), Losses4jLoss.of("categorical_cross_entropy"),
                    new ActivationSoftmax(), y, z, mask);
        }
    }

    @Test
    void mseEqualsLossMse() {
        INDArray z = random(3, 1.5);
        INDArray y = random(4, 1.0);
        for (INDArray mask : new INDArray[] {null, exampleMask(), uniform(9).gt(0.3).castTo(DataType.DOUBLE)}) {
            assertSame(new LossMSE(), new ActivationIdentity(), Losses4jLoss.of("mse"), new ActivationIdentity(), y, z, mask);
            assertSame(new LossMSE(), new ActivationSigmoid(), Losses4jLoss.of("mse"), new ActivationSigmoid(),
                    uniform(5), z, mask);
        }
    }

    @Test
    void bceEqualsLossBinaryXent() {
        INDArray z = random(6, 1.5);
        INDArray y = uniform(7).gt(0.5).castTo(DataType.DOUBLE);
        // LossBinaryXENT sums an example's outputs: reduction sum. bce on sigmoid outputs, bce_with_logits on logits.
        for (INDArray mask : new INDArray[] {null, exampleMask(), uniform(8).gt(0.3).castTo(DataType.DOUBLE)}) {
            assertSame(new LossBinaryXENT(), new ActivationSigmoid(), Losses4jLoss.of("bce", Map.of("reduction", "sum")),
                    new ActivationSigmoid(), y, z, mask);
            assertSame(new LossBinaryXENT(), new ActivationSigmoid(),
                    Losses4jLoss.of("bce_with_logits", Map.of("reduction", "sum")), new ActivationIdentity(), y, z, mask);
        }
    }

    /** Central differences of the summed score with respect to the pre-activation output. */
    private static void assertFiniteDifference(ILossFunction loss, IActivation act, INDArray labels, INDArray z, INDArray mask) {
        INDArray g = loss.computeGradient(labels, z.dup(), act, mask);
        double h = 1e-6;
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < K; j++) {
                INDArray zp = z.dup();
                INDArray zm = z.dup();
                zp.putScalar(i, j, z.getDouble(i, j) + h);
                zm.putScalar(i, j, z.getDouble(i, j) - h);
                double fd = (loss.computeScore(labels, zp, act, mask, false) - loss.computeScore(labels, zm, act, mask, false))
                        / (2 * h);
                assertThat(g.getDouble(i, j)).as(loss + " d/dz[" + i + "," + j + "]")
                        .isCloseTo(fd, org.assertj.core.data.Offset.offset(1e-6 * Math.max(1, Math.abs(fd))));
            }
        }
    }

    @Test
    void gradientsAreThoseOfTheScoreThroughTheActivation() {
        INDArray z = random(10, 1.0);
        INDArray bits = uniform(11).gt(0.6).castTo(DataType.DOUBLE);
        assertFiniteDifference(Losses4jLoss.of("focal", Map.of("gamma", 2.0, "alpha", 0.75)), new ActivationIdentity(),
                bits, z, exampleMask());
        assertFiniteDifference(Losses4jLoss.of("dice"), new ActivationSigmoid(), bits, z, exampleMask());
        assertFiniteDifference(Losses4jLoss.of("tversky", Map.of("alpha", 0.3, "beta", 0.7)), new ActivationSigmoid(), bits, z, null);
        assertFiniteDifference(Losses4jLoss.of("huber", Map.of("delta", 0.5)), new ActivationIdentity(), random(12, 1.0), z,
                uniform(13).gt(0.3).castTo(DataType.DOUBLE));
        assertFiniteDifference(Losses4jLoss.of("softmax_focal"), new ActivationIdentity(), oneHot(14), z, null);
        // kl_div on log-probabilities (all <= 0; the identity activation passes them through) against distributions
        INDArray target = uniform(15).addi(0.1);
        target.diviColumnVector(target.sum(1).reshape(N, 1));
        assertFiniteDifference(Losses4jLoss.of("kl_div"), new ActivationIdentity(), target,
                Nd4j.math().abs(z).negi().subi(0.1), null);
    }

    @Test
    void regionScoreIsEachSamplesOwnLoss() {
        INDArray z = random(16, 1.0);
        INDArray y = uniform(17).gt(0.5).castTo(DataType.DOUBLE);
        Losses4jLoss dice = Losses4jLoss.of("dice", Map.of("smooth", 1.0));
        INDArray s = dice.computeScoreArray(y, z, new ActivationSigmoid(), null);
        INDArray p = new ActivationSigmoid().getActivation(z.dup(), false);
        for (int i = 0; i < N; i++) {
            double pg = 0;
            double ps = 0;
            double gs = 0;
            for (int j = 0; j < K; j++) {
                pg += p.getDouble(i, j) * y.getDouble(i, j);
                ps += p.getDouble(i, j);
                gs += y.getDouble(i, j);
            }
            double expected = 1 - (2 * pg + 1) / (ps + gs + 1);
            assertThat(s.getDouble(i)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    @Test
    void everyFittingCatalogLossIsOffered() {
        assertThat(Losses4jLoss.supported()).contains("mse", "mae", "huber", "smooth_l1", "log_cosh", "poisson_nll",
                "quantile", "pseudo_huber", "bce", "bce_with_logits", "focal", "hinge", "squared_hinge", "smooth_hinge", "ramp", "soft_margin",
                "cross_entropy", "nll", "categorical_cross_entropy", "sparse_categorical_cross_entropy", "softmax_focal",
                "multiclass_hinge", "multi_margin", "kl_div", "reverse_kl_div", "js_div", "dice", "jaccard", "tversky", "combo",
                "generalized_dice", "cosine_similarity", "box_iou");
        assertThat(Losses4jLoss.supported()).doesNotContain("rmse", "gaussian_nll", "ctc", "triplet", "ssim", "zero_one",
                "perplexity", "lovasz_hinge", "lovasz_softmax", "psnr");
        for (String name : Losses4jLoss.supported()) {
            assertThat(Losses4jLoss.of(name).name()).isEqualTo("losses4j:" + name);
        }
        assertThatThrownBy(() -> Losses4jLoss.of("triplet")).isInstanceOf(LossException.class)
                .hasMessageContaining("no per-example output-layer form");
        assertThatThrownBy(() -> Losses4jLoss.of("mse", Map.of("reduction", "none"))).isInstanceOf(LossException.class)
                .hasMessageContaining("one score per example");
        assertThatThrownBy(() -> Losses4jLoss.of("cross_entropy").computeScore(oneHot(1), random(1, 1).reshape(N * K),
                new ActivationIdentity(), null, true)).isInstanceOf(LossException.class);
    }

    @Test
    void serialisesInJavaAndInANetworkConfiguration() throws Exception {
        Losses4jLoss focal = Losses4jLoss.of("focal", Map.of("gamma", 2.0, "alpha", 0.75));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(focal);
        }
        Losses4jLoss back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (Losses4jLoss) in.readObject();
        }
        assertThat(back).isEqualTo(focal);
        INDArray z = random(20, 1.0);
        INDArray y = uniform(21).gt(0.5).castTo(DataType.DOUBLE);
        assertThat(back.computeScore(y, z, new ActivationIdentity(), null, true))
                .isEqualTo(focal.computeScore(y, z, new ActivationIdentity(), null, true));

        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(5).build())
                .layer(new OutputLayer.Builder(focal).nIn(5).nOut(1)
                        .activation(org.nd4j.linalg.activations.Activation.IDENTITY).build())
                .build();
        String json = conf.toJson();
        assertThat(json).contains("Losses4jLoss").contains("focal");
        MultiLayerConfiguration again = MultiLayerConfiguration.fromJson(json);
        assertThat(again).isEqualTo(conf);
        ILossFunction lf = ((OutputLayer) again.getConf(1).getLayer()).getLossFn();
        assertThat(lf).isEqualTo(focal);
        assertThat(lf.computeScore(y.getColumn(0, true), z.getColumn(0, true), new ActivationIdentity(), null, true))
                .isEqualTo(focal.computeScore(y.getColumn(0, true), z.getColumn(0, true), new ActivationIdentity(), null, true));
    }
}
