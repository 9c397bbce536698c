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

/** 7. Counts from a log-linear Poisson model: Poisson NLL vs MSE on the same exp-link model. */
final class PoissonCounts implements Experiment {

    @Override
    public Outcome run(long seed, boolean quick, Progress progress) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = 3;
        int n = quick ? 300 : 800;
        int nTest = 3000;
        double[] wTrue = {0.6, -0.4, 0.3, 1.0}; // last = intercept; rates roughly 0.5 to 20
        double[] x = Train.gaussian(r, n, d);
        double[] rate = rates(x, n, d, wTrue);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = poisson(r, rate[i]);
        }
        double[] xt = Train.gaussian(r, nTest, d);
        double[] rateT = rates(xt, nTest, d, wTrue);
        double[] yt = new double[nTest];
        for (int i = 0; i < nTest; i++) {
            yt[i] = poisson(r, rateT[i]);
        }
        int epochs = quick ? 400 : 1000;
        Map<String, double[]> models = new LinkedHashMap<>();
        Outcome o = new Outcome("test mean Poisson deviance", "rate RMSE vs true rate", "|w − w*|");
        for (String name : new String[] {"poisson_nll", "mse"}) {
            progress.step(name);
            Loss loss = Losses.create(name);
            double[] w = new double[d + 1];
            Train.Adam adam = new Train.Adam(d + 1, 0.02);
            double[] curve = new double[epochs];
            Trace trace = new Trace(epochs);
            DoubleSupplier deviance = () -> deviance(yt, rates(xt, nTest, d, w));
            for (int e = 0; e < epochs; e++) {
                trace.before(e, deviance);
                double[] eta = Train.linear(x, n, d, w);
                double[] g;
                if (name.equals("poisson_nll")) {
                    LossResult res = loss.compute(Inputs.of(Tensor.vector(eta), Tensor.vector(y)));
                    curve[e] = res.value();
                    g = res.grad().f64();
                } else {
                    double[] mu = new double[n];
                    for (int i = 0; i < n; i++) {
                        mu[i] = Math.exp(eta[i]);
                    }
                    LossResult res = loss.compute(Inputs.of(Tensor.vector(mu), Tensor.vector(y)));
                    curve[e] = res.value();
                    g = res.grad().f64();
                    for (int i = 0; i < n; i++) {
                        g[i] *= mu[i]; // chain rule through the exp link
                    }
                }
                adam.step(w, Train.linearBackward(x, n, d, g));
            }
            o.curve(name, curve);
            double dev = trace.last(epochs, deviance);
            o.testCurve(name, trace);
            models.put(name, w);
            double[] mu = rates(xt, nTest, d, w);
            double dist = 0;
            for (int j = 0; j <= d; j++) {
                dist += (w[j] - wTrue[j]) * (w[j] - wTrue[j]);
            }
            o.row(name, dev, Train.rmse(mu, rateT), Math.sqrt(dist));
        }
        o.shows(0, true, fitFigure(o, rateT, yt, wTrue, d, models),
                SHOWN + " test rows (grey: observed count against the true rate) and each model's predicted"
                + " rate along the true weight direction, x = s·w*/|w*|², against the true rate there (the dashed"
                + " diagonal is a perfect fit).");
        double pd = o.get("poisson_nll", 0);
        double md = o.get("mse", 0);
        int wins = 0;
        for (int m = 0; m < 3; m++) {
            wins += o.get("poisson_nll", m) < o.get("mse", m) ? 1 : 0;
        }
        boolean borne = wins >= 2;
        o.rule = "borne out if Poisson NLL is better (lower) than MSE on at least 2 of the 3 metrics: test deviance,"
                + " rate RMSE against the true rate, parameter error";
        o.verdict(borne, "Poisson NLL was better on " + wins + " of 3 metrics (deviance " + Train.fmt(pd) + " vs "
                + Train.fmt(md) + "; rate RMSE " + Train.fmt(o.get("poisson_nll", 1)) + " vs "
                + Train.fmt(o.get("mse", 1)) + "; parameter error " + Train.fmt(o.get("poisson_nll", 2)) + " vs "
                + Train.fmt(o.get("mse", 2)) + ")");
        return o;
    }

    /** Mean Poisson deviance of counts y under rates mu. */
    static double deviance(double[] y, double[] mu) {
        double dev = 0;
        for (int i = 0; i < y.length; i++) {
            dev += 2 * ((y[i] > 0 ? y[i] * Math.log(y[i] / mu[i]) : 0) - (y[i] - mu[i]));
        }
        return dev / y.length;
    }

    static final int SHOWN = 400;

    static String fitFigure(Outcome o, double[] rate, double[] y, double[] wTrue, int d, Map<String, double[]> models) {
        int n = Math.min(SHOWN, rate.length);
        Svg.Plot p = new Svg.Plot("test counts and fitted rates", "true rate exp(w*·x + b*)", "count / predicted rate")
                .tag("learned-plot", " data-kind=\"fits\"");
        p.points("test rows", java.util.Arrays.copyOf(rate, n), java.util.Arrays.copyOf(y, n), Svg.DATA);
        double lo = java.util.Arrays.stream(rate, 0, n).min().orElse(0.5);
        double hi = java.util.Arrays.stream(rate, 0, n).max().orElse(20);
        double[] t = Svg.linspace(lo, hi, 60);
        p.dashed("truth", t, t, "#000");
        double w2 = 0;
        for (int j = 0; j < d; j++) {
            w2 += wTrue[j] * wTrue[j];
        }
        for (Map.Entry<String, double[]> m : models.entrySet()) {
            double[] w = m.getValue();
            double slope = 0;
            for (int j = 0; j < d; j++) {
                slope += w[j] * wTrue[j] / w2;
            }
            double[] pred = new double[t.length];
            for (int i = 0; i < t.length; i++) {
                // at x = s·w*/|w*|² the true log-rate is s + b*
                pred[i] = Math.exp(slope * (Math.log(t[i]) - wTrue[d]) + w[d]);
            }
            p.line(m.getKey(), t, pred, o.colour(m.getKey()));
        }
        return p.render();
    }

    static double[] rates(double[] x, int n, int d, double[] w) {
        double[] eta = Train.linear(x, n, d, w);
        for (int i = 0; i < n; i++) {
            eta[i] = Math.exp(eta[i]);
        }
        return eta;
    }

    /** Knuth's method for small rates, a normal approximation above 50 (rates here stay well below). */
    static double poisson(SplittableRandom r, double lambda) {
        if (lambda > 50) {
            return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * Train.normal(r)));
        }
        double l = Math.exp(-lambda);
        int k = 0;
        double p = 1;
        do {
            k++;
            p *= r.nextDouble();
        } while (p > l);
        return k - 1;
    }
}
