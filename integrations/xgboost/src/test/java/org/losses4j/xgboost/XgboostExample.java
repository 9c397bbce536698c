package org.losses4j.xgboost;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

/** The README example: a booster trained with losses4j's Huber loss as its objective. */
public final class XgboostExample {
    private XgboostExample() {
    }

    public static void main(String[] args) throws Exception {
        int n = 1000;
        Random r = new Random(0);
        float[] x = new float[n * 2];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = r.nextFloat();
            x[2 * i + 1] = r.nextFloat();
            y[i] = 3 * x[2 * i] - x[2 * i + 1] + (r.nextDouble() < 0.05 ? 50 : 0);   // 5% outliers
        }
        DMatrix train = new DMatrix(x, n, 2, Float.NaN);
        train.setLabel(y);

        Map<String, Object> params = new HashMap<>();
        params.put("max_depth", 3);
        params.put("eta", 0.3);
        params.put("base_score", 0.0);          // a custom objective takes base_score as a margin
        params.put("min_child_weight", 0.0);    // Σh in a leaf is small where the Hessian is floored
        // Huber's second derivative is 0 beyond delta: floor it at 1 (as XGBoost's reg:absoluteerror)
        LossObjective huber = LossObjective.of("huber", Map.of("delta", 1.0)).hessianFloor(1.0);
        Booster booster = XGBoost.train(train, params, 50, new HashMap<>(), huber, null);

        float[][] margin = booster.predict(train, true);  // raw scores (no link for a custom objective)
        System.out.printf("prediction at x = (%.2f, %.2f): %.3f (clean target %.3f)%n",
                x[0], x[1], margin[0][0], 3 * x[0] - x[1]);
    }
}
