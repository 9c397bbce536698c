package org.losses4j;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.losses4j.conformance.Conformance;

/**
 * Every case of the shared conformance files (copied unchanged into test resources from
 * ../shared/conformance/cases; expected values from PyTorch float64), answered through the
 * public registry and checked with the rule of compare.py: |a − e| ≤ atol + rtol·|e|.
 */
class ConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> regression() throws IOException {
        return cases("regression");
    }

    @TestFactory
    Stream<DynamicTest> classification() throws IOException {
        return cases("classification");
    }

    @TestFactory
    Stream<DynamicTest> probabilistic() throws IOException {
        return cases("probabilistic");
    }

    @TestFactory
    Stream<DynamicTest> ranking() throws IOException {
        return cases("ranking");
    }

    @TestFactory
    Stream<DynamicTest> segmentation() throws IOException {
        return cases("segmentation");
    }

    @TestFactory
    Stream<DynamicTest> generative() throws IOException {
        return cases("generative");
    }

    @TestFactory
    Stream<DynamicTest> preference() throws IOException {
        return cases("preference");
    }

    @TestFactory
    Stream<DynamicTest> regularization() throws IOException {
        return cases("regularization");
    }

    static List<Map<String, Object>> load(String family) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (InputStream s = ConformanceTest.class.getResourceAsStream("/conformance/" + family + ".jsonl");
                BufferedReader r = new BufferedReader(new InputStreamReader(s, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> c = JSON.readValue(line, Map.class);
                    out.add(c);
                }
            }
        }
        return out;
    }

    private static Stream<DynamicTest> cases(String family) throws IOException {
        return load(family).stream().map(c -> DynamicTest.dynamicTest(String.valueOf(c.get("id")), () -> check(c)));
    }

    @SuppressWarnings("unchecked")
    static void check(Map<String, Object> c) {
        Map<String, Object> ans = Conformance.answer(c);
        Map<String, Object> exp = (Map<String, Object>) c.get("expect");
        double rtol = ((Number) c.getOrDefault("rtol", 1e-9)).doubleValue();
        double atol = ((Number) c.getOrDefault("atol", 1e-12)).doubleValue();
        if (exp.containsKey("error")) {
            if (!ans.containsKey("error")) {
                fail("expected a refusal (" + exp.get("error") + ") but got value " + ans.get("value"));
            }
            Map<String, Object> err = (Map<String, Object>) ans.get("error");
            if (!exp.get("error").equals(err.get("kind"))) {
                fail("error kind " + err.get("kind") + " != " + exp.get("error"));
            }
            return;
        }
        if (ans.containsKey("error")) {
            fail("refused: " + ((Map<String, Object>) ans.get("error")).get("message"));
        }
        Object ev = exp.get("value");
        Object av = ans.get("value");
        if (ev instanceof Map) {
            compareTensor("value", (Map<String, Object>) av, (Map<String, Object>) ev, rtol, atol);
        } else {
            compareNumber("value", av, ev, rtol, atol);
        }
        Map<String, Object> eg = (Map<String, Object>) exp.getOrDefault("grad", Map.of());
        Map<String, Object> ag = (Map<String, Object>) ans.getOrDefault("grad", Map.of());
        for (Map.Entry<String, Object> e : eg.entrySet()) {
            Object got = ag.get(e.getKey());
            if (got == null) {
                fail("no gradient for " + e.getKey());
            }
            compareTensor("grad " + e.getKey(), (Map<String, Object>) got, (Map<String, Object>) e.getValue(), rtol,
                    atol);
        }
    }

    private static double num(Object o) {
        if (o instanceof Number) {
            return ((Number) o).doubleValue();
        }
        switch (String.valueOf(o)) {
            case "NaN":
                return Double.NaN;
            case "Infinity":
                return Double.POSITIVE_INFINITY;
            case "-Infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                throw new AssertionError("not a number: " + o);
        }
    }

    static boolean close(double a, double e, double rtol, double atol) {
        if (Double.isNaN(e)) {
            return Double.isNaN(a);
        }
        if (Double.isInfinite(e)) {
            return a == e;
        }
        if (Double.isNaN(a) || Double.isInfinite(a)) {
            return false;
        }
        return Math.abs(a - e) <= atol + rtol * Math.abs(e);
    }

    private static void compareNumber(String what, Object got, Object exp, double rtol, double atol) {
        if (got instanceof Map) {
            fail(what + ": expected a number, got a tensor");
        }
        double a = num(got);
        double e = num(exp);
        if (!close(a, e, rtol, atol)) {
            fail(what + ": got " + a + " expected " + e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void compareTensor(String what, Map<String, Object> got, Map<String, Object> exp, double rtol,
            double atol) {
        if (got == null) {
            fail(what + ": expected a tensor of shape " + exp.get("shape"));
        }
        if (!String.valueOf(got.get("shape")).equals(String.valueOf(exp.get("shape")))) {
            fail(what + ": shape " + got.get("shape") + " != expected " + exp.get("shape"));
        }
        List<Object> gd = (List<Object>) got.get("data");
        List<Object> ed = (List<Object>) exp.get("data");
        for (int i = 0; i < ed.size(); i++) {
            double a = num(gd.get(i));
            double e = num(ed.get(i));
            if (!close(a, e, rtol, atol)) {
                fail(what + ": element " + i + " got " + a + " expected " + e);
            }
        }
    }
}
