package org.losses4j.cli.demo;

import java.util.Map;
import java.util.SplittableRandom;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/** 2. Logistic regression on 1:50 imbalanced, overlapping classes. */
final class ImbalancedBinary implements Experiment {
    @Override
    public String title() {
        return "Imbalanced binary classification (1:50): BCE vs weighted BCE vs focal (α = 0.25 and α weighting the rare class up)";
    }

    @Override
    public String setup() {
        return "Data: 10000 negatives (2500 quick) and 1/50 as many positives, 4 Gaussian features, positives shifted by +1.2 in each (overlapping classes); test set 10000 negatives, 200 positives. Model: logistic regression (4 weights + bias). Optimiser: full-batch Adam, learning rate 0.05, 600 epochs (300 quick); threshold 0.5.";
    }

    @Override
    public String claim() {
        return "\"For imbalanced datasets, use Focal Loss to focus more on difficult or rare examples\";"
                + " \"Class imbalance: Focal loss\".";
    }

    @Override
    public Outcome run(long seed, boolean quick, Progress progress) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = 4;
        int nNeg = quick ? 2500 : 10000;
        int nPos = nNeg / 50;
        double[][] train = data(r, d, nPos, nNeg);
        double[][] test = data(r, d, 200, 10000);
        int epochs = quick ? 300 : 600;
        Outcome o = new Outcome("minority recall @0.5", "precision @0.5", "PR-AUC");
        o.higherIsBetter.add("minority recall @0.5");
        double rareAlpha = Math.round(100.0 * nNeg / (nNeg + nPos)) / 100.0;
        String[] names = {"bce", "weighted bce", "focal", "focal α=" + rareAlpha};
        for (String name : names) {
            progress.step(name);
            Loss loss = name.equals("focal") ? Losses.create("focal", Map.of("gamma", 2.0, "alpha", 0.25))
                    : name.startsWith("focal") ? Losses.create("focal", Map.of("gamma", 2.0, "alpha", rareAlpha))
                    : Losses.create("bce_with_logits");
            Tensor posWeight = name.equals("weighted bce") ? Tensor.vector(new double[] {(double) nNeg / nPos}) : null;
            int n = train[1].length;
            double[] p = new double[d + 1];
            Train.Adam adam = new Train.Adam(d + 1, 0.05);
            double[] curve = new double[epochs];
            for (int e = 0; e < epochs; e++) {
                double[] z = Train.linear(train[0], n, d, p);
                Inputs in = Inputs.of(Tensor.of(z, n, 1), Tensor.of(train[1], n, 1));
                if (posWeight != null) {
                    in = in.with("pos_weight", posWeight);
                }
                LossResult res = loss.compute(in);
                curve[e] = res.value();
                adam.step(p, Train.linearBackward(train[0], n, d, res.grad().f64()));
            }
            o.curve(name, curve);
            int nt = test[1].length;
            double[] s = Train.linear(test[0], nt, d, p);
            double tp = 0;
            double fp = 0;
            double pos = 0;
            for (int i = 0; i < nt; i++) {
                boolean predicted = s[i] > 0;
                pos += test[1][i];
                if (predicted && test[1][i] == 1) {
                    tp++;
                } else if (predicted) {
                    fp++;
                }
            }
            o.row(name, tp / pos, tp + fp == 0 ? 0 : tp / (tp + fp), Train.averagePrecision(s, test[1]));
        }
        double bce = o.get("bce", 0);
        double focal = o.get("focal", 0);
        String up = "; focal with α = " + rareAlpha + " (the rare class weighted up): " + Train.fmt(o.get(names[3], 0))
                + ". PR-AUC is about the same for all four: the losses mostly move the decision threshold";
        o.rule = "borne out if focal loss as commonly configured (γ = 2, α = 0.25) has a higher minority recall than"
                + " plain BCE";
        o.verdict(focal > bce, focal > bce
                ? "focal loss found more of the rare class than plain BCE (recall " + Train.fmt(focal) + " vs "
                        + Train.fmt(bce) + "); weighted BCE: " + Train.fmt(o.get("weighted bce", 0)) + up
                : "focal loss (γ = 2, α = 0.25) did not raise minority recall over plain BCE this run ("
                        + Train.fmt(focal) + " vs " + Train.fmt(bce) + "): its α = 0.25 weights the rare positives"
                        + " down; re-weighting them (weighted BCE) did: " + Train.fmt(o.get("weighted bce", 0)) + up);
        return o;
    }

    /** {features [n, d], labels [n]}: positives centred at +1.2 in every feature, negatives at 0. */
    private static double[][] data(SplittableRandom r, int d, int nPos, int nNeg) {
        int n = nPos + nNeg;
        double[] x = Train.gaussian(r, n, d);
        double[] y = new double[n];
        for (int i = 0; i < nPos; i++) {
            int row = r.nextInt(n);
            while (y[row] == 1) {
                row = r.nextInt(n);
            }
            y[row] = 1;
            for (int j = 0; j < d; j++) {
                x[row * d + j] += 1.2;
            }
        }
        return new double[][] {x, y};
    }
}
