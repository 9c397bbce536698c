package org.losses4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import org.losses4j.DType;
import org.losses4j.ErrorKind;
import org.losses4j.GradCheck;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossException;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.OptionSpec;
import org.losses4j.Tensor;

/**
 * jqwik properties over every catalog loss at once, with random option combinations (drawn
 * from each option's declared range), batch sizes and data; failures shrink to the smallest
 * batch and the simplest options. Seeds are fixed so CI runs are reproducible.
 */
class CatalogPropertiesTest {
    /** A call: loss, options, batch size, data seed. */
    record Call(String loss, Map<String, Object> options, int n, long seed) {
        Inputs inputs() {
            return Fixtures.valid(loss, options, new Random(seed), n);
        }

        Loss create() {
            return Losses.create(loss, options);
        }

        @Override
        public String toString() {
            return loss + options + " n=" + n + " seed=" + seed;
        }
    }

    /** Options held at their default in random draws (the fixtures depend on them, or they are lists). */
    static final Set<String> FIXED = Set.of("ctc.blank", "perceptual.layer_weights", "cross_entropy.ignore_index",
            "nll.ignore_index", "perplexity.ignore_index", "lovasz_softmax.ignore_index");

    /** Values drawn for one option: its default and others inside its declared range. */
    static List<Object> pool(String loss, OptionSpec<?> s) {
        Object def = s.defaultValue();
        List<Object> out = new ArrayList<>();
        if (FIXED.contains(loss + "." + s.name())) {
            out.add(def);
            return out;
        }
        String a = s.allowed();
        if (a.startsWith("one of ")) {
            for (String c : a.substring(7).split(", ")) {
                out.add(c);
            }
            // the default first, so that shrinking goes towards it
            out.remove(s.defaultText());
            out.add(0, s.defaultText());
            return out;
        }
        if (a.equals("true or false")) {
            out.add(def);
            out.add(!(Boolean) def);
            return out;
        }
        if (s.valueType() == double[].class) {
            out.add(def); // a list (ms_ssim's sigmas): its default, which the fixtures' shapes fit
            return out;
        }
        if (s.name().equals("similar_label")) {
            return List.of(1.0, 0.0);
        }
        if (s.name().equals("window")) {
            return List.of(5.0, 3.0);
        }
        double d = def == null ? 1.0 : ((Number) def).doubleValue();
        if (def == null) {
            out.add(NULL);
        }
        switch (a) {
            case "> 0":
            case "in (0, 1e15]": // the bounded ranges: the same values, far inside their bounds
            case ">= 1e-8":
            case ">= 1e-100":
            case "in [1e-100, 1e15]":
                out.addAll(List.of(d, d * 0.5, d * 2));
                break;
            case ">= 0":
            case "in [0, 1e15]":
                out.addAll(List.of(d, 0.0, d == 0 ? 1.0 : d * 2));
                break;
            case "in [0, 1]":
                out.addAll(List.of(d, 0.0, 0.3, 1.0));
                break;
            case "in (0, 1)":
                out.addAll(List.of(d, 0.2, 0.8));
                break;
            case "in (1, 2)":
                out.addAll(List.of(d, 1.1, 1.9));
                break;
            case "in (0, 1]":
                out.addAll(List.of(d, 0.3, 1.0));
                break;
            case "in [0, 1)":
                out.addAll(List.of(d, 0.0, 0.3));
                break;
            case "in [-1, 1]":
                out.addAll(List.of(d, -0.5, 0.5));
                break;
            case "< 1":
                out.addAll(List.of(d, 0.0, 0.5));
                break;
            case ">= 1":
                out.addAll(List.of(d, d + 1));
                break;
            case "1 or 2":
                out.addAll(List.of(1.0, 2.0));
                break;
            case "a number":
            case "in [-1e15, 1e15]":
                out.addAll(List.of(d, d + 0.5, d - 0.5));
                break;
            case "in [-1e15, 1e15], -Infinity or Infinity": // robust's α, with its exact limits
                out.addAll(List.of(d, 2.0, 0.0, -2.0, Double.NEGATIVE_INFINITY));
                break;
            default:
                throw new AssertionError(loss + "." + s.name() + ": no values for range '" + a + "'");
        }
        if (loss.equals("focal") && s.name().equals("alpha")) {
            out.add(NULL); // nullable: no α weighting
        }
        return out;
    }

    private static final String NULL = "<null>";

    /**
     * One random draw used for every loss of a property: an index into each option's pool (0,
     * the default, is where shrinking goes), a batch size and a data seed.
     */
    record Draw(List<Integer> choices, int n, long seed) {
        Call call(String loss) {
            LossInfo info = Losses.info(loss);
            Map<String, Object> m = new LinkedHashMap<>(Fixtures.baseOptions(loss));
            int k = 0;
            for (OptionSpec<?> s : info.options()) {
                List<Object> pool = pool(loss, s);
                Object v = pool.get(choices.get(k++ % choices.size()) % pool.size());
                m.put(s.name(), NULL.equals(v) ? null : v);
            }
            // an option whose range depends on the others (LossInfo.dependentOptions) goes back to its
            // default, valid with every combination, where the draw put it outside
            for (String dep : info.dependentOptions()) {
                try {
                    Losses.create(loss, m);
                    break;
                } catch (LossException e) {
                    if (e.kind() != ErrorKind.INVALID_OPTION || !e.getMessage().startsWith("option " + dep + " = ")) {
                        throw e;
                    }
                    m.put(dep, info.options().stream().filter(o -> o.name().equals(dep)).findFirst().orElseThrow()
                            .defaultValue());
                }
            }
            return new Call(loss, m, n, seed);
        }
    }

    @Provide
    Arbitrary<Draw> draws() {
        return Combinators.combine(Arbitraries.integers().between(0, 60).list().ofSize(8),
                Arbitraries.integers().between(1, 3), Arbitraries.longs().between(0, 1_000_000)).as(Draw::new);
    }

    static List<String> catalogNames() {
        List<String> out = new ArrayList<>();
        for (LossInfo i : Losses.catalog()) {
            out.add(i.name());
        }
        return out;
    }

    /** Runs {@code check} on every named loss with this draw; a failure names the call. */
    static void forEach(List<String> losses, Draw d, java.util.function.Consumer<Call> check) {
        for (String l : losses) {
            Call c = d.call(l);
            try {
                check.accept(c);
            } catch (AssertionError e) {
                throw new AssertionError(c + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new AssertionError(c + ": " + e, e);
            }
        }
    }

    // ---------------------------------------------------------------- gradient = finite difference

    /**
     * Every differentiable loss whose gradient is that of its value ({@link LossInfo#exactGradient()}; ciou aside: its α is held constant in the gradient by definition, as
     * torchvision; and asymmetric with detach_focal_weight, whose focusing weight is held constant, as
     * its reference; AsymmetricTest checks that gradient against the derivative with the weight frozen; and
     * every loss whose LossInfo says its gradient holds a factor constant, such as circle's weights).
     */
    @Property(tries = 15, seed = "20240607")
    void gradientIsTheFiniteDifference(@ForAll("draws") Draw d) {
        List<String> names = new ArrayList<>();
        for (LossInfo i : Losses.catalog()) {
            if (i.differentiable() && i.exactGradient()) { // lambda_rank's λ holds its pair weights constant
                names.add(i.name());
            }
        }
        forEach(names, d, c -> {
            if ("ciou".equals(c.options().get("variant"))
                    || Boolean.TRUE.equals(c.options().get("detach_focal_weight"))
                    || Losses.info(c.loss()).heldConstant() != null) {
                return; // a factor held constant by definition (LossInfo.heldConstant): not the derivative
            }
            Inputs in = c.inputs();
            Loss loss = c.create();
            LossResult r = loss.compute(in);
            if (!Double.isFinite(r.value())) {
                fail("fixture value " + r.value());
            }
            GradCheck.gradients(loss, in, 1e-6, 2e-5);
        });
    }

    // ---------------------------------------------------------------- reduction identities

    /** none's terms sum to sum; mean = sum / divisor (the catalog's); gradients scale the same way. */
    @Property(tries = 20, seed = "8675309")
    void reductionsAgree(@ForAll("draws") Draw d) {
        List<String> names = new ArrayList<>();
        for (LossInfo i : Losses.catalog()) {
            if (reductions(i).containsAll(List.of("sum", "none"))) {
                names.add(i.name());
            }
        }
        forEach(names, d, CatalogPropertiesTest::reductionsAgree);
    }

    static void reductionsAgree(Call c) {
        Inputs in = c.inputs();
        LossInfo info = Losses.info(c.loss());
        LossResult sum = with(c, "sum").compute(in);
        LossResult none = with(c, "none").compute(in);
        assertNotNull(none.terms(), c + ": none gives terms");
        double s = 0;
        for (int i = 0; i < none.terms().size(); i++) {
            s += none.terms().getDouble(i);
        }
        near(sum.value(), s, 1e-12, c + ": Σ none = sum");
        near(sum.value(), none.value(), 1e-12, c + ": none's value is the sum of its terms");
        grads(sum, none, 1.0, c + ": none's gradient is the sum's");
        List<String> reds = reductions(info);
        if (reds.contains("mean")) {
            LossResult mean = with(c, "mean").compute(in);
            if (c.loss().equals("ctc")) {
                // each sample divided by max(target length, 1), then averaged over N
                long[] tl = in.get("target_lengths").i64();
                double m = 0;
                for (int i = 0; i < tl.length; i++) {
                    m += none.terms().getDouble(i) / Math.max(tl[i], 1);
                }
                near(m / tl.length, mean.value(), 1e-12, c + ": ctc mean");
            } else {
                double divisor = divisor(c.loss(), in, none);
                near(sum.value(), divisor * mean.value(), 1e-12, c + ": sum = divisor·mean (divisor " + divisor + ")");
                grads(sum, mean, divisor, c + ": divisor·(mean's gradient) = sum's gradient");
            }
        }
        if (reds.contains("batchmean")) {
            LossResult bm = with(c, "batchmean").compute(in);
            int n = in.tensors().values().iterator().next().dim(0);
            near(sum.value(), n * bm.value(), 1e-12, c + ": sum = N·batchmean");
            grads(sum, bm, n, c + ": N·(batchmean's gradient) = sum's gradient");
        }
    }

    /**
     * What mean divides by, per CATALOG.md: Σ w_y over kept index targets for cross_entropy/nll, the
     * number of events (times > 0) for cox, else the number of terms.
     */
    static double divisor(String loss, Inputs in, LossResult none) {
        if (loss.equals("cox")) {
            return java.util.Arrays.stream(in.get("target").toDoubleArray()).filter(t -> t > 0).count();
        }
        if ((loss.equals("cross_entropy") || loss.equals("nll")) && in.get("target").dtype() == DType.INT64) {
            long[] y = in.get("target").i64();
            Tensor w = in.get("weight");
            double d = 0;
            for (long v : y) {
                if (v != -100) {
                    d += w == null ? 1 : w.getDouble((int) v);
                }
            }
            return d;
        }
        return none.terms().size();
    }

    // ---------------------------------------------------------------- weights

    /** Losses with a per-class or per-element weight input, and whether mean renormalises by the weights. */
    static final Map<String, String> WEIGHT_INPUT = Map.of("bce", "weight", "bce_with_logits", "weight",
            "cross_entropy", "weight", "nll", "weight", "multi_margin", "weight", "softmax_focal", "alpha");
    static final Set<String> MEAN_DIVIDES_BY_WEIGHTS = Set.of("cross_entropy", "nll");
    /** Options that multiply the whole loss. */
    static final Map<String, List<String>> SCALE_OPTIONS = Map.of("l1", List.of("lambda"), "l2", List.of("lambda"),
            "elastic_net", List.of("l1", "l2"), "gradient_penalty", List.of("lambda"));

    /** Scaling the weights by k scales value and gradients by k (cross_entropy/nll's mean: unchanged); unit weights = none. */
    @Property(tries = 30, seed = "4242")
    void lossIsLinearInItsWeights(@ForAll("draws") Draw d, @ForAll @DoubleRange(min = 0.1, max = 10) double k) {
        List<String> names = new ArrayList<>(WEIGHT_INPUT.keySet());
        names.addAll(SCALE_OPTIONS.keySet());
        names.removeIf(n -> !Losses.exists(n));
        names.sort(null);
        forEach(names, d, c -> linear(c, k));
    }

    static void linear(Call c, double k) {
        Inputs in = c.inputs();
        Loss loss = c.create();
        LossResult base = loss.compute(in);
        LossResult scaled;
        double factor = k;
        String w = WEIGHT_INPUT.get(c.loss());
        if (w != null) {
            Tensor t = in.get(w);
            double[] sc = t.toDoubleArray();
            double[] ones = new double[sc.length];
            for (int i = 0; i < sc.length; i++) {
                sc[i] *= k;
                ones[i] = 1;
            }
            scaled = loss.compute(Fixtures.replace(in, w, Tensor.of(sc, t.shape())));
            Object red = c.options().getOrDefault("reduction", "mean");
            if (MEAN_DIVIDES_BY_WEIGHTS.contains(c.loss()) && "mean".equals(red)) {
                factor = 1;
            }
            // unit weights are no weights
            LossResult unit = loss.compute(Fixtures.replace(in, w, Tensor.of(ones, t.shape())));
            LossResult noW = loss.compute(Fixtures.replace(in, w, null));
            near(noW.value(), unit.value(), 1e-12, c + ": unit weights = no weights");
            grads(noW, unit, 1, c + ": unit weights = no weights (gradient)");
        } else {
            Map<String, Object> o = new LinkedHashMap<>(c.options());
            for (String opt : SCALE_OPTIONS.get(c.loss())) {
                o.put(opt, ((Number) o.getOrDefault(opt, Losses.info(c.loss()).options().stream()
                        .filter(s -> s.name().equals(opt)).findFirst().orElseThrow().defaultValue())).doubleValue() * k);
            }
            scaled = Losses.create(c.loss(), o).compute(in);
        }
        near(factor * base.value(), scaled.value(), 1e-12, c + ": value scales by " + factor);
        for (Map.Entry<String, Tensor> e : base.grads().entrySet()) {
            double[] g0 = e.getValue().f64();
            double[] g1 = scaled.grad(e.getKey()).f64();
            for (int i = 0; i < g0.length; i++) {
                near(factor * g0[i], g1[i], 1e-11, c + ": gradient " + e.getKey() + "[" + i + "] scales by " + factor);
            }
        }
    }

    // ---------------------------------------------------------------- float32 vs float64

    /** float32 inputs give the float64 result (on the same rounded inputs) within 1e-5 relative. */
    @Property(tries = 20, seed = "1618")
    void float32AgreesWithFloat64(@ForAll("draws") Draw d) {
        forEach(catalogNames(), d, CatalogPropertiesTest::float32Agrees);
    }

    static void float32Agrees(Call c) {
        Inputs in64 = Fixtures.roundedToFloat32(c.inputs());
        Inputs in32 = Fixtures.toFloat32(in64);
        Loss loss = c.create();
        LossResult a = loss.compute(in64);
        LossResult b = loss.compute(in32);
        near(a.value(), b.value(), 1e-5, c + ": float32 value");
        if (a.isUnreduced()) {
            assertEquals(DType.FLOAT32, b.terms().dtype(), c + ": float32 terms");
            double scale = maxAbs(a.terms().toDoubleArray());
            for (int i = 0; i < a.terms().size(); i++) {
                nearScaled(a.terms().getDouble(i), b.terms().getDouble(i), scale, c + ": term " + i);
            }
        }
        for (Map.Entry<String, Tensor> e : a.grads().entrySet()) {
            Tensor g32 = b.grad(e.getKey());
            assertNotNull(g32, c + ": float32 gradient " + e.getKey());
            if (in32.get(e.getKey()).dtype() == DType.FLOAT32) {
                assertEquals(DType.FLOAT32, g32.dtype(), c + ": gradient dtype of " + e.getKey());
            }
            double[] g = e.getValue().toDoubleArray();
            double scale = maxAbs(g);
            for (int i = 0; i < g.length; i++) {
                nearScaled(g[i], g32.getDouble(i), scale, c + ": gradient " + e.getKey() + "[" + i + "]");
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    static List<String> reductions(LossInfo info) {
        for (OptionSpec<?> s : info.options()) {
            if (s.name().equals("reduction")) {
                return List.of(s.allowed().replace("one of ", "").split(", "));
            }
        }
        return List.of();
    }

    static Loss with(Call c, String reduction) {
        Map<String, Object> o = new LinkedHashMap<>(c.options());
        o.put("reduction", reduction);
        return Losses.create(c.loss(), o);
    }

    static void grads(LossResult expectedScaled, LossResult r, double factor, String what) {
        for (Map.Entry<String, Tensor> e : expectedScaled.grads().entrySet()) {
            Tensor g = r.grad(e.getKey());
            assertNotNull(g, what + ": gradient " + e.getKey());
            double[] a = e.getValue().toDoubleArray();
            double[] b = g.toDoubleArray();
            double scale = maxAbs(a);
            for (int i = 0; i < a.length; i++) {
                if (Math.abs(a[i] - factor * b[i]) > 1e-11 * (Math.abs(a[i]) + scale)) {
                    fail(what + ": " + e.getKey() + "[" + i + "] " + a[i] + " vs " + factor + "·" + b[i]);
                }
            }
        }
    }

    static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    static void near(double expected, double actual, double rtol, String what) {
        if (Double.isNaN(expected) ? !Double.isNaN(actual)
                : !(Math.abs(actual - expected) <= rtol * Math.abs(expected) + 1e-300 || actual == expected)) {
            fail(what + ": expected " + expected + ", got " + actual);
        }
    }

    /** Within 1e-5 of the value, or of 1e-5 of the largest magnitude among its siblings (cancellation). */
    static void nearScaled(double expected, double actual, double scale, String what) {
        if (!(Math.abs(actual - expected) <= 1e-5 * Math.abs(expected) + 1e-6 * scale + 1e-30)) {
            fail(what + ": float64 " + expected + ", float32 " + actual);
        }
    }
}
