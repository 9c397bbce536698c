package org.losses4j.cli.demo;

import java.util.Map;
import java.util.SplittableRandom;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/** 3. An over-parameterised network on a small, noisy multi-class problem: calibration with and without label smoothing. */
final class Calibration implements Experiment {
    @Override
    public String title() {
        return "Multi-class: cross-entropy vs cross-entropy + label smoothing (0.1)";
    }

    @Override
    public String setup() {
        return "Data: 400 training rows (250 quick) of 10 features from 5 noisy Gaussian class centres; 3000 test rows. Model: an over-parameterised MLP, 10 → 64 → 5. Optimiser: full-batch Adam, learning rate 0.01, 500 epochs (250 quick); ECE over 15 confidence bins.";
    }

    @Override
    public String claim() {
        return "Label smoothing \"prevents overconfident predictions; improves calibration\";"
                + " \"Overconfidence problem: Cross-entropy + label smoothing\".";
    }

    @Override
    public Outcome run(long seed, boolean quick, Progress progress) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = 10;
        int c = 5;
        int n = quick ? 250 : 400;
        int nTest = 3000;
        int epochs = quick ? 250 : 500;
        double[] centres = Train.gaussian(r, c, d);
        for (int i = 0; i < centres.length; i++) {
            centres[i] *= 1.3;
        }
        double[][] train = data(r, centres, n, d, c, 0.1);
        double[][] test = data(r, centres, nTest, d, c, 0.1);
        Outcome o = new Outcome("test accuracy", "ECE (15 bins)", "mean confidence");
        o.higherIsBetter.add("test accuracy");
        long netSeed = r.nextLong();
        for (String name : new String[] {"cross_entropy", "cross_entropy + ls 0.1"}) {
            progress.step(name);
            Loss loss = name.equals("cross_entropy") ? Losses.create("cross_entropy")
                    : Losses.create("cross_entropy", Map.of("label_smoothing", 0.1));
            Mlp net = new Mlp(d, 64, c, new SplittableRandom(netSeed));
            Train.Adam adam = new Train.Adam(net.params.length, 0.01);
            Tensor labels = labels(train[1]);
            double[] curve = new double[epochs];
            for (int e = 0; e < epochs; e++) {
                double[] logits = net.forward(train[0], n);
                LossResult res = loss.compute(Inputs.of("input", Tensor.of(logits, n, c)).with("target", labels));
                curve[e] = res.value();
                adam.step(net.params, net.backward(train[0], n, res.grad().f64()));
            }
            o.curve(name, curve);
            double[] logits = net.forward(test[0], nTest);
            double[] conf = new double[nTest];
            boolean[] correct = new boolean[nTest];
            double acc = 0;
            double meanConf = 0;
            for (int i = 0; i < nTest; i++) {
                int arg = 0;
                double max = Double.NEGATIVE_INFINITY;
                for (int m = 0; m < c; m++) {
                    if (logits[i * c + m] > max) {
                        max = logits[i * c + m];
                        arg = m;
                    }
                }
                double z = 0;
                for (int m = 0; m < c; m++) {
                    z += Math.exp(logits[i * c + m] - max);
                }
                conf[i] = 1 / z;
                correct[i] = arg == (int) test[1][i];
                acc += correct[i] ? 1 : 0;
                meanConf += conf[i];
            }
            o.row(name, acc / nTest, ece(conf, correct, 15), meanConf / nTest);
        }
        double e0 = o.get("cross_entropy", 1);
        double e1 = o.get("cross_entropy + ls 0.1", 1);
        o.rule = "borne out if label smoothing lowers the expected calibration error (ECE)";
        o.verdict(e1 < e0, e1 < e0
                ? "label smoothing lowered the expected calibration error (" + Train.fmt(e1) + " vs " + Train.fmt(e0)
                        + "): plain cross-entropy's confidence " + Train.fmt(o.get("cross_entropy", 2))
                        + " exceeded its accuracy " + Train.fmt(o.get("cross_entropy", 0))
                : "label smoothing did not lower the calibration error this run (" + Train.fmt(e1) + " vs "
                        + Train.fmt(e0) + ")");
        return o;
    }

    static double ece(double[] conf, boolean[] correct, int bins) {
        double[] sumConf = new double[bins];
        double[] sumAcc = new double[bins];
        int[] count = new int[bins];
        for (int i = 0; i < conf.length; i++) {
            int b = Math.min(bins - 1, (int) (conf[i] * bins));
            sumConf[b] += conf[i];
            sumAcc[b] += correct[i] ? 1 : 0;
            count[b]++;
        }
        double e = 0;
        for (int b = 0; b < bins; b++) {
            if (count[b] > 0) {
                e += Math.abs(sumAcc[b] - sumConf[b]) / conf.length;
            }
        }
        return e;
    }

    /** {x [n, d], labels [n]} from Gaussian clusters, with a fraction of labels flipped at random. */
    static double[][] data(SplittableRandom r, double[] centres, int n, int d, int c, double noise) {
        double[] x = Train.gaussian(r, n, d);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(c);
            for (int j = 0; j < d; j++) {
                x[i * d + j] += centres[k * d + j];
            }
            y[i] = r.nextDouble() < noise ? r.nextInt(c) : k;
        }
        return new double[][] {x, y};
    }

    static Tensor labels(double[] y) {
        long[] l = new long[y.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = (long) y[i];
        }
        return Tensor.labels(l);
    }
}
