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

/** 2. Logistic regression on 1:50 imbalanced, overlapping classes. */
final class ImbalancedBinary implements Experiment {

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
        Map<String, double[]> models = new LinkedHashMap<>();
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
            Trace trace = new Trace(epochs);
            DoubleSupplier recall = () -> measure(test, d, p)[0];
            for (int e = 0; e < epochs; e++) {
                trace.before(e, recall);
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
            trace.last(epochs, recall);
            o.testCurve(name, trace);
            o.row(name, measure(test, d, p));
            models.put(name, p);
        }
        o.shows(0, false, boundaries(o, test, d, models),
                "the test points in the plane x₁ = x₂ = a, x₃ = x₄ = b (each point drawn at a = (x₁ + x₂)/2,"
                + " b = (x₃ + x₄)/2; grey: 400 of the negatives, black: every positive) and each model's decision"
                + " boundary (probability 0.5) in that plane; positives lie to the upper right of it.");
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

    /** {minority recall, precision, average precision} of the linear model p on the test set, at threshold 0.5. */
    static double[] measure(double[][] test, int d, double[] p) {
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
        return new double[] {tp / pos, tp + fp == 0 ? 0 : tp / (tp + fp), Train.averagePrecision(s, test[1])};
    }

    /** Test points projected to (mean of x₁, x₂; mean of x₃, x₄) and each model's boundary in that plane. */
    static String boundaries(Outcome o, double[][] test, int d, Map<String, double[]> models) {
        int nt = test[1].length;
        java.util.List<double[]> neg = new java.util.ArrayList<>();
        java.util.List<double[]> pos = new java.util.ArrayList<>();
        for (int i = 0; i < nt; i++) {
            double[] ab = {(test[0][i * d] + test[0][i * d + 1]) / 2, (test[0][i * d + 2] + test[0][i * d + 3]) / 2};
            (test[1][i] == 1 ? pos : neg).add(ab);
        }
        int every = Math.max(1, neg.size() / 400);
        double lo = -2.5;
        double hi = 3.5;
        Svg.Plot p = new Svg.Plot("decision boundaries (test data)", "a = (x₁ + x₂)/2", "b = (x₃ + x₄)/2")
                .tag("learned-plot", " data-kind=\"boundaries\"").xRange(lo, hi).yRange(lo, hi).size(620, 440);
        p.points("negatives", column(neg, 0, every), column(neg, 1, every), Svg.DATA);
        p.points("positives", column(pos, 0, 1), column(pos, 1, 1), "#000");
        for (Map.Entry<String, double[]> m : models.entrySet()) {
            double[] w = m.getValue();
            // on x = (a, a, b, b): (w1 + w2)·a + (w3 + w4)·b + w0 = 0
            double wa = w[0] + w[1];
            double wb = w[2] + w[3];
            double[] a;
            double[] b;
            if (Math.abs(wb) >= Math.abs(wa)) {
                a = new double[] {lo, hi};
                b = new double[] {-(w[d] + wa * lo) / wb, -(w[d] + wa * hi) / wb};
            } else {
                b = new double[] {lo, hi};
                a = new double[] {-(w[d] + wb * lo) / wa, -(w[d] + wb * hi) / wa};
            }
            p.line(m.getKey(), a, b, o.colour(m.getKey()));
        }
        return p.render();
    }

    private static double[] column(java.util.List<double[]> pts, int k, int every) {
        double[] v = new double[(pts.size() + every - 1) / every];
        for (int i = 0; i < v.length; i++) {
            v[i] = pts.get(i * every)[k];
        }
        return v;
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
