package org.losses4j.kernels;

/**
 * The binary focal loss of one element as a function of the signed logit u = (2y − 1)·x, in
 * float64: the one definition that {@code Focal}'s float64 path, its second derivative and the
 * scalar float32 kernel evaluate (the vector kernel's lane arithmetic is its own, by design).
 * With p_t = σ(u): term = (1 − p_t)^γ·(−log p_t), computed as exp(−γ·softplus(u))·softplus(−u)
 * so that no power of 0 and no log of 0 is taken at any finite u.
 */
public final class FocalTerm {
    private FocalTerm() {
    }

    /**
     * The unweighted term at u; {@code slope[k]} receives d term / du, which times (2y − 1) is
     * the derivative with respect to the logit. γ = 0 gives exactly the logistic loss.
     */
    public static double term(double u, double gamma, double[] slope, int k) {
        double e = Math.exp(-Math.abs(u));
        double l = Math.log1p(e);
        double r = 1 / (1 + e);
        boolean pos = u >= 0;
        double a = pos ? e * r : r; // σ(−u) = 1 − p_t
        double bu = pos ? r : e * r; // σ(u) = p_t
        double ce = Math.max(-u, 0) + l; // softplus(−u) = −log p_t
        // (1 − p_t)^γ = exp(−γ·softplus(u)); γ = 0 gives exactly 1
        double mod = gamma == 0 ? 1.0 : Math.exp(-gamma * (Math.max(u, 0) + l));
        // σ(u)·softplus(−u) → 0 as u → −∞ (bu = 0, ce = ∞): 0, not 0·∞ = NaN
        slope[k] = -mod * (gamma * (bu == 0 ? 0 : bu * ce) + a);
        return mod * ce;
    }

    /** d² term / du² at u (the same in the logit, since (2y − 1)² = 1). */
    public static double curvature(double u, double gamma) {
        double e = Math.exp(-Math.abs(u));
        double l = Math.log1p(e);
        double r = 1 / (1 + e);
        boolean pos = u >= 0;
        double a = pos ? e * r : r;
        double bu = pos ? r : e * r;
        double ce = Math.max(-u, 0) + l;
        double mod = gamma == 0 ? 1.0 : Math.exp(-gamma * (Math.max(u, 0) + l));
        return mod * bu * (gamma * gamma * bu * ce - gamma * a * ce + 2 * gamma * a + a);
    }
}
