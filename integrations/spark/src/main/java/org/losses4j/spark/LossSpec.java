package org.losses4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.losses4j.ErrorKind;
import org.losses4j.LossException;
import org.losses4j.LossInfo;
import org.losses4j.Losses;

/**
 * A loss name with its options, as an aggregator carries it to the executors. Options are
 * those of the catalog loss, plus, for an optional per-class input of the loss (such as
 * cross_entropy's {@code weight} or softmax_focal's {@code alpha}), a list of numbers.
 * In SQL the options are one string, {@code "delta=0.5"} or
 * {@code "ignore_index=0, weight=[1, 2.5, 1]"}.
 */
public final class LossSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final LinkedHashMap<String, Object> options;
    private final String key;

    private LossSpec(String name, Map<String, ?> options) {
        if (name == null) {
            throw new LossException(ErrorKind.INVALID_OPTION, "the loss name is null");
        }
        this.name = name;
        this.options = new LinkedHashMap<>(options);
        this.key = name + options;
        Losses.info(name); // unknown names fail here, on the driver
    }

    public static LossSpec of(String name) {
        return new LossSpec(name, Map.of());
    }

    public static LossSpec of(String name, Map<String, ?> options) {
        return new LossSpec(name, options == null ? Map.of() : options);
    }

    /** Parses {@code "k=v, k2=[1, 2, 3]"} (an empty or null text is no options). */
    public static LossSpec parse(String name, String optionsText) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (optionsText != null && !optionsText.isBlank()) {
            for (String part : splitTopLevel(optionsText)) {
                int eq = part.indexOf('=');
                if (eq <= 0) {
                    throw new LossException(ErrorKind.INVALID_OPTION, "option '" + part.trim()
                            + "' is not of the form name=value (in \"" + optionsText + "\")");
                }
                String k = part.substring(0, eq).trim();
                String v = part.substring(eq + 1).trim();
                if (v.startsWith("[") && v.endsWith("]")) {
                    List<Double> list = new ArrayList<>();
                    String inner = v.substring(1, v.length() - 1).trim();
                    if (!inner.isEmpty()) {
                        for (String x : inner.split(",")) {
                            try {
                                list.add(Double.parseDouble(x.trim()));
                            } catch (NumberFormatException e) {
                                throw new LossException(ErrorKind.INVALID_OPTION, "option " + k + ": '" + x.trim()
                                        + "' is not a number");
                            }
                        }
                    }
                    m.put(k, list);
                } else {
                    m.put(k, v.equalsIgnoreCase("null") ? null : v);
                }
            }
        }
        return new LossSpec(name, m);
    }

    private static List<String> splitTopLevel(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        out.removeIf(String::isBlank);
        return out;
    }

    public String name() {
        return name;
    }

    /** Every option as given (catalog options and per-class input lists). */
    public Map<String, Object> options() {
        return Collections.unmodifiableMap(options);
    }

    /** A text identifying name and options, for checking that every row names the same loss. */
    String key() {
        return key;
    }

    public LossInfo info() {
        return Losses.info(name);
    }

    /** The options that are catalog options of the loss (not per-class input lists). */
    Map<String, Object> catalogOptions() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : options.entrySet()) {
            if (!isInputName(e.getKey())) {
                m.put(e.getKey(), e.getValue());
            }
        }
        return m;
    }

    /** The per-class input lists (by input name), as arrays. */
    Map<String, double[]> inputLists() {
        Map<String, double[]> m = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : options.entrySet()) {
            if (isInputName(e.getKey())) {
                m.put(e.getKey(), toArray(e.getKey(), e.getValue()));
            }
        }
        return m;
    }

    private boolean isInputName(String k) {
        for (LossInfo.InputSpec s : info().inputs()) {
            if (s.name().equals(k) && !s.required() && !s.name().equals("input")) {
                return true;
            }
        }
        return false;
    }

    private static double[] toArray(String k, Object v) {
        if (v instanceof double[]) {
            return ((double[]) v).clone();
        }
        if (v instanceof List) {
            List<?> l = (List<?>) v;
            double[] a = new double[l.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = ((Number) l.get(i)).doubleValue();
            }
            return a;
        }
        throw new LossException(ErrorKind.INVALID_OPTION, k + " must be a list of numbers, got " + v);
    }

    @Override
    public String toString() {
        return key;
    }
}
