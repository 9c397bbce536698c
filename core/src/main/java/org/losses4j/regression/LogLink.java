package org.losses4j.regression;

/** Arithmetic shared by the log-link losses (tweedie, gamma). */
final class LogLink {
    private LogLink() {
    }

    /**
     * {@code y·e^z} for {@code y ≥ 0} (or NaN), finite wherever the product is: 0 for {@code y = 0}
     * whatever {@code z} (a NaN {@code z} reaches the caller's result through its other terms), and
     * {@code e^{z + log y}} where {@code e^z} alone overflows or is subnormal (a small {@code y} times
     * a huge exponential, a large {@code y} times a tiny one).
     */
    static double yExp(double y, double z) {
        double e = Math.exp(z);
        if (y > 0 && (e == Double.POSITIVE_INFINITY || e < Double.MIN_NORMAL)) {
            return Math.exp(z + Math.log(y));
        }
        return y == 0 ? 0 : y * e;
    }
}
