package org.losses4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.DoublePredicate;

/**
 * One option of a loss: its name, type, default, allowed range and a one-line description.
 * A loss declares its options once as constants; the registry parses string maps with them,
 * {@code describe} documents them, and the typed builders set them, so there is one place
 * that says what an option accepts.
 *
 * @param <T> the Java type of the value ({@link Double}, {@link Boolean}, {@link String},
 *            {@link Reduction} or {@code double[]})
 */
public final class OptionSpec<T> {
    private enum Type { REAL, INT, BOOL, CHOICE, REDUCTION, REAL_LIST }

    private final String name;
    private final Type type;
    private final T defaultValue;
    private final boolean nullable;
    /** True for a real option that also takes -Infinity and Infinity (a loss's limit cases). */
    private final boolean infinities;
    private final DoublePredicate range;
    private final String rangeText;
    private final List<String> choices;
    private final String description;
    /** For a list option with a range for its elements ({@link #realList(String, double[], Range, String)}); else null. */
    private final Range elements;

    private OptionSpec(String name, Type type, T defaultValue, boolean nullable, DoublePredicate range,
            String rangeText, List<String> choices, String description) {
        this(name, type, defaultValue, nullable, false, range, rangeText, choices, description, null);
    }

    private OptionSpec(String name, Type type, T defaultValue, boolean nullable, boolean infinities,
            DoublePredicate range, String rangeText, List<String> choices, String description, Range elements) {
        this.elements = elements;
        this.name = name;
        this.type = type;
        this.defaultValue = defaultValue;
        this.nullable = nullable;
        this.infinities = infinities;
        this.range = range;
        this.rangeText = rangeText;
        this.choices = choices;
        this.description = description;
    }

    /** A real number option with an allowed range, e.g. {@code real("delta", 1.0, Range.POSITIVE, "...")}. */
    public static OptionSpec<Double> real(String name, double def, Range range, String description) {
        return new OptionSpec<>(name, Type.REAL, def, false, range.test, range.text, List.of(), description);
    }

    /**
     * A real number option whose finite values lie in {@code range} and which also takes
     * {@code -Infinity} and {@code Infinity}, for a loss whose definition has limits there
     * (robust's α = ±∞); NaN is still refused.
     */
    public static OptionSpec<Double> realOrInfinite(String name, double def, Range range, String description) {
        return new OptionSpec<>(name, Type.REAL, def, false, true, range.test, range.text + ", -Infinity or Infinity",
                List.of(), description, null);
    }

    /** A real number option that may be {@code null} (meaning "off"). */
    public static OptionSpec<Double> nullableReal(String name, Double def, Range range, String description) {
        return new OptionSpec<>(name, Type.REAL, def, true, range.test, range.text, List.of(), description);
    }

    /** An integer option (a {@link Long}; magnitude at most 2^53, as a number given in JSON or text). */
    public static OptionSpec<Long> integer(String name, long def, Range range, String description) {
        return new OptionSpec<>(name, Type.INT, def, false, range.test, range.text, List.of(), description);
    }

    /** An integer option that may be {@code null} (meaning "none", e.g. no ignored label). */
    public static OptionSpec<Long> nullableInteger(String name, Long def, Range range, String description) {
        return new OptionSpec<>(name, Type.INT, def, true, range.test, range.text, List.of(), description);
    }

    public static OptionSpec<Boolean> bool(String name, boolean def, String description) {
        return new OptionSpec<>(name, Type.BOOL, def, false, v -> true, "true or false", List.of(), description);
    }

    /** A string option that must be one of {@code choices}; the first choice is not implied default. */
    public static OptionSpec<String> choice(String name, String def, String description, String... choices) {
        return new OptionSpec<>(name, Type.CHOICE, def, false, v -> true, "one of " + String.join(", ", choices),
                List.of(choices), description);
    }

    /** The {@code reduction} option with its default and the reductions the loss allows. */
    public static OptionSpec<Reduction> reduction(Reduction def, Reduction... allowed) {
        List<String> names = new ArrayList<>();
        for (Reduction r : allowed) {
            names.add(r.label());
        }
        return new OptionSpec<>("reduction", Type.REDUCTION, def, false, v -> true,
                "one of " + String.join(", ", names), Collections.unmodifiableList(names),
                "how the terms are combined");
    }

    /** The usual {@code reduction} option: mean (default), sum or none. */
    public static OptionSpec<Reduction> reduction() {
        return reduction(Reduction.MEAN, Reduction.MEAN, Reduction.SUM, Reduction.NONE);
    }

    /** A list-of-reals option (e.g. per-layer weights), or null. */
    public static OptionSpec<double[]> realList(String name, double[] def, String description) {
        return new OptionSpec<>(name, Type.REAL_LIST, def, true, v -> true, "a list of numbers", List.of(),
                description);
    }

    /**
     * A list-of-reals option that is never null or empty and whose every element lies in {@code elements}
     * (ms_ssim's Gaussian σ list): "a non-empty list of numbers, each in [1e-100, 1e4]".
     */
    public static OptionSpec<double[]> realList(String name, double[] def, Range elements, String description) {
        return new OptionSpec<>(name, Type.REAL_LIST, def, false, false, elements.test,
                "a non-empty list of numbers, each " + elements.text, List.of(), description, elements);
    }

    /** The range of each element of a list option that has one ({@code null} otherwise). */
    public Range elementRange() {
        return elements;
    }

    public String name() {
        return name;
    }

    public T defaultValue() {
        return defaultValue;
    }

    /**
     * The Java type of a value: {@link Double}, {@link Long}, {@link Boolean}, {@link String},
     * {@link Reduction} or {@code double[]}.
     */
    public Class<?> valueType() {
        switch (type) {
            case REAL: return Double.class;
            case INT: return Long.class;
            case BOOL: return Boolean.class;
            case CHOICE: return String.class;
            case REDUCTION: return Reduction.class;
            default: return double[].class;
        }
    }

    /** Whether {@code null} is a value (meaning "off"). */
    public boolean nullable() {
        return nullable;
    }

    /** The name of the option's typed setter on its loss's builder: {@code label_smoothing} → {@code labelSmoothing}. */
    public String setterName() {
        return javaName(name);
    }

    /** A snake_case name (of an option or an input) in Java's camelCase: {@code log_target} → {@code logTarget}. */
    public static String javaName(String snake) {
        StringBuilder b = new StringBuilder(snake.length());
        boolean up = false;
        for (int k = 0; k < snake.length(); k++) {
            char ch = snake.charAt(k);
            if (ch == '_') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(ch) : ch);
                up = false;
            }
        }
        return b.toString();
    }

    public String description() {
        return description;
    }

    /** The values a choice or reduction option takes, in order; empty for other options. */
    public List<String> choices() {
        return choices == null ? List.of() : choices;
    }

    /** The allowed values in words, e.g. {@code > 0} or {@code one of mean, sum, none}. */
    public String allowed() {
        return rangeText;
    }

    /** The default as text ({@code null} for none). */
    public String defaultText() {
        return format(defaultValue);
    }

    /** Formats a value of this option as text. */
    public String format(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Reduction) {
            return ((Reduction) v).label();
        }
        if (v instanceof double[]) {
            return Arrays.toString((double[]) v);
        }
        if (type == Type.INT) {
            return Long.toString(((Number) v).longValue());
        }
        return v.toString();
    }

    /**
     * Parses and validates a raw value: a {@link Number}, {@link Boolean}, {@link String}
     * (as a JSON scalar or command-line text), a {@link List} of numbers, or null.
     */
    @SuppressWarnings("unchecked")
    public T parse(Object raw) {
        if (raw == null || (raw instanceof String && "null".equals(raw) && type != Type.CHOICE)) {
            if (nullable) {
                return null;
            }
            throw bad(raw, "may not be null");
        }
        switch (type) {
            case REAL:
            case INT: {
                double v;
                if (raw instanceof Number) {
                    v = ((Number) raw).doubleValue();
                } else if (raw instanceof String) {
                    try {
                        v = Double.parseDouble(((String) raw).trim());
                    } catch (NumberFormatException e) {
                        throw bad(raw, "is not a number");
                    }
                } else {
                    throw bad(raw, "is not a number");
                }
                // every number option is finite (1e999 parses as Infinity): NaN and ±∞ are refused
                // whatever the range, which then bounds the finite values; a realOrInfinite option
                // also takes ±∞
                if (!Double.isFinite(v) && (Double.isNaN(v) || !infinities)) {
                    throw bad(raw, "must be " + (infinities ? "a number " : "finite and ") + rangeText);
                }
                if (Double.isFinite(v) && !range.test(v)) {
                    throw bad(raw, "must be " + rangeText);
                }
                if (type == Type.INT && (v != Math.rint(v) || Math.abs(v) > MAX_EXACT_INTEGER)) {
                    throw bad(raw, "must be an integer of magnitude at most 2^53");
                }
                return type == Type.INT ? (T) Long.valueOf((long) v) : (T) Double.valueOf(v);
            }
            case BOOL:
                if (raw instanceof Boolean) {
                    return (T) raw;
                }
                if (raw instanceof String) {
                    String s = ((String) raw).trim().toLowerCase(Locale.ROOT);
                    if (s.equals("true") || s.equals("false")) {
                        return (T) Boolean.valueOf(s);
                    }
                }
                throw bad(raw, "must be true or false");
            case CHOICE:
                if (raw instanceof String && choices.contains(raw)) {
                    return (T) raw;
                }
                throw bad(raw, "must be " + rangeText);
            case REDUCTION:
                if (raw instanceof Reduction && choices.contains(((Reduction) raw).label())) {
                    return (T) raw;
                }
                if (raw instanceof String && choices.contains(raw)) {
                    return (T) Reduction.parse((String) raw);
                }
                throw bad(raw, "must be " + rangeText);
            default: // REAL_LIST
                return (T) inRange(raw, finiteList(raw, parseList(raw)));
        }
    }

    /** Refuses an empty list, or an element outside the range, of a list option with an element range. */
    private double[] inRange(Object raw, double[] list) {
        if (elements == null) {
            return list;
        }
        if (list.length == 0) {
            throw bad(raw, "must have at least one element");
        }
        for (int i = 0; i < list.length; i++) {
            if (!elements.test.test(list[i])) {
                throw bad(raw, "element " + i + " = " + list[i] + " must be " + elements.text);
            }
        }
        return list;
    }

    /** The most an integer option may be in magnitude: every integer up to 2^53 is exact in a double. */
    private static final double MAX_EXACT_INTEGER = 9007199254740992.0;

    /** Refuses a list with a NaN or infinite element, naming it. */
    private double[] finiteList(Object raw, double[] list) {
        for (int i = 0; list != null && i < list.length; i++) {
            if (!Double.isFinite(list[i])) {
                throw bad(raw, "element " + i + " = " + list[i] + " must be finite");
            }
        }
        return list;
    }

    /** A list option's raw value as numbers (a double[], a List of Numbers, or text "[1, 2.5]"). */
    private double[] parseList(Object raw) {
        if (raw instanceof double[]) {
            return ((double[]) raw).clone();
        }
        if (raw instanceof List) {
            List<?> l = (List<?>) raw;
            double[] out = new double[l.size()];
            for (int i = 0; i < out.length; i++) {
                Object o = l.get(i);
                if (!(o instanceof Number)) {
                    throw bad(raw, "element " + i + " is not a number");
                }
                out[i] = ((Number) o).doubleValue();
            }
            return out;
        }
        if (raw instanceof String) {
            String s = ((String) raw).trim();
            if (s.startsWith("[") && s.endsWith("]")) {
                s = s.substring(1, s.length() - 1);
            }
            if (s.isBlank()) {
                return new double[0];
            }
            String[] parts = s.split(",");
            double[] out = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    out[i] = Double.parseDouble(parts[i].trim());
                } catch (NumberFormatException e) {
                    throw bad(raw, "element " + i + " is not a number");
                }
            }
            return out;
        }
        throw bad(raw, "must be a list of numbers");
    }

    private LossException bad(Object raw, String why) {
        String shown = raw instanceof String ? "'" + raw + "'" : String.valueOf(raw);
        return new LossException(ErrorKind.INVALID_OPTION, "option " + name + " = " + shown + " " + why);
    }

    /**
     * Allowed ranges of real options. Every number option is also finite (NaN and ±∞ are refused
     * whatever the range). The bounded ranges are for options whose large or tiny values make a
     * finite computation overflow: {@value #BOUND} bounds what scales a loss, a margin or a
     * distance (a squared margin of 1e15 is 1e30, and a gradient scaled by 1e15 stays far below
     * float32's 3.4e38); each such option's description says why it has its bound.
     */
    public enum Range {
        ANY(v -> true, "a number"),
        POSITIVE(v -> v > 0, "> 0"),
        NON_NEGATIVE(v -> v >= 0, ">= 0"),
        UNIT_CLOSED(v -> v >= 0 && v <= 1, "in [0, 1]"),
        UNIT_OPEN(v -> v > 0 && v < 1, "in (0, 1)"),
        /** Strictly between 1 and 2 (a Tweedie variance power: compound Poisson–gamma). */
        ONE_TWO_OPEN(v -> v > 1 && v < 2, "in (1, 2)"),
        UNIT_LEFT_OPEN(v -> v > 0 && v <= 1, "in (0, 1]"),
        UNIT_RIGHT_OPEN(v -> v >= 0 && v < 1, "in [0, 1)"),
        SYMMETRIC_UNIT(v -> v >= -1 && v <= 1, "in [-1, 1]"),
        BELOW_ONE(v -> v < 1, "< 1"),
        AT_LEAST_ONE(v -> v >= 1, ">= 1"),
        ONE_OR_TWO(v -> v == 1 || v == 2, "1 or 2"),
        ODD_POSITIVE(v -> v >= 1 && v % 2 == 1, "an odd integer >= 1"),
        BOUNDED(v -> Math.abs(v) <= Range.BOUND, "in [-1e15, 1e15]"),
        BOUNDED_NON_NEGATIVE(v -> v >= 0 && v <= Range.BOUND, "in [0, 1e15]"),
        BOUNDED_POSITIVE(v -> v > 0 && v <= Range.BOUND, "in (0, 1e15]"),
        /** Positive, bounded away from 0 and ∞ (a scale that divides a loss: ms_ssim's data_range). */
        BOUNDED_AT_LEAST_1E_MINUS_100(v -> v >= 1e-100 && v <= Range.BOUND, "in [1e-100, 1e15]"),
        /** A Gaussian window's σ whose window of ⌊4σ⌋ + 1 taps is built (ms_ssim's sigmas). */
        WINDOW_SIGMA(v -> v >= 1e-100 && v <= 1e4, "in [1e-100, 1e4]"),
        AT_LEAST_1E_MINUS_8(v -> v >= 1e-8, ">= 1e-8"),
        AT_LEAST_1E_MINUS_100(v -> v >= 1e-100, ">= 1e-100");

        /** The bound of the bounded ranges. */
        public static final double BOUND = 1e15;

        final DoublePredicate test;
        final String text;

        Range(DoublePredicate test, String text) {
            this.test = test;
            this.text = text;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
