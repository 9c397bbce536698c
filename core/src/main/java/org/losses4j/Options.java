package org.losses4j;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The validated option values of one loss object. Built from the loss's {@link OptionSpec}s
 * and a raw map (from a builder, a string map or a conformance case); unknown names and bad
 * values are refused here, at construction, so a loss object is always valid.
 */
public final class Options {
    private final List<OptionSpec<?>> specs;
    private final Map<String, Object> values;

    private Options(List<OptionSpec<?>> specs, Map<String, Object> values) {
        this.specs = specs;
        this.values = values;
    }

    /**
     * Parses {@code raw} against {@code specs}. Options absent from {@code raw} take their
     * defaults; names not among the specs are refused with {@link ErrorKind#UNKNOWN_OPTION}.
     */
    public static Options parse(String lossName, List<OptionSpec<?>> specs, Map<String, ?> raw) {
        Map<String, Object> vals = new LinkedHashMap<>();
        for (OptionSpec<?> s : specs) {
            vals.put(s.name(), s.defaultValue());
        }
        if (raw != null) {
            for (Map.Entry<String, ?> e : raw.entrySet()) {
                OptionSpec<?> spec = find(specs, e.getKey());
                if (spec == null) {
                    StringBuilder known = new StringBuilder();
                    for (OptionSpec<?> s : specs) {
                        known.append(known.length() == 0 ? "" : ", ").append(s.name());
                    }
                    throw new LossException(ErrorKind.UNKNOWN_OPTION, "loss " + lossName + " has no option '"
                            + e.getKey() + "'" + (specs.isEmpty() ? " (it takes none)" : " (options: " + known + ")"));
                }
                vals.put(spec.name(), spec.parse(e.getValue()));
            }
        }
        return new Options(List.copyOf(specs), Collections.unmodifiableMap(vals));
    }

    private static OptionSpec<?> find(List<OptionSpec<?>> specs, String name) {
        for (OptionSpec<?> s : specs) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** The value of {@code spec} (its default when it was not set). */
    @SuppressWarnings("unchecked")
    public <T> T get(OptionSpec<T> spec) {
        if (!values.containsKey(spec.name())) {
            throw new IllegalStateException("option " + spec.name() + " is not declared by this loss");
        }
        return (T) values.get(spec.name());
    }

    /** The reduction option's value; null for a loss that has none (always a scalar). */
    public Reduction reduction() {
        Object r = values().get("reduction");
        return r instanceof Reduction ? (Reduction) r : null;
    }

    /** The double value of a real option. */
    public double real(OptionSpec<Double> spec) {
        return get(spec);
    }

    /** Every option with its value, as text, in declaration order. */
    public Map<String, String> asText() {
        Map<String, String> m = new LinkedHashMap<>();
        for (OptionSpec<?> s : specs) {
            m.put(s.name(), s.format(values.get(s.name())));
        }
        return m;
    }

    /** The raw values (for copying into a new builder). */
    public Map<String, Object> values() {
        return values;
    }

    public List<OptionSpec<?>> specs() {
        return specs;
    }
}
