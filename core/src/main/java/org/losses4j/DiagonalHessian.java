package org.losses4j;

/**
 * A loss that also gives the diagonal of its Hessian with respect to {@code input}: each
 * elementwise loss ({@link ElementwiseLoss}), and cox, whose terms couple the samples through
 * their risk sets but whose per-sample second derivatives are still what Newton boosting
 * (an XGBoost objective) needs.
 */
public interface DiagonalHessian extends Loss {
    /**
     * Value, gradient and the diagonal Hessian (the second derivative of the reduced loss with
     * respect to each element of {@code input}), in one pass.
     */
    LossResult computeWithHessian(Inputs in);
}
