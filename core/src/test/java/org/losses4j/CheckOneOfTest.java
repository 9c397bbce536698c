package org.losses4j;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link Check#oneOf}'s branch-free pre-check ((v − a)·(v − b) ≠ 0) must never pass a value that
 * is neither allowed value: the values next to 0 and 1 (subnormals, 1 ± ulp), infinities, both
 * dtypes, and at every position; NaN and −0.0 pass, as in the exact loop.
 */
class CheckOneOfTest {
    static final float[] NEAR = {Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Math.nextUp(1f),
        Math.nextDown(1f), 2f, -1f, 0.5f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE,
        -Float.MAX_VALUE, 1e-30f};

    @Test
    void everyValueNextToTheAllowedOnesIsRefusedAtAnyPosition() {
        for (float bad : NEAR) {
            for (int n : new int[] {1, 7, 64, 1001}) {
                for (int pos : new int[] {0, n / 2, n - 1}) {
                    float[] f = new float[n];
                    double[] d = new double[n];
                    for (int i = 0; i < n; i++) {
                        f[i] = i % 3 == 0 ? 1f : 0f;
                        d[i] = f[i];
                    }
                    f[pos] = bad;
                    d[pos] = bad;
                    for (Tensor t : new Tensor[] {Tensor.vector(f), Tensor.vector(d)}) {
                        LossException e = assertThrows(LossException.class, () -> Check.oneOf("target", t, 0, 1),
                                "value " + bad + " at " + pos + " of " + n);
                        assertEquals(ErrorKind.OUT_OF_DOMAIN, e.kind());
                        assertTrue(e.getMessage().contains("[" + pos + "]"), e.getMessage());
                    }
                }
            }
        }
        // a double just beside 0 or 1 that float cannot hold
        assertThrows(LossException.class, () -> Check.oneOf("t", Tensor.vector(new double[] {0, 1e-300}), 0, 1));
        assertThrows(LossException.class,
                () -> Check.oneOf("t", Tensor.vector(new double[] {Math.nextUp(1.0)}), 0, 1));
    }

    @Test
    void allowedValuesNanAndNegativeZeroPass() {
        float[] f = {0f, 1f, Float.NaN, -0f, 1f, 0f, 0f, 1f, 1f};
        assertDoesNotThrow(() -> Check.oneOf("target", Tensor.vector(f), 0, 1));
        assertDoesNotThrow(() -> Check.oneOf("target", Tensor.vector(new double[] {-1, 1, Double.NaN}), -1, 1));
        assertThrows(LossException.class, () -> Check.oneOf("target", Tensor.vector(new float[] {-1, 0, 1}), -1, 1));
    }
}
