package org.losses4j.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.losses4j.DType;
import org.losses4j.ErrorKind;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossException;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/**
 * Answers conformance cases (../shared/conformance/FORMAT.md) through the public registry.
 * Works on already-parsed JSON (maps, lists, numbers, strings), so the core stays free of a
 * JSON library: the CLI and the tests parse with Jackson and hand the maps here.
 */
public final class Conformance {
    private Conformance() {
    }

    /** The answer object for one parsed case: {@code id} plus {@code value}/{@code grad}, or {@code error}. */
    public static Map<String, Object> answer(Map<String, Object> caseObj) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", caseObj.get("id"));
        try {
            String name = (String) caseObj.get("loss");
            @SuppressWarnings("unchecked")
            Map<String, Object> params = (Map<String, Object>) caseObj.getOrDefault("params", Map.of());
            Loss loss = Losses.create(name, params);
            @SuppressWarnings("unchecked")
            Map<String, Object> ins = (Map<String, Object>) caseObj.getOrDefault("inputs", Map.of());
            Inputs inputs = Inputs.empty();
            for (Map.Entry<String, Object> e : ins.entrySet()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> t = (Map<String, Object>) e.getValue();
                inputs = inputs.with(e.getKey(), tensor(e.getKey(), t));
            }
            LossResult r = loss.compute(inputs);
            // a 0-dim result of reduction none is written as a number, as the reference (PyTorch) writes it
            boolean tensor = r.isUnreduced() && r.terms().rank() > 0;
            out.put("value", tensor ? json(r.terms()) : number(r.value()));
            Map<String, Object> grads = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> g : r.grads().entrySet()) {
                grads.put(g.getKey(), json(g.getValue()));
            }
            out.put("grad", grads);
        } catch (LossException e) {
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("kind", e.kind().category());
            err.put("message", e.getMessage());
            out.put("error", err);
        }
        return out;
    }

    /** A tensor from its JSON form {@code {"dtype", "shape", "data"}}. */
    public static Tensor tensor(String name, Map<String, Object> t) {
        DType dt = DType.parse(String.valueOf(t.get("dtype")));
        List<?> shapeList = (List<?>) t.get("shape");
        List<?> data = (List<?>) t.get("data");
        if (shapeList == null || data == null) {
            throw new LossException(ErrorKind.SHAPE_MISMATCH, "input '" + name + "' needs shape and data");
        }
        int[] shape = new int[shapeList.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = ((Number) shapeList.get(i)).intValue();
        }
        int n = data.size();
        switch (dt) {
            case FLOAT64: {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) {
                    a[i] = parse(data.get(i));
                }
                return Tensor.of(a, shape);
            }
            case FLOAT32: {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (float) parse(data.get(i));
                }
                return Tensor.of(a, shape);
            }
            default: {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = ((Number) data.get(i)).longValue();
                }
                return Tensor.ofLabels(a, shape);
            }
        }
    }

    private static double parse(Object o) {
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
                throw new LossException(ErrorKind.OUT_OF_DOMAIN, "'" + o + "' is not a number");
        }
    }

    /** A tensor's JSON form, non-finite values as the strings FORMAT.md names. */
    public static Map<String, Object> json(Tensor t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dtype", t.dtype().label());
        List<Integer> shape = new ArrayList<>();
        for (int d : t.shape()) {
            shape.add(d);
        }
        m.put("shape", shape);
        List<Object> data = new ArrayList<>(t.size());
        for (int i = 0; i < t.size(); i++) {
            data.add(t.dtype() == DType.INT64 ? (Object) (long) t.getDouble(i) : number(t.getDouble(i)));
        }
        m.put("data", data);
        return m;
    }

    /** A double, or its FORMAT.md string when not finite. */
    public static Object number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Infinity" : "-Infinity";
        }
        return v;
    }
}
