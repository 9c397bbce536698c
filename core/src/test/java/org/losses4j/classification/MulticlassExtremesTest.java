package org.losses4j.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.losses4j.ErrorKind;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossException;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;
import org.losses4j.conformance.Conformance;

/**
 * The multi-class losses at the edges (clamped logs, logits of ±1e4, ties, NaN) against closed
 * forms, the registry entries, and every conformance refusal of these losses checked for the
 * right reason: error kind and message.
 */
class MulticlassExtremesTest {
    private static final double NAN = Double.NaN;

    private static Loss loss(String name, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return Losses.create(name, m);
    }

    private static void close(double[] got, double... want) {
        assertThat(got).hasSize(want.length);
        for (int i = 0; i < want.length; i++) {
            if (Double.isNaN(want[i])) {
                assertThat(got[i]).as("element %d", i).isNaN();
            } else {
                assertThat(got[i]).as("element %d", i).isCloseTo(want[i], within(1e-12 * (1 + Math.abs(want[i]))));
            }
        }
    }

    @Test
    void categoricalAtExactZeroAndOne() {
        // p = 0 with mass: log clamped at −100, gradient −y/1e-12; p = 0 without mass: 0 and −0
        double[] p = {0, 1, 0, 0.5, 0.5, 0};
        double[] y = {0.25, 0.75, 0, 0, 1, 0};
        LossResult r = loss("categorical_cross_entropy", "reduction", "none")
                .compute(Inputs.of(Tensor.of(p, 2, 3), Tensor.of(y, 2, 3)));
        close(r.terms().f64(), 0.25 * 100, Math.log(2));
        close(r.grad().f64(), -0.25e12, -0.75, 0, 0, -2, 0);
        // below the clamp: p = 1e-50 gives 100, not 115
        close(loss("categorical_cross_entropy", "reduction", "none")
                .value(Inputs.of(Tensor.of(new double[] {1e-50, 1}, 1, 2), Tensor.of(new double[] {1, 0}, 1, 2)))
                .terms().f64(), 100);
    }

    @Test
    void sparseCategoricalAtExactZeroAndOne() {
        LossResult r = loss("sparse_categorical_cross_entropy", "reduction", "none")
                .compute(Inputs.of(Tensor.of(new double[] {0, 1, 1, 0}, 2, 2), Tensor.labels(0, 0)));
        close(r.terms().f64(), 100, 0);
        close(r.grad().f64(), -1e12, 0, -1, 0);
    }

    @Test
    void probabilityLossesPropagateNaN() {
        double[] p = {NAN, 0.5, 0.2, 0.8};
        LossResult c = loss("categorical_cross_entropy", "reduction", "none")
                .compute(Inputs.of(Tensor.of(p, 2, 2), Tensor.of(new double[] {0.5, 0.5, 1, 0}, 2, 2)));
        close(c.terms().f64(), NAN, -Math.log(0.2));
        assertThat(c.grad().f64()[0]).isNaN();
        LossResult s = loss("sparse_categorical_cross_entropy", "reduction", "none")
                .compute(Inputs.of(Tensor.of(p, 2, 2), Tensor.labels(0, 1)));
        close(s.terms().f64(), NAN, -Math.log(0.8));
        assertThat(s.grad().f64()[0]).isNaN();
    }

    @Test
    void nllExtremes() {
        // −∞ log-probabilities away from the label do not matter; at the label the loss is +∞; NaN propagates
        double[] x = {Double.NEGATIVE_INFINITY, 0, -3, NAN, -1e4, Double.NEGATIVE_INFINITY};
        LossResult r = loss("nll", "reduction", "none").compute(Inputs.of(Tensor.of(x, 3, 2), Tensor.labels(1, 0, 0)));
        close(r.terms().f64(), 0, 3, 1e4);
        close(r.grad().f64(), 0, -1, -1, 0, -1, 0);
        assertThat(loss("nll").value(Inputs.of(Tensor.of(x, 3, 2), Tensor.labels(0, 0, 0))).value())
                .isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(loss("nll").value(Inputs.of(Tensor.of(x, 3, 2), Tensor.labels(1, 1, 0))).value()).isNaN();
        // every target ignored: mean is NaN, gradient zero
        LossResult all = loss("nll").compute(Inputs.of(Tensor.of(new double[] {-1, -2}, 1, 2), Tensor.labels(-100)));
        assertThat(all.value()).isNaN();
        MulticlassReference.assertAllZero(all.grad().f64());
        // a single row [C] with a scalar target
        assertThat(loss("nll", "reduction", "none").value(Inputs.of(Tensor.vector(new double[] {-0.5, -2}),
                Tensor.ofLabels(new long[] {1}))).value()).isEqualTo(2.0);
    }

    @Test
    void softmaxFocalExtremes() {
        double[] x = {1e4, -1e4, 0, -1e4, 1e4, 0};
        LossResult r = loss("softmax_focal", "reduction", "none")
                .compute(Inputs.of(Tensor.of(x, 2, 3), Tensor.labels(0, 0)));
        // row 0: p_y = 1 → 0; row 1: p_y = e^−2e4 → (1 − 0)²·2e4
        close(r.terms().f64(), 0, 2e4);
        // row 1 gradient: α·q^γ(γ·p·ℓ/q − 1)·(onehot − p) with p_y → 0: −(onehot − p) = (−1, 1, 0)
        close(r.grad().f64(), 0, 0, 0, -1, 1, 0);
        for (double g : r.grad().f64()) {
            assertThat(g).isFinite();
        }
    }

    /**
     * A confident row: (1 − p_y)^γ must keep its relative precision (1 − p_y ≈ 1e-13 is far below
     * ulp(1)). Closed forms with r = e^−30 + e^−60 (logits shifted by −30): p_y = 1/(1 + r),
     * q = 1 − p_y = r/(1 + r), L = −log p_y = log1p(r); for j ≠ y, d/dx_j = p_j·q·(q + 2·p_y·L)
     * (γ = 2, from dq/dx_j = p_y·p_j and dL/dx_j = −p_j), and d/dx_y = −Σ_{j≠y} d/dx_j.
     */
    @Test
    void softmaxFocalConfidentRow() {
        double[] x = {0, 30, -30};
        double rr = Math.exp(-30) + Math.exp(-60);
        double q = rr / (1 + rr);
        double py = 1 / (1 + rr);
        double big = Math.log1p(rr);
        double expected = q * q * big;
        double p0 = Math.exp(-30) / (1 + rr);
        double p2 = Math.exp(-60) / (1 + rr);
        double d0 = p0 * q * (q + 2 * py * big);
        double d2 = p2 * q * (q + 2 * py * big);
        double[] want = {d0, -(d0 + d2), d2};
        LossResult r = loss("softmax_focal", "reduction", "sum").compute(Inputs.of(Tensor.of(x, 1, 3), Tensor.labels(1)));
        assertThat(r.value()).isCloseTo(expected, within(1e-12 * expected));
        double[] g = r.grad().f64();
        for (int j = 0; j < 3; j++) {
            assertThat(g[j]).as("d/dx%d", j).isCloseTo(want[j], within(1e-12 * Math.abs(want[j])));
        }
        // NaN propagates through pow(q, γ), even for γ = 0
        LossResult n = loss("softmax_focal", "gamma", 0.0).compute(Inputs.of(Tensor.of(new double[] {NAN, 1}, 1, 2),
                Tensor.labels(1)));
        assertThat(n.value()).isNaN();
        for (double v : n.grad().f64()) {
            assertThat(v).isNaN();
        }
    }

    @Test
    void hingeLossesAtExtremesAndTies() {
        double[] x = {1e4, -1e4, 0, -1e4, 1e4, 0};
        LossResult h = loss("multiclass_hinge", "reduction", "none").compute(Inputs.of(Tensor.of(x, 2, 3),
                Tensor.labels(0, 0)));
        close(h.terms().f64(), 0, 20001);
        close(h.grad().f64(), 0, 0, 0, -1, 1, 0);
        // tie among wrong classes: the first one takes the +1
        LossResult tie = loss("multiclass_hinge", "reduction", "sum").compute(Inputs.of(
                Tensor.of(new double[] {0, 2, 2}, 1, 3), Tensor.labels(0)));
        assertThat(tie.value()).isEqualTo(3.0);
        close(tie.grad().f64(), -1, 1, 0);
        // exactly at the kink: zero subgradient
        LossResult kink = loss("multiclass_hinge").compute(Inputs.of(Tensor.of(new double[] {1, 0}, 1, 2), Tensor.labels(0)));
        assertThat(kink.value()).isZero();
        MulticlassReference.assertAllZero(kink.grad().f64());

        LossResult m = loss("multi_margin", "reduction", "none", "p", 2).compute(Inputs.of(Tensor.of(x, 2, 3),
                Tensor.labels(0, 0)));
        // row 1: ((1 + 2e4)² + (1 + 1e4)²)/3
        close(m.terms().f64(), 0, (Math.pow(20001, 2) + Math.pow(10001, 2)) / 3);
        close(m.grad().f64(), 0, 0, 0, -2.0 * (20001 + 10001) / 3, 2.0 * 20001 / 3, 2.0 * 10001 / 3);
        // margins exactly met: zero, zero gradient (p = 1)
        LossResult met = loss("multi_margin").compute(Inputs.of(Tensor.of(new double[] {2, 1, 0}, 1, 3), Tensor.labels(0)));
        assertThat(met.value()).isZero();
        MulticlassReference.assertAllZero(met.grad().f64());
        // C = 1: no other class, no loss
        assertThat(loss("multi_margin").value(Inputs.of(Tensor.of(new double[] {5}, 1, 1), Tensor.labels(0))).value())
                .isZero();
    }

    @Test
    void hingeLossesPropagateNaN() {
        double[] x = {0, NAN, 1, 0.5, 0, 2};
        for (String name : new String[] {"multiclass_hinge", "multi_margin"}) {
            LossResult r = loss(name, "reduction", "none").compute(Inputs.of(Tensor.of(x, 2, 3), Tensor.labels(0, 2)));
            assertThat(r.terms().f64()[0]).as(name).isNaN();
            assertThat(r.terms().f64()[1]).as(name).isZero(); // x_y = 2 beats 0.5 and 0 by ≥ 1.5
            for (int j = 0; j < 3; j++) {
                assertThat(r.grad().f64()[j]).as(name).isNaN();
                assertThat(r.grad().f64()[3 + j]).as(name).isZero();
            }
        }
    }

    @Test
    void zeroOneForms() {
        // binary: a score of 0 is an error; NaN propagates
        LossResult b = loss("zero_one", "reduction", "none").compute(Inputs.of(
                Tensor.vector(new double[] {2, -1, 0, 0, 3, NAN}), Tensor.vector(new double[] {1, 1, 1, -1, -1, 1})));
        close(b.terms().f64(), 0, 1, 1, 1, 1, NAN);
        MulticlassReference.assertAllZero(b.grad().f64());
        // binary on a scalar and on [N, C] float targets
        assertThat(loss("zero_one").value(Inputs.of(Tensor.scalar(-2), Tensor.scalar(-1))).value()).isZero();
        // multiclass: the first maximum wins ties; NaN in a row makes that row NaN
        LossResult m = loss("zero_one", "reduction", "none").compute(Inputs.of(
                Tensor.of(new double[] {1, 3, 3, 5, 5, 0, 0, NAN, 1}, 3, 3), Tensor.labels(2, 0, 2)));
        close(m.terms().f64(), 1, 0, NAN);
        assertThat(loss("zero_one").value(Inputs.of(Tensor.of(new double[] {1, 3, 3, 5, 5, 0}, 2, 3),
                Tensor.labels(1, 0))).value()).isZero();
        // float32, both forms
        LossResult f = loss("zero_one").compute(Inputs.of(Tensor.of(new float[] {1, -1}, 2), Tensor.of(new float[] {1, 1}, 2)));
        assertThat(f.value()).isEqualTo(0.5);
        assertThat(f.grad().f32()).containsExactly(0f, 0f);
    }

    @Test
    void registryEntries() {
        List<String> names = new ArrayList<>();
        for (LossInfo i : Losses.catalog()) {
            names.add(i.name());
        }
        List<String> mine = List.of("cross_entropy", "nll", "categorical_cross_entropy",
                "sparse_categorical_cross_entropy", "softmax_focal", "multiclass_hinge", "multi_margin", "zero_one");
        // registered, in catalog order
        List<String> order = new ArrayList<>(names);
        order.retainAll(mine);
        assertThat(order).containsExactlyElementsOf(mine);
        for (String n : mine) {
            LossInfo i = Losses.info(n);
            assertThat(i.differentiable()).as(n).isEqualTo(!n.equals("zero_one"));
            assertThat(i.summary()).as(n).isNotBlank();
            assertThat(i.formula()).as(n).isNotBlank();
            assertThat(i.reference()).as(n).isNotBlank();
            assertThat(i.divisor()).as(n).isNotBlank();
            assertThat(i.family()).isEqualTo(org.losses4j.Family.CLASSIFICATION);
        }
        assertThat(Losses.info("cross_entropy").divisor()).contains("Σ w_y");
        assertThat(Losses.info("nll").divisor()).contains("Σ w_y");
    }

    @Test
    void otherRefusals() {
        CrossEntropyExtremesTest.refused(() -> loss("multiclass_hinge").compute(Inputs.of(Tensor.of(new double[] {1, 2}, 2, 1),
                Tensor.labels(0, 0))), ErrorKind.SHAPE_MISMATCH, "has 1 class but multiclass_hinge");
        CrossEntropyExtremesTest.refused(() -> loss("nll").compute(Inputs.of(Tensor.of(new double[4], 2, 2),
                Tensor.vector(new double[] {0, 1}))), ErrorKind.INVALID_DTYPE, "target must be int64");
        CrossEntropyExtremesTest.refused(() -> loss("softmax_focal", "gamma", -1), ErrorKind.INVALID_OPTION,
                "gamma = -1 must be >= 0");
        CrossEntropyExtremesTest.refused(() -> loss("categorical_cross_entropy").compute(Inputs.of(
                Tensor.of(new double[6], 1, 2, 3), Tensor.of(new double[6], 1, 2, 3))), ErrorKind.SHAPE_MISMATCH,
                "input must be [N, C], got shape [1, 2, 3]");
        CrossEntropyExtremesTest.refused(() -> loss("zero_one").compute(Inputs.of(Tensor.vector(new double[] {1, 2}),
                Tensor.labels(0, 1))), ErrorKind.SHAPE_MISMATCH, "input must be [N, C]");
        CrossEntropyExtremesTest.refused(() -> loss("multi_margin").compute(Inputs.of(Tensor.of(new double[0], 0, 3),
                Tensor.labels())), ErrorKind.EMPTY_INPUT, "is empty");
        CrossEntropyExtremesTest.refused(() -> loss("zero_one", "reduction", "batchmean"), ErrorKind.INVALID_OPTION,
                "must be one of mean, sum, none");
    }

    /** Expected kind and message fragment of every conformance refusal of these losses. */
    private static final Map<String, Object[]> REFUSALS = new LinkedHashMap<>();

    static {
        String classes = " is outside [0, 4) classes";
        Object[][] rows = {
            {"cross_entropy-055", ErrorKind.LABEL_OUT_OF_RANGE, "target[1] = 4" + classes},
            {"cross_entropy-056", ErrorKind.LABEL_OUT_OF_RANGE, "target[1] = -2" + classes},
            {"cross_entropy-057", ErrorKind.LABEL_OUT_OF_RANGE, "target[1] = -100" + classes},
            {"cross_entropy-058", ErrorKind.SHAPE_MISMATCH, "target shape [4] != [3]"},
            {"cross_entropy-059", ErrorKind.SHAPE_MISMATCH, "target shape [2, 4] != [2, 3]"},
            {"cross_entropy-060", ErrorKind.SHAPE_MISMATCH, "weight shape [5] must be [4]"},
            {"cross_entropy-061", ErrorKind.SHAPE_MISMATCH, "must have input's shape [3, 4], got [3, 5]"},
            {"cross_entropy-062", ErrorKind.SHAPE_MISMATCH, "must have input's shape [3, 4], got [3]"},
            {"cross_entropy-063", ErrorKind.OUT_OF_DOMAIN, "target[0, 2] = -0.2 is outside [0, 1]"},
            {"cross_entropy-064", ErrorKind.INVALID_OPTION, "label_smoothing = 1.5 must be in [0, 1]"},
            {"cross_entropy-065", ErrorKind.INVALID_OPTION, "label_smoothing = -0.1 must be in [0, 1]"},
            {"cross_entropy-066", ErrorKind.INVALID_OPTION, "reduction = 'avg'"},
            {"nll-023", ErrorKind.LABEL_OUT_OF_RANGE, "target[1] = 4" + classes},
            {"nll-024", ErrorKind.LABEL_OUT_OF_RANGE, "target[1] = -3" + classes},
            {"nll-025", ErrorKind.SHAPE_MISMATCH, "target shape [2] != [3]"},
            {"nll-026", ErrorKind.SHAPE_MISMATCH, "weight shape [3] must be [4]"},
            {"nll-027", ErrorKind.INVALID_OPTION, "reduction = 'avg'"},
            {"categorical_cross_entropy-019", ErrorKind.OUT_OF_DOMAIN, "input[0, 0] = 1.2 is outside [0, 1]"},
            {"categorical_cross_entropy-020", ErrorKind.OUT_OF_DOMAIN, "input[0, 1] = -0.1 is outside [0, 1]"},
            {"categorical_cross_entropy-021", ErrorKind.OUT_OF_DOMAIN, "target[0, 0] = 1.5 is outside [0, 1]"},
            {"categorical_cross_entropy-022", ErrorKind.SHAPE_MISMATCH, "target shape [2, 4] != input shape [2, 3]"},
            {"categorical_cross_entropy-023", ErrorKind.INVALID_OPTION, "reduction = 'avg'"},
            {"sparse_categorical_cross_entropy-016", ErrorKind.LABEL_OUT_OF_RANGE, "target[1] = 4" + classes},
            {"sparse_categorical_cross_entropy-017", ErrorKind.LABEL_OUT_OF_RANGE, "target[1] = -1" + classes},
            {"sparse_categorical_cross_entropy-018", ErrorKind.LABEL_OUT_OF_RANGE, "target[1] = -100" + classes},
            {"sparse_categorical_cross_entropy-019", ErrorKind.SHAPE_MISMATCH, "target shape [2] != [3]"},
            {"sparse_categorical_cross_entropy-020", ErrorKind.OUT_OF_DOMAIN, "input[0, 1] = 1.5 is outside [0, 1]"},
            {"sparse_categorical_cross_entropy-021", ErrorKind.INVALID_OPTION, "reduction = 'avg'"},
            {"softmax_focal-022", ErrorKind.LABEL_OUT_OF_RANGE, "target[1] = 4" + classes},
            {"softmax_focal-023", ErrorKind.LABEL_OUT_OF_RANGE, "target[1] = -1" + classes},
            {"softmax_focal-024", ErrorKind.SHAPE_MISMATCH, "target shape [2] != [3]"},
            {"softmax_focal-025", ErrorKind.SHAPE_MISMATCH, "alpha shape [3] must be [4]"},
            {"softmax_focal-026", ErrorKind.INVALID_OPTION, "reduction = 'avg'"},
            {"multiclass_hinge-021", ErrorKind.LABEL_OUT_OF_RANGE, "target[1] = 4" + classes},
            {"multiclass_hinge-022", ErrorKind.LABEL_OUT_OF_RANGE, "target[1] = -1" + classes},
            {"multiclass_hinge-023", ErrorKind.SHAPE_MISMATCH, "target shape [2] != [3]"},
            {"multiclass_hinge-024", ErrorKind.INVALID_OPTION, "reduction = 'avg'"},
            {"multi_margin-023", ErrorKind.INVALID_OPTION, "p = 3 must be 1 or 2"},
            {"multi_margin-024", ErrorKind.INVALID_OPTION, "p = 0 must be 1 or 2"},
            {"multi_margin-025", ErrorKind.LABEL_OUT_OF_RANGE, "target[1] = 4" + classes},
            {"multi_margin-026", ErrorKind.LABEL_OUT_OF_RANGE, "target[1] = -1" + classes},
            {"multi_margin-027", ErrorKind.SHAPE_MISMATCH, "target shape [2] != [3]"},
            {"multi_margin-028", ErrorKind.SHAPE_MISMATCH, "weight shape [3] must be [4]"},
            {"multi_margin-029", ErrorKind.INVALID_OPTION, "reduction = 'avg'"},
            {"zero_one-018", ErrorKind.OUT_OF_DOMAIN, "target[1] = 0.0 is not one of {-1, 1}"},
            {"zero_one-019", ErrorKind.SHAPE_MISMATCH, "target shape [2] != input shape [3]"},
            {"zero_one-020", ErrorKind.LABEL_OUT_OF_RANGE, "target[1] = 4" + classes},
            {"zero_one-021", ErrorKind.SHAPE_MISMATCH, "target shape [2] != [3]"},
            {"zero_one-022", ErrorKind.INVALID_OPTION, "reduction = 'avg'"},
        };
        for (Object[] r : rows) {
            REFUSALS.put((String) r[0], new Object[] {r[1], r[2]});
        }
    }

    @TestFactory
    @SuppressWarnings("unchecked")
    Stream<DynamicTest> conformanceRefusalsForTheRightReason() throws IOException {
        List<Map<String, Object>> cases = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (InputStream s = getClass().getResourceAsStream("/conformance/classification.jsonl");
                BufferedReader r = new BufferedReader(new InputStreamReader(s, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    Map<String, Object> c = json.readValue(line, Map.class);
                    String id = (String) c.get("id");
                    if (((Map<String, Object>) c.get("expect")).containsKey("error") && REFUSALS.containsKey(id)) {
                        cases.add(c);
                    }
                }
            }
        }
        assertThat(cases).hasSize(REFUSALS.size()); // every listed case is in the file
        return cases.stream().map(c -> DynamicTest.dynamicTest((String) c.get("id"), () -> {
            Object[] want = REFUSALS.get(c.get("id"));
            try {
                Loss l = Losses.create((String) c.get("loss"), (Map<String, Object>) c.get("params"));
                Inputs in = Inputs.empty();
                for (Map.Entry<String, Object> e : ((Map<String, Object>) c.get("inputs")).entrySet()) {
                    in = in.with(e.getKey(), Conformance.tensor(e.getKey(), (Map<String, Object>) e.getValue()));
                }
                l.compute(in);
                fail("not refused");
            } catch (LossException e) {
                assertThat(e.kind()).isEqualTo(want[0]);
                assertThat(e.getMessage()).contains((String) want[1]);
            }
        }));
    }
}
