package org.losses4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.losses4j.regression.Huber;
import org.losses4j.regression.Mse;

/** The public API's contracts: options, buffers, dtypes, errors, immutability. */
class ApiTest {

    @Test
    void unknownOptionIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> Losses.create("huber", Map.of("delat", 1.0)))
                .isInstanceOfSatisfying(LossException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UNKNOWN_OPTION);
                    assertThat(e.getMessage()).contains("delat").contains("delta");
                });
    }

    @Test
    void optionOutOfRangeIsRefusedWithItsValue() {
        assertThatThrownBy(() -> Losses.create("huber", Map.of("delta", -2.0)))
                .isInstanceOfSatisfying(LossException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_OPTION);
                    assertThat(e.getMessage()).isEqualTo("option delta = -2.0 must be > 0");
                });
        assertThatThrownBy(() -> Losses.create("mse", Map.of("reduction", "avg")))
                .isInstanceOfSatisfying(LossException.class,
                        e -> assertThat(e.getMessage()).contains("reduction").contains("'avg'"));
    }

    @Test
    void optionsParseFromTextAsFromTheCommandLine() {
        Loss a = Losses.create("huber", Map.of("delta", "0.5", "reduction", "sum"));
        Loss b = Huber.builder().set(Huber.DELTA, 0.5).reduction(Reduction.SUM).build();
        double[] x = {0.1, -2.0, 3.5};
        double[] y = {0.0, 0.3, 0.0};
        assertThat(a.value(Inputs.of(Tensor.vector(x), Tensor.vector(y))).value())
                .isEqualTo(b.value(Inputs.of(Tensor.vector(x), Tensor.vector(y))).value())
                // 0.5·0.1² + 0.5(2.3 − 0.25) + 0.5(3.5 − 0.25), by hand
                .isCloseTo(0.005 + 1.025 + 1.625, org.assertj.core.data.Offset.offset(1e-15));
    }

    @Test
    void unknownLossSuggestsTheNearestName() {
        assertThatThrownBy(() -> Losses.create("hubber"))
                .isInstanceOfSatisfying(LossException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UNKNOWN_LOSS);
                    assertThat(e.getMessage()).contains("'hubber'").contains("huber");
                });
    }

    @Test
    void callerGradientBufferIsWrittenAndReturnedWithoutCopy() {
        Mse mse = Mse.builder().build();
        double[] x = {1, 2, 3};
        double[] y = {0, 0, 0};
        double[] g = {9, 9, 9};
        Tensor buf = Tensor.vector(g);
        LossResult r = mse.compute(Inputs.of(Tensor.vector(x), Tensor.vector(y)).gradInto("input", buf));
        assertThat(r.grad("input")).isSameAs(buf);
        assertThat(g).containsExactly(2.0 / 3, 4.0 / 3, 6.0 / 3);
        float[] gf = new float[3];
        double v = mse.valueAndGrad(new float[] {1, 2, 3}, new float[3], gf);
        assertThat(v).isEqualTo(14.0 / 3, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(gf).containsExactly(2f / 3, 4f / 3, 2f);
    }

    @Test
    void gradientBufferOfWrongShapeOrTypeIsRefused() {
        Mse mse = Mse.builder().build();
        Inputs in = Inputs.of(Tensor.vector(new double[3]), Tensor.vector(new double[3]));
        assertThatThrownBy(() -> mse.compute(in.gradInto("input", Tensor.vector(new double[4]))))
                .isInstanceOfSatisfying(LossException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.SHAPE_MISMATCH));
        assertThatThrownBy(() -> mse.compute(in.gradInto("input", Tensor.vector(new float[3]))))
                .isInstanceOfSatisfying(LossException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_DTYPE));
    }

    @Test
    void float32InGivesFloat32Out() {
        LossResult r = Losses.create("mse", Map.of("reduction", "none"))
                .compute(Inputs.of(Tensor.of(new float[] {1, 2}, 2), Tensor.of(new float[] {0, 0}, 2)));
        assertThat(r.terms().dtype()).isEqualTo(DType.FLOAT32);
        assertThat(r.grad().dtype()).isEqualTo(DType.FLOAT32);
        assertThat(r.terms().f32()).containsExactly(1f, 4f);
    }

    @Test
    void shapeMismatchNamesBothShapes() {
        assertThatThrownBy(() -> Losses.create("mse").compute(
                Inputs.of(Tensor.of(new double[6], 2, 3), Tensor.of(new double[6], 3, 2))))
                .isInstanceOfSatisfying(LossException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.SHAPE_MISMATCH);
                    assertThat(e.getMessage()).isEqualTo("target shape [3, 2] != input shape [2, 3]");
                });
    }

    @Test
    void missingAndUnexpectedInputsAreRefused() {
        Loss mse = Losses.create("mse");
        assertThatThrownBy(() -> mse.compute(Inputs.of("input", Tensor.vector(new double[2]))))
                .isInstanceOfSatisfying(LossException.class,
                        e -> assertThat(e.getMessage()).contains("needs input 'target'"));
        assertThatThrownBy(() -> mse.compute(Inputs.of(Tensor.vector(new double[2]), Tensor.vector(new double[2]))
                .with("wieght", Tensor.vector(new double[2]))))
                .isInstanceOfSatisfying(LossException.class, e -> assertThat(e.getMessage()).contains("'wieght'"));
    }

    @Test
    void meanOfNoTermsIsRefused() {
        assertThatThrownBy(() -> Losses.create("mse").compute(
                Inputs.of(Tensor.vector(new double[0]), Tensor.vector(new double[0]))))
                .isInstanceOfSatisfying(LossException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.EMPTY_INPUT));
        // sum of no terms is 0, as it should be
        assertThat(Losses.create("mse", Map.of("reduction", "sum")).compute(
                Inputs.of(Tensor.vector(new double[0]), Tensor.vector(new double[0]))).value()).isZero();
    }

    @Test
    void nanPropagatesIntoValueAndGradient() {
        LossResult r = Losses.create("huber").compute(
                Inputs.of(Tensor.vector(new double[] {Double.NaN, 5}), Tensor.vector(new double[] {0, 0})));
        assertThat(r.value()).isNaN();
        assertThat(r.grad().f64()[0]).isNaN();
        assertThat(r.grad().f64()[1]).isEqualTo(0.5); // δ·sign(d) / n
    }

    @Test
    void resultsReportWhatMeanDividesBy() {
        // cross_entropy: Σ w_y over kept targets (2 + 3; the ignored row counts nothing), whatever the reduction
        Inputs ce = Inputs.of("input", Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 0, 0, 0}, 3, 3))
                .with("target", Tensor.labels(0, 2, -100)).with("weight", Tensor.vector(new double[] {2, 1, 3}));
        assertThat(Losses.create("cross_entropy").compute(ce).divisor()).isEqualTo(5.0);
        assertThat(Losses.create("cross_entropy", Map.of("reduction", "sum")).value(ce).divisor()).isEqualTo(5.0);
        // elementwise, float32 fused path included: the number of elements
        assertThat(Losses.create("mse", Map.of("reduction", "sum")).compute(Inputs.of(
                Tensor.vector(new float[] {1, 2, 3}), Tensor.vector(new float[3]))).divisor()).isEqualTo(3.0);
        // kl_div batchmean: the batch size
        Inputs kl = Inputs.of("input", Tensor.of(new double[] {-1, -0.5, -1, -0.5}, 2, 2))
                .with("target", Tensor.of(new double[] {0.5, 0.5, 0.25, 0.75}, 2, 2));
        assertThat(Losses.create("kl_div").value(kl).divisor()).isEqualTo(2.0);
    }

    @Test
    void tensorShapeMustMatchData() {
        assertThatThrownBy(() -> Tensor.of(new double[5], 2, 3))
                .isInstanceOfSatisfying(LossException.class,
                        e -> assertThat(e.getMessage()).isEqualTo("shape [2, 3] needs 6 elements but the array has 5"));
    }

    @Test
    void labelMessageNamesIndexAndRange() {
        Tensor t = Tensor.labels(0, 1, 2, 3, 7);
        assertThatThrownBy(() -> Check.labels("target", t, 5))
                .isInstanceOfSatisfying(LossException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.LABEL_OUT_OF_RANGE);
                    assertThat(e.getMessage()).isEqualTo("target[4] = 7 is outside [0, 5) classes");
                });
        assertThat(Check.at("input", Tensor.of(new double[6], 2, 3), 4)).isEqualTo("input[1, 1]");
    }

    @Test
    void asFloat32RoundsEachValueOnceAndKeepsTheShape() {
        Tensor d = Tensor.of(new double[] {0.1, -1e-50, 3.4e38 * 2, Double.NaN, 1.0 / 3}, 5, 1);
        Tensor f = d.asFloat32();
        assertThat(f.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(f.shape()).containsExactly(5, 1);
        assertThat(f.f32()).containsExactly(0.1f, -0f, Float.POSITIVE_INFINITY, Float.NaN, 1f / 3);
        assertThat(f.asFloat32()).isSameAs(f);
        assertThat(Tensor.ofLabels(new long[] {3, -2}, 2).asFloat32().f32()).containsExactly(3f, -2f);
    }

    @Test
    void gradientBuffersMustOwnTheirArrayAndNameAGradient() {
        Mse mse = Mse.builder().build();
        double[] x = {1, 2, 3};
        Inputs in = Inputs.of(Tensor.vector(x), Tensor.vector(new double[3]));
        // the docs/errors.md examples, verbatim
        assertThatThrownBy(() -> mse.compute(in.gradInto("input", Tensor.vector(x))))
                .isInstanceOfSatisfying(LossException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.ALIASED_BUFFER);
                    assertThat(e.getMessage()).isEqualTo("gradient buffer for input is the array of input input: give"
                            + " the gradient an array of its own (the loss reads input while it writes the gradient)");
                });
        assertThat(x).containsExactly(1, 2, 3); // refused before anything was written
        assertThatThrownBy(() -> mse.compute(in.gradInto("target", Tensor.vector(new double[3]))))
                .isInstanceOfSatisfying(LossException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.NO_GRADIENT);
                    assertThat(e.getMessage()).isEqualTo(
                            "gradient buffer for target: loss mse gives no gradient for input 'target' (gradients: input)");
                });
        assertThatThrownBy(() -> mse.compute(in.gradInto("inputs", Tensor.vector(new double[3]))))
                .isInstanceOfSatisfying(LossException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("gradient buffer for inputs: loss mse has no input 'inputs' (gradients: input)"));
        LossResult r = mse.compute(in);
        assertThatThrownBy(() -> r.grad("inputs"))
                .isInstanceOfSatisfying(LossException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.NO_GRADIENT);
                    assertThat(e.getMessage()).isEqualTo("no gradient for 'inputs' (gradients: input)");
                });
        assertThat(mse.value(in).grad("input")).as("a value-only result has no gradients").isNull();
        float[] a = new float[3];
        Inputs tr = Inputs.of("anchor", Tensor.of(new float[] {1, 2, 3}, 1, 3))
                .with("positive", Tensor.of(new float[] {0, 2, 1}, 1, 3)).with("negative", Tensor.of(new float[3], 1, 3))
                .gradInto("anchor", Tensor.of(a, 1, 3)).gradInto("positive", Tensor.of(a, 1, 3));
        assertThatThrownBy(() -> Losses.create("triplet").compute(tr))
                .isInstanceOfSatisfying(LossException.class, e -> assertThat(e.getMessage()).isEqualTo(
                        "gradient buffers for anchor and positive are the same array: give each gradient an array of its own"));
    }

    @Test
    void tensorSizesAreComputedInLongAndWhatCannotFitIsRefusedByName() {
        // 65536 × 65536 = 2^32 elements: once an int overflow and OutOfMemoryError
        assertThatThrownBy(() -> Tensor.zeros(DType.FLOAT64, 65536, 65536))
                .isInstanceOfSatisfying(LossException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.TOO_LARGE);
                    assertThat(e.getMessage()).isEqualTo("Tensor.zeros(float64, shape [65536, 65536]) needs 4294967296"
                            + " elements, more than a Java array holds (2147483639)");
                });
        // (2^16)^4 = 2^64 overflows a long too
        assertThatThrownBy(() -> Tensor.zeros(DType.FLOAT32, 65536, 65536, 65536, 65536))
                .isInstanceOfSatisfying(LossException.class,
                        e -> assertThat(e.getMessage()).contains("[65536, 65536, 65536, 65536]").contains("more than 2^63-1"));
        // fits an array but not the heap: refused before allocating, naming the shape and the heap
        long heap = Runtime.getRuntime().maxMemory();
        long n = heap / 8 + 1;
        if (n <= Check.MAX_ARRAY - 2) {
            int rows = 2;
            int cols = (int) ((n + 1) / 2);
            assertThatThrownBy(() -> Tensor.zeros(DType.FLOAT64, rows, cols))
                    .isInstanceOfSatisfying(LossException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.TOO_LARGE);
                        assertThat(e.getMessage()).contains("shape [2, " + cols + "]").contains("heap");
                    });
        }
        // a zero dimension is an empty tensor whatever the others; a negative one is refused
        assertThat(Tensor.zeros(DType.FLOAT64, 0, 1 << 30, 1 << 30).size()).isZero();
        assertThatThrownBy(() -> Tensor.zeros(DType.FLOAT64, 3, -1))
                .isInstanceOfSatisfying(LossException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.SHAPE_MISMATCH));
    }

    @Test
    void nullArraysAndNamesAreRefusedNamingTheArgument() {
        assertNull(() -> Tensor.of((double[]) null, 3), "Tensor.of: data is null");
        assertNull(() -> Tensor.of((float[]) null, 3), "Tensor.of: data is null");
        assertNull(() -> Tensor.ofLabels(null, 3), "Tensor.ofLabels: data is null");
        assertNull(() -> Tensor.vector((double[]) null), "Tensor.vector: data is null");
        assertNull(() -> Tensor.vector((float[]) null), "Tensor.vector: data is null");
        assertNull(() -> Tensor.labels((long[]) null), "Tensor.labels: data is null");
        assertNull(() -> Tensor.of(new double[1], (int[]) null), "Tensor: shape is null");
        assertNull(() -> Tensor.zeros(null, 2), "Tensor.zeros: dtype is null");
        assertNull(() -> Tensor.zeros(DType.FLOAT64, (int[]) null), "Tensor: shape is null");
        Tensor t = Tensor.vector(new double[2]);
        assertNull(() -> Inputs.of((String) null, t), "Inputs.with: the input name is null");
        assertNull(() -> Inputs.of("input", t).gradInto("input", null),
                "Inputs.gradInto: the gradient buffer for 'input' is null");
        assertNull(() -> Inputs.of("input", t).gradInto(null, t), "Inputs.gradInto: the input name is null");
        // a null tensor is an input left out, named by the loss that needs it
        assertThatThrownBy(() -> Losses.create("mse").compute(Inputs.of(t, null)))
                .isInstanceOfSatisfying(LossException.class, e -> assertThat(e.getMessage()).contains("'target'"));
    }

    private static void assertNull(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(LossException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.MISSING_INPUT);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void ctcWhoseWorkingMemoryCannotFitIsRefusedNamingTheLengths() {
        // T = 50000 frames, S = 25000 labels (all 1, so 2S − 1 = 49999 frames are needed: feasible):
        // the gradient's forward variables are T × (2S + 5) = 2.5e9 cells (once NegativeArraySizeException)
        int t = 50_000;
        int s = 25_000;
        double[] lp = new double[t * 2];
        java.util.Arrays.fill(lp, Math.log(0.5));
        long[] targets = new long[s];
        java.util.Arrays.fill(targets, 1);
        Inputs in = Inputs.of("log_probs", Tensor.of(lp, t, 1, 2)).with("targets", Tensor.ofLabels(targets, 1, s))
                .with("input_lengths", Tensor.labels(t)).with("target_lengths", Tensor.labels(s));
        assertThatThrownBy(() -> Losses.create("ctc").compute(in))
                .isInstanceOfSatisfying(LossException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.TOO_LARGE);
                    assertThat(e.getMessage()).isEqualTo("ctc with input length T = 50000 and target length S = 25000:"
                            + " the forward variables (50000 × 50005) needs 2500250000 elements, more than a Java"
                            + " array holds (2147483639)");
                });
    }

    @Test
    void numberOptionsAreFiniteAndIntegerOptionsExact() {
        // "1e999" parses as Infinity: refused like Infinity itself
        assertThatThrownBy(() -> Losses.create("huber", Map.of("delta", "1e999")))
                .isInstanceOfSatisfying(LossException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_OPTION);
                    assertThat(e.getMessage()).isEqualTo("option delta = '1e999' must be finite and > 0");
                });
        // an integer beyond 2^53 is not exact in a double (1e300 became Long.MAX_VALUE as an ignore_index)
        for (double v : new double[] {1e300, -9007199254740994.0}) {
            assertThatThrownBy(() -> Losses.create("cross_entropy", Map.of("ignore_index", v)))
                    .isInstanceOfSatisfying(LossException.class, e -> assertThat(e.getMessage())
                            .isEqualTo("option ignore_index = " + v + " must be an integer of magnitude at most 2^53"));
        }
        assertThat(Losses.create("cross_entropy", Map.of("ignore_index", -9007199254740992.0)).options()
                .asText().get("ignore_index")).isEqualTo("-9007199254740992");
    }
}
