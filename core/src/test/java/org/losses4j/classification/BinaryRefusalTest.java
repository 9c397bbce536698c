package org.losses4j.classification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.losses4j.ErrorKind;
import org.losses4j.Inputs;
import org.losses4j.LossException;
import org.losses4j.Losses;
import org.losses4j.Tensor;
import org.losses4j.conformance.Conformance;

/** Refusals of the binary losses: the right kind, and a message naming argument, index and value. */
class BinaryRefusalTest {
    private static final List<String> MINE = Arrays.asList(BinaryData.LOSSES);

    private static LossException refused(ErrorKind kind, String fragment, Executable call) {
        LossException e = assertThrows(LossException.class, call);
        assertEquals(kind, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
        return e;
    }

    private static Inputs in(double[] x, double[] y) {
        return Inputs.of(Tensor.vector(x), Tensor.vector(y));
    }

    @Test
    void bceDomain() {
        var l = BinaryData.create("bce", Map.of());
        refused(ErrorKind.OUT_OF_DOMAIN, "input[1] = 1.2 is outside [0, 1]",
                () -> l.compute(in(new double[] {0.2, 1.2}, new double[] {0, 1})));
        refused(ErrorKind.OUT_OF_DOMAIN, "input[0] = -0.1 is outside [0, 1]",
                () -> l.compute(in(new double[] {-0.1, 0.5}, new double[] {0, 1})));
        refused(ErrorKind.OUT_OF_DOMAIN, "target[1] = 1.5 is outside [0, 1]",
                () -> l.compute(in(new double[] {0.2, 0.5}, new double[] {0, 1.5})));
        refused(ErrorKind.OUT_OF_DOMAIN, "target[0, 1] = -1.0",
                () -> l.compute(Inputs.of(Tensor.of(new double[] {0.2, 0.5}, 1, 2),
                        Tensor.of(new double[] {0, -1}, 1, 2))));
        refused(ErrorKind.SHAPE_MISMATCH, "weight shape [2, 2] != input shape [2, 3]",
                () -> l.compute(Inputs.of(BinaryData.constant(0.4, 2, 3), BinaryData.constant(1, 2, 3))
                        .with("weight", BinaryData.constant(1, 2, 2))));
        refused(ErrorKind.SHAPE_MISMATCH, "target shape [2] != input shape [3]",
                () -> l.compute(in(new double[] {0.2, 0.4, 0.5}, new double[] {0, 1})));
        refused(ErrorKind.INVALID_DTYPE, "target must be float32 or float64",
                () -> l.compute(Inputs.of(Tensor.vector(new double[] {0.2}), Tensor.labels(1))));
    }

    @Test
    void bceWithLogitsDomainAndPosWeight() {
        var l = BinaryData.create("bce_with_logits", Map.of());
        refused(ErrorKind.OUT_OF_DOMAIN, "target[2] = 2.0 is outside [0, 1]",
                () -> l.compute(in(new double[] {0, 0, 0}, new double[] {0, 1, 2})));
        refused(ErrorKind.SHAPE_MISMATCH, "pos_weight shape [4] must be [3]",
                () -> l.compute(Inputs.of(BinaryData.constant(0, 2, 3), BinaryData.constant(1, 2, 3))
                        .with("pos_weight", BinaryData.constant(1, 4))));
        refused(ErrorKind.SHAPE_MISMATCH, "pos_weight shape [2, 3] must be [3]",
                () -> l.compute(Inputs.of(BinaryData.constant(0, 2, 3), BinaryData.constant(1, 2, 3))
                        .with("pos_weight", BinaryData.constant(1, 2, 3))));
        refused(ErrorKind.SHAPE_MISMATCH, "pos_weight shape [] must be [1]",
                () -> l.compute(Inputs.of(Tensor.scalar(0), Tensor.scalar(1)).with("pos_weight", Tensor.scalar(2))));
        refused(ErrorKind.MISSING_INPUT, "has no input 'alpha'",
                () -> l.compute(in(new double[] {0}, new double[] {1}).with("alpha", Tensor.vector(new double[] {1}))));
    }

    @Test
    void labelDomains() {
        refused(ErrorKind.OUT_OF_DOMAIN, "target[1] = 2.0 is not one of {0, 1}",
                () -> BinaryData.create("focal", Map.of()).compute(in(new double[] {0, 0}, new double[] {1, 2})));
        refused(ErrorKind.OUT_OF_DOMAIN, "target[0] = 0.5 is not one of {0, 1}",
                () -> BinaryData.create("focal", Map.of()).compute(in(new double[] {0}, new double[] {0.5})));
        for (String name : new String[] {"hinge", "perceptron", "squared_hinge", "smooth_hinge", "ramp",
            "soft_margin", "hinge_embedding"}) {
            refused(ErrorKind.OUT_OF_DOMAIN, "target[1] = 0.0 is not one of {-1, 1}",
                    () -> BinaryData.create(name, Map.of()).compute(in(new double[] {0, 0}, new double[] {1, 0})));
            refused(ErrorKind.OUT_OF_DOMAIN, "target[2] = 0.5 is not one of {-1, 1}",
                    () -> BinaryData.create(name, Map.of()).compute(in(new double[] {0, 0, 0},
                            new double[] {1, -1, 0.5})));
        }
    }

    @Test
    void badOptions() {
        refused(ErrorKind.INVALID_OPTION, "option s = 1.0 must be < 1", () -> Losses.create("ramp", Map.of("s", 1.0)));
        refused(ErrorKind.INVALID_OPTION, "option gamma = -1.0 must be >= 0",
                () -> Losses.create("focal", Map.of("gamma", -1.0)));
        refused(ErrorKind.INVALID_OPTION, "option alpha = 1.5 must be in [0, 1]",
                () -> Losses.create("focal", Map.of("alpha", 1.5)));
        refused(ErrorKind.INVALID_OPTION, "option label_smoothing = 1.5 must be in [0, 1]",
                () -> Losses.create("bce_with_logits", Map.of("label_smoothing", 1.5)));
        refused(ErrorKind.INVALID_OPTION, "option label_smoothing = -0.1",
                () -> Losses.create("bce_with_logits", Map.of("label_smoothing", -0.1)));
        refused(ErrorKind.INVALID_OPTION, "option margin = NaN",
                () -> Losses.create("hinge", Map.of("margin", Double.NaN)));
        refused(ErrorKind.INVALID_OPTION, "option reduction = 'avg'",
                () -> Losses.create("soft_margin", Map.of("reduction", "avg")));
        refused(ErrorKind.UNKNOWN_OPTION, "loss smooth_hinge has no option 'margin'",
                () -> Losses.create("smooth_hinge", Map.of("margin", 1.0)));
        refused(ErrorKind.INVALID_OPTION, "option gamma = null may not be null",
                () -> Losses.create("focal", BinaryData.params("gamma", null)));
    }

    /** The typed builders reach the same options as the registry. */
    @Test
    void builders() {
        Ramp r = Ramp.builder().set(Ramp.S, -2.0).reduction(org.losses4j.Reduction.SUM).build();
        assertEquals(3.0, r.value(in(new double[] {-10}, new double[] {1})).value(), 0.0);
        Focal f = Focal.builder().set(Focal.ALPHA, null).set(Focal.GAMMA, 0.0).build();
        assertEquals(Math.log(2), f.value(in(new double[] {0}, new double[] {1})).value(), 1e-15);
        refused(ErrorKind.INVALID_OPTION, "option margin", () -> Hinge.builder().set(Hinge.MARGIN, Double.NaN).build());
        assertEquals(2.25, SquaredHinge.builder().set(SquaredHinge.MARGIN, 2.0).build()
                .value(in(new double[] {0.5}, new double[] {1})).value(), 0.0);
        assertEquals(0.5, SmoothHinge.builder().build().value(in(new double[] {0}, new double[] {1})).value(), 0.0);
        assertEquals(Math.log(2), SoftMargin.builder().build().value(in(new double[] {0}, new double[] {-1})).value(),
                1e-15);
        assertEquals(-Math.log(0.5), Bce.builder().build().value(in(new double[] {0.5}, new double[] {1})).value(),
                1e-15);
        assertEquals(Math.log(2) * 0.5, BceWithLogits.builder().set(BceWithLogits.LABEL_SMOOTHING, 1.0).build()
                .value(in(new double[] {0, 0}, new double[] {0, 1})).value() / 2, 1e-15);
    }

    /** Every error case of these losses in the conformance file is refused for the reason its note gives. */
    @TestFactory
    Stream<DynamicTest> conformanceErrorCasesRefusedForTheRightReason() throws IOException {
        List<Map<String, Object>> cases = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (InputStream s = getClass().getResourceAsStream("/conformance/classification.jsonl");
                BufferedReader r = new BufferedReader(new InputStreamReader(s, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> c = json.readValue(line, Map.class);
                @SuppressWarnings("unchecked")
                Map<String, Object> exp = (Map<String, Object>) c.get("expect");
                if (MINE.contains(c.get("loss")) && exp.containsKey("error")) {
                    cases.add(c);
                }
            }
        }
        assertTrue(cases.size() >= 30, "error cases found: " + cases.size());
        return cases.stream().map(c -> DynamicTest.dynamicTest((String) c.get("id"), () -> {
            String note = String.valueOf(c.get("note"));
            ErrorKind kind;
            String fragment;
            if (note.contains("shapes differ")) {
                kind = ErrorKind.SHAPE_MISMATCH;
                fragment = "target shape";
            } else if (note.contains("pos_weight")) {
                kind = ErrorKind.SHAPE_MISMATCH;
                fragment = "pos_weight shape";
            } else if (note.contains("weight shape")) {
                kind = ErrorKind.SHAPE_MISMATCH;
                fragment = "weight shape";
            } else if (note.contains("unknown reduction")) {
                kind = ErrorKind.INVALID_OPTION;
                fragment = "option reduction";
            } else if (note.contains("s must be")) {
                kind = ErrorKind.INVALID_OPTION;
                fragment = "option s";
            } else if (note.contains("input probability")) {
                kind = ErrorKind.OUT_OF_DOMAIN;
                fragment = "input[";
            } else if (note.contains("target")) {
                kind = ErrorKind.OUT_OF_DOMAIN;
                fragment = "target[";
            } else {
                throw new AssertionError("no expectation for note '" + note + "'");
            }
            refused(kind, fragment, () -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> params = (Map<String, Object>) c.get("params");
                var loss = Losses.create((String) c.get("loss"), params);
                @SuppressWarnings("unchecked")
                Map<String, Map<String, Object>> ins = (Map<String, Map<String, Object>>) c.get("inputs");
                Inputs inputs = Inputs.empty();
                for (Map.Entry<String, Map<String, Object>> e : ins.entrySet()) {
                    inputs = inputs.with(e.getKey(), Conformance.tensor(e.getKey(), e.getValue()));
                }
                loss.compute(inputs);
            });
        }));
    }
}
