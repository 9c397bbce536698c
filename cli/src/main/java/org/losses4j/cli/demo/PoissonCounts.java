package org.losses4j.cli.demo;

import java.util.SplittableRandom;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/** 7. Counts from a log-linear Poisson model: Poisson NLL vs MSE on the same exp-link model. */
final class PoissonCounts implements Experiment {
    @Override
    public String title() {
        return "Count regression: Poisson NLL vs MSE";
    }

    @Override
    public String setup() {
        return "Data: 800 training rows (300 quick) of 3 Gaussian features, counts drawn from Poisson(exp(w·x + b)) with rates about 0.5 to 20; 3000 test rows. Model: a log-linear (Poisson GLM) predictor; MSE is trained on exp(w·x + b) through the same link. Optimiser: full-batch Adam, learning rate 0.02, 1000 epochs (400 quick).";
    }

    @Override
    public String claim() {
        return "\"Poisson Loss is used for count data modeling the distribution of the predicted values as a Poisson"
                + " distribution.\"";
    }

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
        Outcome o = new Outcome("test mean Poisson deviance", "rate RMSE vs true rate", "|w − w*|");
        for (String name : new String[] {"poisson_nll", "mse"}) {
            progress.step(name);
            Loss loss = Losses.create(name);
            double[] w = new double[d + 1];
            Train.Adam adam = new Train.Adam(d + 1, 0.02);
            double[] curve = new double[epochs];
            for (int e = 0; e < epochs; e++) {
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
            double[] mu = rates(xt, nTest, d, w);
            double dev = 0;
            for (int i = 0; i < nTest; i++) {
                double yi = yt[i];
                dev += 2 * ((yi > 0 ? yi * Math.log(yi / mu[i]) : 0) - (yi - mu[i]));
            }
            double dist = 0;
            for (int j = 0; j <= d; j++) {
                dist += (w[j] - wTrue[j]) * (w[j] - wTrue[j]);
            }
            o.row(name, dev / nTest, Train.rmse(mu, rateT), Math.sqrt(dist));
        }
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
