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

/** 6. Few samples, many features, few of them relevant: MSE + L1 vs L2 vs elastic-net penalties. */
final class SparseRegression implements Experiment {

    @Override
    public Outcome run(long seed, boolean quick, Progress progress) {
        SplittableRandom r = new SplittableRandom(seed);
        int p = 40;
        int n = 60;
        int nTest = 2000;
        double[] wTrue = new double[p];
        for (int j = 0; j < 4; j++) {
            wTrue[j * 7] = (r.nextBoolean() ? 1 : -1) * (2 + r.nextDouble());
        }
        double[] x = Train.gaussian(r, n, p);
        double[] y = targets(r, x, n, p, wTrue, 0.5);
        double[] xt = Train.gaussian(r, nTest, p);
        double[] yt = targets(r, xt, nTest, p, wTrue, 0);
        int steps = quick ? 3000 : 8000;
        Outcome o = new Outcome("test RMSE", "weights |w| < 0.01 (of 36 irrelevant)", "max |w| irrelevant");
        o.counts.add(o.metrics.get(1));
        Loss mse = Losses.create("mse");
        Map<String, double[]> learned = new LinkedHashMap<>();
        String[] names = {"none (MSE only)", "l1 (λ = 0.1)", "l2 (λ = 0.1)", "elastic_net (0.05, 0.05)"};
        for (String name : names) {
            progress.step(name);
            Loss pen = name.startsWith("l1") ? Losses.create("l1", Map.of("lambda", 0.1))
                    : name.startsWith("l2") ? Losses.create("l2", Map.of("lambda", 0.1))
                    : name.startsWith("elastic") ? Losses.create("elastic_net", Map.of("l1", 0.05, "l2", 0.05)) : null;
            double[] w = new double[p + 1];
            double[] curve = new double[steps];
            Trace trace = new Trace(steps);
            DoubleSupplier testRmse = () -> Train.rmse(Train.linear(xt, nTest, p, w), yt);
            for (int t = 0; t < steps; t++) {
                trace.before(t, testRmse);
                double[] pred = Train.linear(x, n, p, w);
                LossResult fit = mse.compute(Inputs.of(Tensor.vector(pred), Tensor.vector(y)));
                double[] g = Train.linearBackward(x, n, p, fit.grad().f64());
                double total = fit.value();
                if (pen != null) {
                    double[] weights = java.util.Arrays.copyOf(w, p);
                    LossResult reg = pen.compute(Inputs.of("weights", Tensor.vector(weights)));
                    total += reg.value();
                    double[] gr = reg.grad("weights").f64();
                    for (int j = 0; j < p; j++) {
                        g[j] += gr[j];
                    }
                }
                curve[t] = total;
                double lr = 0.05 / Math.sqrt(1 + t / 200.0); // decaying step: subgradient descent converges
                for (int j = 0; j <= p; j++) {
                    w[j] -= lr * g[j];
                }
            }
            o.curve(name, curve);
            int zeros = 0;
            double maxIrrelevant = 0;
            for (int j = 0; j < p; j++) {
                if (wTrue[j] == 0) {
                    zeros += Math.abs(w[j]) < 0.01 ? 1 : 0;
                    maxIrrelevant = Math.max(maxIrrelevant, Math.abs(w[j]));
                }
            }
            o.row(name, trace.last(steps, testRmse), zeros, maxIrrelevant);
            o.testCurve(name, trace);
            learned.put(name, w);
        }
        o.shows(0, true, weightsFigure(o, wTrue, learned),
                "the learned weight of each of the 40 features (dots, one colour per penalty, joined"
                + " left to right) over the true weights (grey bars: 4 relevant features, 36 exactly zero).");
        double l1z = o.get(names[1], 1);
        double l2z = o.get(names[2], 1);
        boolean borne = l1z > l2z;
        o.rule = "borne out if L1 leaves more irrelevant weights near zero than L2";
        o.verdict(borne, (borne ? "L1 drove many more irrelevant weights to (near) zero than L2" :
                "L1 did not give more zero weights than L2 this run") + " (" + (int) l1z + " vs " + (int) l2z
                + " of 36); test RMSE: l1 " + Train.fmt(o.get(names[1], 0)) + ", l2 " + Train.fmt(o.get(names[2], 0))
                + ", elastic net " + Train.fmt(o.get(names[3], 0)) + ", none " + Train.fmt(o.get(names[0], 0)));
        return o;
    }

    static String weightsFigure(Outcome o, double[] wTrue, Map<String, double[]> weights) {
        int p = wTrue.length;
        double[] idx = new double[p];
        for (int j = 0; j < p; j++) {
            idx[j] = j + 1;
        }
        Svg.Plot plot = new Svg.Plot("learned weights", "feature", "weight").tag("learned-plot",
                " data-kind=\"weights\"").size(720, 320);
        plot.bars("true weight", idx, wTrue, "#ccc");
        for (Map.Entry<String, double[]> w : weights.entrySet()) {
            double[] v = java.util.Arrays.copyOf(w.getValue(), p);
            plot.line(w.getKey(), idx, v, o.colour(w.getKey()));
            plot.points(null, idx, v, o.colour(w.getKey()));
        }
        return plot.render();
    }

    static double[] targets(SplittableRandom r, double[] x, int n, int p, double[] w, double noise) {
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < p; j++) {
                s += x[i * p + j] * w[j];
            }
            y[i] = s + noise * Train.normal(r);
        }
        return y;
    }
}
