package org.losses4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Assertions shared by the family tests: refusals, closeness, float32 against float64. */
public final class TestSupport {
    private TestSupport() {
    }

    /** A call expected to be refused. */
    public interface Call {
        Object run() throws Exception;
    }

    /** {@code c} throws a {@link LossException} of {@code kind} whose message contains {@code message}. */
    public static void assertRefused(Call c, ErrorKind kind, String message) {
        assertThatThrownBy(c::run).isInstanceOfSatisfying(LossException.class, e -> {
            assertThat(e.kind()).isEqualTo(kind);
            assertThat(e.getMessage()).contains(message);
        });
    }

    /** |got − expected| ≤ rel·(1 + |expected|). */
    public static void assertClose(double got, double expected, double rel) {
        assertThat(got).isCloseTo(expected, within(rel * (1 + Math.abs(expected))));
    }

    /** The float64 values of {@code f}. */
    public static double[] widen(float[] f) {
        double[] a = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            a[i] = f[i];
        }
        return a;
    }

    /** A float32 result agrees with the float64 one to 1e-5 relative (plus 1e-8 absolute), value and every gradient. */
    public static void compare32(LossResult f32, LossResult f64) {
        assertThat(f32.value()).isCloseTo(f64.value(), within(1e-5 * (1e-3 + Math.abs(f64.value()))));
        for (String name : f64.grads().keySet()) {
            float[] a = f32.grad(name).f32();
            double[] b = f64.grad(name).f64();
            for (int i = 0; i < b.length; i++) {
                assertThat((double) a[i]).as(name + "[" + i + "]").isCloseTo(b[i], within(1e-5 * (1e-3 + Math.abs(b[i]))));
            }
        }
    }
}
