package org.losses4j.lightgbm;

import java.util.Map;
import java.util.Random;

import org.losses4j.BoostingObjective;

/** The README example: a LightGBM booster trained with losses4j's Huber loss on data with gross outliers. */
public final class LightGbmExample {
    private LightGbmExample() {
    }

    public static void main(String[] args) {
        run();
    }

    /** Returns {mean |error| against the clean signal of a zero prediction, of the trained booster}. */
    public static double[] run() {
        int n = 1000;
        int m = 300;
        int d = 3;
        Random r = new Random(0);
        double[] x = new double[(n + m) * d];
        double[] clean = new double[n + m];
        for (int i = 0; i < n + m; i++) {
            for (int j = 0; j < d; j++) {
                x[i * d + j] = r.nextGaussian();
            }
            clean[i] = Math.sin(x[i * d]) + x[i * d + 1];
        }
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = (float) (clean[i] + 0.1 * r.nextGaussian() + (r.nextDouble() < 0.1 ? 20 : 0));   // 10% gross outliers
        }
        double[] train = java.util.Arrays.copyOf(x, n * d);
        double[] test = java.util.Arrays.copyOfRange(x, n * d, (n + m) * d);

        // Huber's second derivative is 0 beyond delta: a unit floor gives LightGBM's own huber Hessian
        BoostingObjective huber = BoostingObjective.of("huber", Map.of("delta", 1.0)).hessianFloor(1.0);
        try (Booster booster = new Booster(train, n, d, y, null,
                "objective=none num_leaves=15 learning_rate=0.1 num_threads=1 verbose=-1")) {
            for (int it = 0; it < 100; it++) {
                booster.update(huber);
            }
            double[] pred = booster.predictRaw(test, m);   // raw scores: a custom objective has no link
            double before = 0;
            double after = 0;
            for (int i = 0; i < m; i++) {
                before += Math.abs(clean[n + i]) / m;
                after += Math.abs(pred[i] - clean[n + i]) / m;
            }
            System.out.printf("mean |error| on held-out rows: %.3f with no model, %.3f after 100 Huber rounds%n", before,
                    after);
            return new double[] {before, after};
        }
    }
}
