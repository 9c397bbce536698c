package org.losses4j.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.L2Loss;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SigmoidBinaryCrossEntropyLoss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.losses4j.LossException;

/**
 * Value and gradient of the adapter against DJL's own losses and against PyTorch's autograd (in
 * the same engine) on the loss written in NDArray operations: independent references, never
 * losses4j's own output.
 */
class Losses4jLossTest {
    private static NDManager manager;

    @BeforeAll
    static void engine() {
        assertThat(Engine.getInstance().getEngineName()).isEqualTo("PyTorch");
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** float32 and float64, with the tolerance float rounding allows in each. */
    enum Precision {
        F32(DataType.FLOAT32, 2e-6), F64(DataType.FLOAT64, 1e-13);

        final DataType type;
        final double tol;

        Precision(DataType type, double tol) {
            this.type = type;
            this.tol = tol;
        }
    }

    /** A loss value and the gradient with respect to the first prediction, by the engine's autograd. */
    record ValueGrad(double value, double[] grad) {
    }

    private static NDArray array(double[] v, Shape shape, Precision p) {
        return manager.create(v, shape).toType(p.type, false);
    }

    private static ValueGrad run(Function<NDList, NDArray> f, NDArray x) {
        NDArray leaf = x.duplicate();
        leaf.setRequiresGradient(true);
        double value;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray l = f.apply(new NDList(leaf));
            assertThat(l.getShape().dimension()).as("a scalar loss").isZero();
            value = l.toType(DataType.FLOAT64, false).getDouble();
            gc.backward(l);
        }
        return new ValueGrad(value, leaf.getGradient().toType(DataType.FLOAT64, false).toDoubleArray());
    }

    private static ValueGrad djl(Loss loss, NDList labels, NDArray x) {
        return run(preds -> loss.evaluate(labels, preds), x);
    }

    private static void assertClose(ValueGrad actual, ValueGrad expected, double scale, double tol) {
        double dv = Math.abs(actual.value() - scale * expected.value());
        double dg = 0;
        for (int i = 0; i < Math.min(actual.grad().length, expected.grad().length); i++) {
            dg = Math.max(dg, Math.abs(actual.grad()[i] - scale * expected.grad()[i]));
        }
        System.out.printf("value %.9g vs %.9g: |Δvalue| %.3g, max |Δgradient| %.3g%n", actual.value(),
                scale * expected.value(), dv, dg);
        assertThat(actual.value()).as("value").isCloseTo(scale * expected.value(),
                org.assertj.core.data.Offset.offset(tol * Math.max(1, Math.abs(scale * expected.value()))));
        assertThat(actual.grad()).hasSameSizeAs(expected.grad());
        double gmax = 0;
        for (double g : expected.grad()) {
            gmax = Math.max(gmax, Math.abs(scale * g));
        }
        for (int i = 0; i < expected.grad().length; i++) {
            assertThat(actual.grad()[i]).as("gradient element %d", i)
                    .isCloseTo(scale * expected.grad()[i], org.assertj.core.data.Offset.offset(tol * Math.max(gmax, 1e-3)));
        }
    }

    private static double[] gauss(Random r, int n, double s) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = s * r.nextGaussian();
        }
        return v;
    }

    private static double[] binary(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextBoolean() ? 1 : 0;
        }
        return v;
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void crossEntropyEqualsSoftmaxCrossEntropyLoss(Precision p) {
        Random r = new Random(1);
        int n = 12;
        int c = 5;
        NDArray logits = array(gauss(r, n * c, 2), new Shape(n, c), p);
        double[] cls = new double[n];
        for (int i = 0; i < n; i++) {
            cls[i] = r.nextInt(c);
        }
        // DJL's sparse labels: class indices as numbers, one per row
        NDList labels = new NDList(array(cls, new Shape(n), p));
        ValueGrad ours = djl(Losses4jLoss.of("cross_entropy"), labels, logits);
        ValueGrad theirs = djl(new SoftmaxCrossEntropyLoss(), labels, logits);
        assertClose(ours, theirs, 1, p.tol);
        // and labels [N, 1] as a DJL dataset gives them
        NDList column = new NDList(array(cls, new Shape(n, 1), p));
        assertClose(djl(Losses4jLoss.of("cross_entropy"), column, logits), theirs, 1, p.tol);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void mseIsTwiceL2Loss(Precision p) {
        Random r = new Random(2);
        Shape shape = new Shape(10, 3);
        NDArray pred = array(gauss(r, 30, 1), shape, p);
        NDList labels = new NDList(array(gauss(r, 30, 1), shape, p));
        // DJL's L2Loss is ½·mean (y − ŷ)²; mse is mean (ŷ − y)²
        assertClose(djl(Losses4jLoss.of("mse"), labels, pred), djl(new L2Loss(), labels, pred), 2, p.tol);
        assertClose(djl(Losses4jLoss.of("mse"), labels, pred), djl(new L2Loss("l2", 1f), labels, pred), 1, p.tol);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void bceWithLogitsEqualsSigmoidBinaryCrossEntropyLoss(Precision p) {
        Random r = new Random(3);
        Shape shape = new Shape(16, 2);
        NDArray logits = array(gauss(r, 32, 3), shape, p);
        NDList labels = new NDList(array(binary(r, 32), shape, p));
        assertClose(djl(Losses4jLoss.of("bce_with_logits"), labels, logits),
                djl(new SigmoidBinaryCrossEntropyLoss(), labels, logits), 1, p.tol);
    }

    /** torchvision's sigmoid_focal_loss written in NDArray operations, mean reduction. */
    private static NDArray focalReference(NDArray x, NDArray y, double alpha, double gamma) {
        NDArray prob = Activation.sigmoid(x);
        // stable BCE with logits: max(x, 0) − x·y + log(1 + exp(−|x|))
        NDArray ce = Activation.relu(x).sub(x.mul(y)).add(x.abs().neg().exp().add(1).log());
        NDArray pt = prob.mul(y).add(prob.neg().add(1).mul(y.neg().add(1)));
        NDArray loss = ce.mul(pt.neg().add(1).pow(gamma));
        NDArray at = y.mul(alpha).add(y.neg().add(1).mul(1 - alpha));
        return loss.mul(at).mean();
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void focalEqualsAutogradOfItsFormula(Precision p) {
        Random r = new Random(4);
        Shape shape = new Shape(20, 3);
        NDArray logits = array(gauss(r, 60, 2), shape, p);
        NDArray y = array(binary(r, 60), shape, p);
        for (double[] ag : new double[][] {{0.25, 2}, {0.75, 1.5}, {0.5, 0}}) {
            ValueGrad ours = djl(Losses4jLoss.of("focal", Map.of("alpha", ag[0], "gamma", ag[1])), new NDList(y), logits);
            ValueGrad ref = run(preds -> focalReference(preds.head(), y, ag[0], ag[1]), logits);
            assertClose(ours, ref, 1, p.tol);
        }
    }

    /** Soft Dice 1 − mean (2Σpg + s)/(Σp + Σg + s) over the given axes (null: all of them). */
    private static NDArray diceReference(NDArray prob, NDArray g, int[] axes, double smooth) {
        NDArray inter = axes == null ? prob.mul(g).sum() : prob.mul(g).sum(axes);
        NDArray ps = axes == null ? prob.sum() : prob.sum(axes);
        NDArray gs = axes == null ? g.sum() : g.sum(axes);
        NDArray coef = inter.mul(2).add(smooth).div(ps.add(gs).add(smooth));
        return coef.mean().neg().add(1);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void diceEqualsAutogradOfItsFormula(Precision p) {
        Random r = new Random(5);
        Shape shape = new Shape(3, 2, 4, 4);
        int size = (int) shape.size();
        double[] u = new double[size];
        for (int i = 0; i < size; i++) {
            u[i] = 0.05 + 0.9 * r.nextDouble();
        }
        NDArray prob = array(u, shape, p);
        NDArray g = array(binary(r, size), shape, p);
        assertClose(djl(Losses4jLoss.of("dice"), new NDList(g), prob),
                run(preds -> diceReference(preds.head(), g, null, 1.0), prob), 1, p.tol);
        assertClose(djl(Losses4jLoss.of("dice", Map.of("average", "sample_class", "smooth", 0.5)), new NDList(g), prob),
                run(preds -> diceReference(preds.head(), g, new int[] {2, 3}, 0.5), prob), 1, p.tol);
    }

    @Test
    void sumReductionAndSeveralPredictions() {
        Random r = new Random(6);
        Shape shape = new Shape(8, 4);
        NDArray a = array(gauss(r, 32, 1), shape, Precision.F64);
        NDArray pos = array(gauss(r, 32, 1), shape, Precision.F64);
        NDArray neg = array(gauss(r, 32, 1), shape, Precision.F64);
        Losses4jLoss triplet = Losses4jLoss.of("triplet", Map.of("reduction", "sum"));
        assertThat(triplet.predictionInputs()).hasSize(3);
        // reference: Σ max(‖a − p‖ − ‖a − n‖ + 1, 0)
        ValueGrad ours = run(preds -> triplet.evaluate(new NDList(), new NDList(preds.head(), pos, neg)), a);
        ValueGrad ref = run(preds -> {
            NDArray dp = preds.head().sub(pos).square().sum(new int[] {1}).sqrt();
            NDArray dn = preds.head().sub(neg).square().sum(new int[] {1}).sqrt();
            return Activation.relu(dp.sub(dn).add(1)).sum();
        }, a);
        assertClose(ours, ref, 1, 1e-12);
    }

    @Test
    void cachesTheLastBatch() {
        Losses4jLoss l = Losses4jLoss.of("mse");
        NDList y = new NDList(manager.create(new float[] {1, 2, 3}));
        NDList x = new NDList(manager.create(new float[] {0, 2, 5}));
        NDArray first = l.evaluate(y, x);
        assertThat(first.getFloat()).isEqualTo(5f / 3);
        assertThat(l.evaluate(y, x)).isSameAs(first);
        NDList x2 = new NDList(manager.create(new float[] {1, 2, 3}));
        assertThat(l.evaluate(y, x2).getFloat()).isZero();
        // the training metric DJL keeps is the value, once per batch
        l.addAccumulator("train");
        l.updateAccumulator("train", y, x);
        assertThat(l.getAccumulator("train")).isEqualTo(5f / 3);
    }

    @Test
    void refusesWhatCannotTrain() {
        assertThatThrownBy(() -> Losses4jLoss.of("mse", Map.of("reduction", "none"))).isInstanceOf(LossException.class)
                .hasMessageContaining("reduction none");
        assertThat(Losses4jLoss.supported()).contains("cross_entropy", "focal", "dice", "mse", "triplet");
        Losses4jLoss mse = Losses4jLoss.of("mse");
        NDList two = new NDList(manager.create(new float[] {1}), manager.create(new float[] {1}));
        assertThatThrownBy(() -> mse.evaluate(new NDList(manager.create(new float[] {1})), two))
                .isInstanceOf(LossException.class).hasMessageContaining("prediction");
    }
}
