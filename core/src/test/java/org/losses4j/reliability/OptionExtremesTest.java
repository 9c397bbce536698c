package org.losses4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.losses4j.ErrorKind;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossException;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.OptionSpec;
import org.losses4j.Tensor;

/**
 * Every numeric option of every loss in the registry at ±∞, NaN and the extreme finite values
 * (±Double.MAX_VALUE, ±1e300, ±1e-300, ±Double.MIN_VALUE, ±2^53 + 2): each is either refused
 * when the loss is built ({@code invalid_option}, naming the option), or, on the loss's finite
 * fixture in float64 and float32, gives a finite value, finite terms and finite gradients. A
 * non-finite result from finite input means the option's range is too wide (`focal gamma =
 * Infinity` gave NaN gradients, `dice smooth = Infinity` NaN, `nt_xent temperature = 4.9e-324`
 * NaN).
 */
class OptionExtremesTest {
    static final double[] EXTREMES = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
        Double.MAX_VALUE, -Double.MAX_VALUE, 1e300, -1e300, 1e-300, -1e-300, Double.MIN_VALUE, -Double.MIN_VALUE,
        9007199254740994.0, -9007199254740994.0};

    /** An option that takes numbers (real, integer, nullable real or list), by its range text. */
    static boolean numeric(OptionSpec<?> s) {
        String a = s.allowed();
        return !a.startsWith("one of") && !a.equals("true or false");
    }

    @TestFactory
    Stream<DynamicTest> everyNumericOptionAtItsExtremesIsRefusedOrFinite() {
        List<DynamicTest> out = new ArrayList<>();
        for (LossInfo info : Losses.catalog()) {
            for (OptionSpec<?> spec : info.options()) {
                if (!numeric(spec)) {
                    continue;
                }
                for (double v : EXTREMES) {
                    Object raw = spec.valueType() == double[].class ? List.of(1.0, v) : (Object) v;
                    out.add(DynamicTest.dynamicTest(info.name() + " " + spec.name() + " = " + v,
                            () -> check(info.name(), spec.name(), raw)));
                }
            }
        }
        return out.stream();
    }

    private static void check(String name, String option, Object raw) {
        Map<String, Object> opts = new LinkedHashMap<>(Fixtures.baseOptions(name));
        opts.put(option, raw);
        Loss loss;
        try {
            loss = Losses.create(name, opts);
        } catch (LossException e) {
            assertEquals(ErrorKind.INVALID_OPTION, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("option " + option), e.getMessage());
            return;
        }
        for (boolean f32 : new boolean[] {false, true}) {
            Inputs in = Fixtures.valid(name, opts, new Random(3), 3);
            if (f32) {
                in = Fixtures.toFloat32(in);
            }
            String at = name + " " + option + " = " + raw + (f32 ? " (float32)" : "");
            LossResult r;
            try {
                r = loss.compute(in);
            } catch (LossException e) {
                // a range that depends on the inputs (ctc's blank < C) is checked at the call
                assertEquals(ErrorKind.INVALID_OPTION, e.kind(), at + ": " + e.getMessage());
                return;
            }
            assertTrue(Double.isFinite(r.value()), at + ": value " + r.value());
            if (r.isUnreduced()) {
                allFinite(r.terms(), at + ": terms");
            }
            for (Map.Entry<String, Tensor> g : r.grads().entrySet()) {
                allFinite(g.getValue(), at + ": gradient for " + g.getKey());
            }
        }
    }

    private static void allFinite(Tensor t, String what) {
        for (int i = 0; i < t.size(); i++) {
            double v = t.getDouble(i);
            assertTrue(Double.isFinite(v), what + "[" + i + "] = " + v);
        }
    }
}
