package org.losses4j.cli.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/** 3. An over-parameterised network on a small, noisy multi-class problem: calibration with and without label smoothing. */
final class Calibration implements Experiment {

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
        Map<String, double[][]> reliability = new LinkedHashMap<>();
        for (String name : new String[] {"cross_entropy", "cross_entropy + ls 0.1"}) {
            progress.step(name);
            Loss loss = name.equals("cross_entropy") ? Losses.create("cross_entropy")
                    : Losses.create("cross_entropy", Map.of("label_smoothing", 0.1));
            Mlp net = new Mlp(d, 64, c, new SplittableRandom(netSeed));
            Train.Adam adam = new Train.Adam(net.params.length, 0.01);
            Tensor labels = labels(train[1]);
            double[] curve = new double[epochs];
            Trace trace = new Trace(epochs);
            DoubleSupplier ece = () -> measure(net, test, nTest, c, null)[1];
            for (int e = 0; e < epochs; e++) {
                trace.before(e, ece);
                double[] logits = net.forward(train[0], n);
                LossResult res = loss.compute(Inputs.of("input", Tensor.of(logits, n, c)).with("target", labels));
                curve[e] = res.value();
                adam.step(net.params, net.backward(train[0], n, res.grad().f64()));
            }
            o.curve(name, curve);
            trace.last(epochs, ece);
            o.testCurve(name, trace);
            double[][] bins = new double[3][BINS];
            o.row(name, measure(net, test, nTest, c, bins));
            reliability.put(name, bins);
        }
        o.shows(1, false, reliabilityDiagram(o, reliability),
                "how confident each trained network is on the test data against how often it is right"
                + " (a reliability diagram: one point per confidence bin of width 1/15 holding at least 1% of the"
                + " test rows, at the bin's mean confidence and its accuracy); on the dashed diagonal confidence"
                + " equals accuracy, below it the network is overconfident.");
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

    private static final int BINS = 15;

    /**
     * {test accuracy, ECE, mean confidence} of the network on the test set; {@code bins}, if not null,
     * receives per confidence bin {sum of confidence, number correct, count}.
     */
    static double[] measure(Mlp net, double[][] test, int nTest, int c, double[][] bins) {
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
        return new double[] {acc / nTest, ece(conf, correct, BINS, bins), meanConf / nTest};
    }

    static String reliabilityDiagram(Outcome o, Map<String, double[][]> reliability) {
        Svg.Plot p = new Svg.Plot("reliability on the test data", "confidence (max softmax probability)", "accuracy")
                .tag("learned-plot", " data-kind=\"reliability\"").xRange(0, 1).yRange(0, 1).size(620, 420);
        p.dashed("calibrated", new double[] {0, 1}, new double[] {0, 1}, "#000");
        for (Map.Entry<String, double[][]> e : reliability.entrySet()) {
            double[][] b = e.getValue();
            double total = java.util.Arrays.stream(b[2]).sum();
            java.util.List<double[]> pts = new java.util.ArrayList<>();
            for (int k = 0; k < BINS; k++) {
                if (b[2][k] >= 0.01 * total) {
                    pts.add(new double[] {b[0][k] / b[2][k], b[1][k] / b[2][k]});
                }
            }
            double[] x = pts.stream().mapToDouble(q -> q[0]).toArray();
            double[] y = pts.stream().mapToDouble(q -> q[1]).toArray();
            p.line(e.getKey(), x, y, o.colour(e.getKey()));
            p.points(null, x, y, o.colour(e.getKey()));
        }
        return p.render();
    }

    /** Expected calibration error over equal-width confidence bins; {@code out} as in {@link #measure}. */
    static double ece(double[] conf, boolean[] correct, int bins, double[][] out) {
        double[] sumConf = new double[bins];
        double[] sumAcc = new double[bins];
        int[] count = new int[bins];
        for (int i = 0; i < conf.length; i++) {
            int b = Math.min(bins - 1, (int) (conf[i] * bins));
            sumConf[b] += conf[i];
            sumAcc[b] += correct[i] ? 1 : 0;
            count[b]++;
        }
        if (out != null) {
            for (int b = 0; b < bins; b++) {
                out[0][b] = sumConf[b];
                out[1][b] = sumAcc[b];
                out[2][b] = count[b];
            }
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
