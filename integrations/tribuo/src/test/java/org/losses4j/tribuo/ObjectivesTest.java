package org.losses4j.tribuo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import com.oracle.labs.mlrg.olcut.util.Pair;

import org.junit.jupiter.api.Test;
import org.losses4j.LossException;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.LabelObjective;
import org.tribuo.classification.sgd.fm.FMClassificationTrainer;
import org.tribuo.classification.sgd.objectives.Hinge;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.la.DenseVector;
import org.tribuo.math.la.SGDVector;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.sgd.RegressionObjective;
import org.tribuo.regression.sgd.fm.FMRegressionTrainer;
import org.tribuo.regression.sgd.objectives.Huber;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

/**
 * The objectives against Tribuo's own (LogMulticlass, Hinge, SquaredLoss, Huber): the same
 * value and step direction per example, and models trained by the linear and
 * factorization-machine SGD trainers with the same seed predict the same.
 */
class ObjectivesTest {
    private static final String[] FEATURES = {"f0", "f1", "f2", "f3", "f4"};

    /** 3 classes, Gaussian around a class-dependent mean. */
    private static Dataset<Label> classes(int n, long seed) {
        Random r = new Random(seed);
        LabelFactory f = new LabelFactory();
        MutableDataset<Label> d = new MutableDataset<>(new SimpleDataSourceProvenance("classes", f), f);
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(3);
            double[] x = new double[FEATURES.length];
            for (int j = 0; j < x.length; j++) {
                x[j] = r.nextGaussian() + (j == c ? 1.5 : 0) - (j == c + 2 ? 1.0 : 0);
            }
            d.add(new ArrayExample<>(new Label("c" + c), FEATURES, x));
        }
        return d;
    }

    /** Two regression outputs, linear in the features, with 10% gross outliers (Huber's linear part is used). */
    private static Dataset<Regressor> regression(int n, long seed) {
        Random r = new Random(seed);
        RegressionFactory f = new RegressionFactory();
        MutableDataset<Regressor> d = new MutableDataset<>(new SimpleDataSourceProvenance("regression", f), f);
        for (int i = 0; i < n; i++) {
            double[] x = new double[FEATURES.length];
            for (int j = 0; j < x.length; j++) {
                x[j] = r.nextGaussian();
            }
            double out = r.nextDouble() < 0.1 ? 8 * r.nextGaussian() : 0;
            double a = 2 * x[0] - x[1] + 0.5 * x[2] + 0.3 * r.nextGaussian() + out;
            double b = x[3] + x[4] - 1 + 0.3 * r.nextGaussian();
            d.add(new ArrayExample<>(new Regressor(new String[] {"a", "b"}, new double[] {a, b}), FEATURES, x));
        }
        return d;
    }

    private static <T extends org.tribuo.Output<T>> double compare(Model<T> ours, Model<T> theirs, Dataset<T> test,
            Function<Prediction<T>, double[]> scores) {
        double worst = 0;
        for (Example<T> e : test) {
            double[] a = scores.apply(ours.predict(e));
            double[] b = scores.apply(theirs.predict(e));
            assertThat(a).hasSameSizeAs(b);
            for (int i = 0; i < a.length; i++) {
                worst = Math.max(worst, Math.abs(a[i] - b[i]));
            }
        }
        return worst;
    }

    private static double[] labelScores(Prediction<Label> p) {
        return p.getOutputScores().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .mapToDouble(e -> e.getValue().getScore()).toArray();
    }

    private static double[] regressorValues(Prediction<Regressor> p) {
        return p.getOutput().getValues();
    }

    private static void sameStep(Pair<Double, SGDVector> ours, Pair<Double, SGDVector> theirs) {
        assertThat(ours.getA()).isCloseTo(theirs.getA(), org.assertj.core.data.Offset.offset(1e-12));
        double[] a = ours.getB().toArray();
        double[] b = theirs.getB().toArray();
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).as("step %d", i).isCloseTo(b[i], org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    @Test
    void perExampleValueAndStepAreTribuos() {
        Random r = new Random(9);
        for (int t = 0; t < 200; t++) {
            double[] x = new double[4];
            double[] y = new double[4];
            for (int i = 0; i < x.length; i++) {
                x[i] = 2 * r.nextGaussian();
                y[i] = 2 * r.nextGaussian();
            }
            int truth = r.nextInt(4);
            // Tribuo's objectives change the prediction vector in place: each gets its own copy
            sameStep(LossLabelObjective.of("cross_entropy").valueAndGradient(truth, DenseVector.createDenseVector(x)),
                    new LogMulticlass().lossAndGradient(truth, DenseVector.createDenseVector(x)));
            sameStep(LossLabelObjective.of("multiclass_hinge").valueAndGradient(truth, DenseVector.createDenseVector(x)),
                    new Hinge().lossAndGradient(truth, DenseVector.createDenseVector(x)));
            sameStep(LossRegressionObjective.of("mse").scale(0.5).lossAndGradient(DenseVector.createDenseVector(y),
                    DenseVector.createDenseVector(x)),
                    new SquaredLoss().lossAndGradient(DenseVector.createDenseVector(y), DenseVector.createDenseVector(x)));
            sameStep(LossRegressionObjective.of("huber", Map.of("delta", 1.5)).lossAndGradient(
                    DenseVector.createDenseVector(y), DenseVector.createDenseVector(x)),
                    new Huber(1.5).lossAndGradient(DenseVector.createDenseVector(y), DenseVector.createDenseVector(x)));
        }
    }

    private static <T extends org.tribuo.Output<T>> Model<T> train(Trainer<T> t, Dataset<T> d) {
        return t.train(d);
    }

    /** Trains a linear and a factorization-machine model with each objective; their predictions differ by less than tol. */
    private static <T extends org.tribuo.Output<T>, O> void trainsAsTribuo(O ours, O theirs, Function<O, Trainer<T>> linear,
            Function<O, Trainer<T>> fm, Dataset<T> train, Dataset<T> test, Function<Prediction<T>, double[]> scores,
            double tol) {
        double dl = compare(train(linear.apply(ours), train), train(linear.apply(theirs), train), test, scores);
        double df = compare(train(fm.apply(ours), train), train(fm.apply(theirs), train), test, scores);
        System.out.printf("%s vs %s: max |Δprediction| linear %.3g, factorization machine %.3g%n", ours, theirs, dl, df);
        assertThat(dl).isLessThan(tol);
        assertThat(df).isLessThan(tol);
    }

    private static void trainsAsTribuo(LabelObjective ours, LabelObjective theirs) {
        trainsAsTribuo(ours, theirs,
                o -> new org.tribuo.classification.sgd.linear.LinearSGDTrainer(o, new AdaGrad(0.1, 0.1), 5, 1000, 1, 7L),
                o -> new FMClassificationTrainer(o, new AdaGrad(0.1, 0.1), 5, 1000, 1, 7L, 3, 0.1),
                classes(300, 1), classes(200, 2), ObjectivesTest::labelScores, 1e-9);
    }

    private static void trainsAsTribuo(RegressionObjective ours, RegressionObjective theirs) {
        trainsAsTribuo(ours, theirs,
                o -> new org.tribuo.regression.sgd.linear.LinearSGDTrainer(o, new AdaGrad(0.1, 0.1), 5, 1000, 1, 7L),
                o -> new FMRegressionTrainer(o, new AdaGrad(0.1, 0.1), 5, 1000, 1, 7L, 3, 0.1, true),
                regression(300, 3), regression(200, 4), ObjectivesTest::regressorValues, 1e-9);
    }

    @Test
    void crossEntropyTrainsAsLogMulticlass() {
        trainsAsTribuo(LossLabelObjective.of("cross_entropy"), new LogMulticlass());
    }

    @Test
    void multiclassHingeTrainsAsHinge() {
        trainsAsTribuo(LossLabelObjective.of("multiclass_hinge"), new Hinge());
    }

    @Test
    void halfMseTrainsAsSquaredLoss() {
        trainsAsTribuo(LossRegressionObjective.of("mse").scale(0.5), new SquaredLoss());
    }

    @Test
    void huberTrainsAsHuber() {
        trainsAsTribuo(LossRegressionObjective.of("huber", Map.of("delta", 1.0)), new Huber(1.0));
    }

    @Test
    void aDifferentLossTrainsADifferentModel() {
        // the comparison can fail: unscaled mse takes twice the steps of SquaredLoss
        Dataset<Regressor> train = regression(300, 3);
        double d = compare(
                train(new org.tribuo.regression.sgd.linear.LinearSGDTrainer(LossRegressionObjective.of("mse"),
                        org.tribuo.math.optimisers.SGD.getSimpleSGD(0.01), 3, 1000, 1, 7L), train),
                train(new org.tribuo.regression.sgd.linear.LinearSGDTrainer(new SquaredLoss(),
                        org.tribuo.math.optimisers.SGD.getSimpleSGD(0.01), 3, 1000, 1, 7L), train),
                regression(50, 4), ObjectivesTest::regressorValues);
        assertThat(d).isGreaterThan(1e-3);
    }

    @Test
    void normalizerProvenanceAndRefusals() {
        assertThat(LossLabelObjective.of("cross_entropy").isProbabilistic()).isTrue();
        assertThat(LossLabelObjective.of("multiclass_hinge").isProbabilistic()).isFalse();
        assertThat(LossLabelObjective.supported()).contains("cross_entropy", "softmax_focal", "multi_margin",
                "bce_with_logits", "focal");
        assertThat(LossRegressionObjective.supported()).contains("mse", "huber", "quantile", "log_cosh")
                .doesNotContain("cross_entropy");
        String prov = LossRegressionObjective.of("huber", Map.of("delta", 0.5)).getProvenance().toString();
        assertThat(prov).contains("huber").contains("delta");
        // an elementwise loss over one-hot labels: focal on 3 scores
        Pair<Double, SGDVector> f = LossLabelObjective.of("focal").valueAndGradient(1,
                DenseVector.createDenseVector(new double[] {0.5, -0.2, 1.0}));
        assertThat(f.getA()).isNegative();
        assertThat(f.getB().get(1)).as("the true class's score goes up").isPositive();
        assertThat(f.getB().get(2)).as("a wrong class's score goes down").isNegative();
        assertThatThrownBy(() -> LossRegressionObjective.of("cross_entropy")).isInstanceOf(LossException.class);
        assertThatThrownBy(() -> LossLabelObjective.of("dice")).isInstanceOf(LossException.class);
        assertThatThrownBy(() -> LossRegressionObjective.of("mse", Map.of("reduction", "mean")))
                .isInstanceOf(LossException.class).hasMessageContaining("sum of its terms");
    }
}
