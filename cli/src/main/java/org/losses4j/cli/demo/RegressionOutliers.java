package org.losses4j.cli.demo;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/** 1. Linear regression where 10% of the training targets are gross outliers. */
final class RegressionOutliers implements Experiment {
    static final String[] LOSSES = {"mse", "mae", "huber", "log_cosh"};

    @Override
    public Outcome run(long seed, boolean quick, Progress progress) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = 5;
        int n = quick ? 300 : 1000;
        int nTest = 2000;
        int epochs = quick ? 300 : 800;
        double[] wTrue = Train.gaussian(r, 1, d);
        double bTrue = 0.5;
        double[] x = Train.gaussian(r, n, d);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = dot(x, i, wTrue, d) + bTrue + 0.3 * Train.normal(r);
            if (r.nextDouble() < 0.10) {
                y[i] += 10 + 20 * r.nextDouble(); // gross, one-sided errors (a faulty sensor, a unit mix-up)
            }
        }
        double[] xt = Train.gaussian(r, nTest, d);
        double[] yt = new double[nTest];
        for (int i = 0; i < nTest; i++) {
            yt[i] = dot(xt, i, wTrue, d) + bTrue;
        }
        Outcome o = new Outcome("test RMSE (clean)", "|b − b*|");
        Map<String, double[]> fits = new LinkedHashMap<>();
        for (String name : LOSSES) {
            progress.step(name);
            Loss loss = Losses.create(name);
            double[] p = new double[d + 1];
            Train.Adam adam = new Train.Adam(d + 1, 0.05);
            double[] curve = new double[epochs];
            Trace trace = new Trace(epochs);
            DoubleSupplier testRmse = () -> Train.rmse(Train.linear(xt, nTest, d, p), yt);
            for (int e = 0; e < epochs; e++) {
                trace.before(e, testRmse);
                double[] pred = Train.linear(x, n, d, p);
                LossResult res = loss.compute(Inputs.of(Tensor.vector(pred), Tensor.vector(y)));
                curve[e] = res.value();
                adam.step(p, Train.linearBackward(x, n, d, res.grad().f64()));
            }
            o.curve(name, curve);
            o.row(name, trace.last(epochs, testRmse), Math.abs(p[d] - bTrue));
            o.testCurve(name, trace);
            fits.put(name, p);
        }
        o.shows(0, true, fitFigure(o, x, y, n, d, wTrue, bTrue, fits),
                "each training row (grey) at its clean value w*·x + b* against its observed target, the"
                + " outliers far above; each model's prediction along the true weight direction, x = s·w*/|w*|²,"
                + " against the clean value there (the dashed diagonal is a perfect fit).");
        double mse = o.get("mse", 0);
        String best = LOSSES[0];
        boolean allBetter = true;
        for (String name : LOSSES) {
            if (o.get(name, 0) < o.get(best, 0)) {
                best = name;
            }
            if (!name.equals("mse") && o.get(name, 0) >= mse) {
                allBetter = false;
            }
        }
        o.rule = "borne out if every robust loss (mae, huber, log_cosh) has a lower clean test RMSE than mse";
        o.verdict(allBetter, allBetter
                ? "every robust loss beat MSE on clean test data (best: " + best + " " + Train.fmt(o.get(best, 0))
                        + " vs mse " + Train.fmt(mse) + "); MSE's fit was pulled toward the outliers"
                : "not every robust loss beat MSE this run (mse " + Train.fmt(mse) + ", best " + best + " "
                        + Train.fmt(o.get(best, 0)) + ")");
        return o;
    }

    /** Data against its clean value, and each linear model along the true weight direction. */
    static String fitFigure(Outcome o, double[] x, double[] y, int n, int d, double[] wTrue, double bTrue,
            Map<String, double[]> fits) {
        double[] clean = new double[n];
        for (int i = 0; i < n; i++) {
            clean[i] = dot(x, i, wTrue, d) + bTrue;
        }
        double lo = Arrays.stream(clean).min().orElse(0);
        double hi = Arrays.stream(clean).max().orElse(1);
        Svg.Plot p = new Svg.Plot("training data and fitted models", "clean value w*·x + b*", "target / prediction")
                .tag("learned-plot", " data-kind=\"fits\"");
        p.points("training rows", clean, y, Svg.DATA);
        double[] t = Svg.linspace(lo, hi, 2);
        p.dashed("truth", t, t, "#000");
        double w2 = dot(wTrue, 0, wTrue, d);
        for (Map.Entry<String, double[]> f : fits.entrySet()) {
            double[] w = f.getValue();
            double slope = dot(w, 0, wTrue, d) / w2; // the model at x = s·w*/|w*|², where the clean value is s + b*
            double[] pred = new double[t.length];
            for (int i = 0; i < t.length; i++) {
                pred[i] = slope * (t[i] - bTrue) + w[d];
            }
            p.line(f.getKey(), t, pred, o.colour(f.getKey()));
        }
        return p.render();
    }

    static double dot(double[] x, int row, double[] w, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += x[row * d + j] * w[j];
        }
        return s;
    }
}
