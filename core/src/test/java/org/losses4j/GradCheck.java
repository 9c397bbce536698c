package org.losses4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;

/**
 * Finite-difference checks in float64, independent of the analytic gradients they check:
 * the reference is the central difference (f(x + h) − f(x − h)) / 2h of the loss VALUE
 * (for reduction {@code none}, of the sum of the terms).
 */
public final class GradCheck {
    private GradCheck() {
    }

    /** Checks the gradient of {@code loss} w.r.t. every input it returns a gradient for. */
    public static void gradients(Loss loss, Inputs in) {
        gradients(loss, in, 1e-6, 1e-6);
    }

    /**
     * Checks every returned gradient element against a central difference with step
     * {@code h·max(1, |x|)}; tolerance {@code tol·(1 + |fd|)}.
     */
    public static void gradients(Loss loss, Inputs in, double h, double tol) {
        LossResult r = loss.compute(in);
        assertNotNull(r);
        if (r.grads().isEmpty()) {
            fail(loss.name() + " returned no gradient");
        }
        for (Map.Entry<String, Tensor> e : r.grads().entrySet()) {
            String name = e.getKey();
            Tensor x = in.get(name);
            double[] a = x.f64();
            double[] g = e.getValue().f64();
            for (int i = 0; i < a.length; i++) {
                double fd = difference(loss, in, a, i, h);
                if (Math.abs(fd - g[i]) > tol * (1 + Math.abs(fd))) {
                    fail(loss + ": d/d" + name + "[" + i + "] analytic " + g[i] + " vs finite difference " + fd);
                }
            }
        }
    }

    /** Checks {@code computeWithHessian}'s diagonal against central differences of the gradient. */
    public static void hessian(DiagonalHessian loss, Inputs in, double h, double tol) {
        LossResult r = loss.computeWithHessian(in);
        double[] x = in.get("input").f64();
        double[] hess = r.hessian().f64();
        for (int i = 0; i < x.length; i++) {
            double old = x[i];
            double step = h * Math.max(1, Math.abs(old));
            x[i] = old + step;
            double gp = loss.compute(in).grad("input").f64()[i];
            x[i] = old - step;
            double gm = loss.compute(in).grad("input").f64()[i];
            x[i] = old;
            double fd = (gp - gm) / (2 * step);
            if (Math.abs(fd - hess[i]) > tol * (1 + Math.abs(fd))) {
                fail(loss + ": d²/dinput[" + i + "]² analytic " + hess[i] + " vs finite difference " + fd);
            }
        }
    }

    /** Central difference of the (summed) value with respect to element i of array a (restored after). */
    public static double difference(Loss loss, Inputs in, double[] a, int i, double h) {
        double old = a[i];
        double step = h * Math.max(1, Math.abs(old));
        a[i] = old + step;
        double fp = loss.value(in).value();
        a[i] = old - step;
        double fm = loss.value(in).value();
        a[i] = old;
        return (fp - fm) / (2 * step);
    }

    /** Asserts that {@code sum} equals {@code n·mean} within a relative tolerance. */
    public static void sumIsNTimesMean(double sum, double mean, double n) {
        assertEquals(sum, n * mean, 1e-9 * (1 + Math.abs(sum)));
    }
}
