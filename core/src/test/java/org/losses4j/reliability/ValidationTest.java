package org.losses4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.losses4j.DType;
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
 * Every class of bad input tried on every catalog loss it applies to. Applicability comes
 * from the registry metadata ({@link LossInfo#inputs()}: names, required, int64 or floating,
 * the shape text; {@link LossInfo#options()}: each option's allowed range) plus the explicit
 * {@link #DOMAIN} and {@link #CATALOG_OPTIONS} tables for rules the metadata cannot express
 * (CATALOG.md's value domains and option ranges). Each refusal must be a {@link LossException}
 * of the right {@link ErrorKind} whose message names the argument (and the index and value
 * where there is one).
 */
class ValidationTest {
    static final long SEED = 7;

    // ---------------------------------------------------------------- the explicit tables

    /** A value outside a loss's domain: element {@code index} of {@code input} set to {@code value}. */
    record Domain(String loss, Map<String, Object> options, String input, int index, double value) {
    }

    private static Domain d(String loss, String input, int index, double value) {
        return new Domain(loss, Map.of(), input, index, value);
    }

    private static Domain d(String loss, Map<String, Object> opts, String input, int index, double value) {
        return new Domain(loss, opts, input, index, value);
    }

    /** CATALOG.md's value domains (refused with out_of_domain). Box tables: index 2 is x2 of box 0, 3 is y2. */
    static final List<Domain> DOMAIN = List.of(
            d("msle", "input", 1, -1.0), d("msle", "target", 2, -2.5), d("msle", "input", 0, Double.NEGATIVE_INFINITY),
            d("rmsle", "input", 1, -1.0), d("rmsle", "target", 0, -3.0),
            d("poisson_nll", "target", 1, -1.0), d("poisson_nll", "target", 0, Double.NEGATIVE_INFINITY),
            d("poisson_nll", Map.of("log_input", false), "input", 2, -0.5),
            d("gaussian_nll", "var", 1, -1.0), d("gaussian_nll", "var", 0, Double.NEGATIVE_INFINITY),
            d("tweedie", "target", 1, -1.0), d("tweedie", "target", 0, Double.NEGATIVE_INFINITY),
            d("gamma", "target", 1, 0.0), d("gamma", "target", 2, -0.5), d("gamma", "target", 0, Double.NEGATIVE_INFINITY),
            d("bce", "input", 1, 1.5), d("bce", "input", 0, -0.1), d("bce", "input", 2, Double.POSITIVE_INFINITY),
            d("bce", "target", 1, 1.5), d("bce", "target", 0, -0.5),
            d("bce_with_logits", "target", 1, 1.2), d("bce_with_logits", "target", 0, -0.2),
            d("categorical_cross_entropy", "input", 1, 1.5), d("categorical_cross_entropy", "input", 0, -0.5),
            d("categorical_cross_entropy", "target", 2, -0.5), d("categorical_cross_entropy", "target", 0, 1.5),
            d("sparse_categorical_cross_entropy", "input", 1, 1.5),
            d("sparse_categorical_cross_entropy", "input", 0, -0.1),
            d("focal", "target", 1, 0.5), d("focal", "target", 0, 2.0), d("focal", "target", 2, -1.0),
            d("hinge", "target", 1, 0.0), d("hinge", "target", 0, 0.5), d("hinge", "target", 2, 2.0),
            d("squared_hinge", "target", 1, 0.0), d("smooth_hinge", "target", 1, 0.0), d("ramp", "target", 1, 0.0),
            d("soft_margin", "target", 1, 0.0), d("soft_margin", "target", 0, 0.5), d("zero_one", "target", 1, 0.0),
            d("zero_one", "target", 0, 0.5),
            d("perplexity", "input", 2, 0.25),
            d("kl_div", "input", 1, 0.5), d("reverse_kl_div", "input", 0, 0.5), d("js_div", "input", 2, 1.0),
            d("kl_div", Map.of("log_target", true), "target", 1, 0.5),
            d("reverse_kl_div", Map.of("log_target", true), "target", 0, 0.5),
            d("kl_div", "target", 1, 1.5), d("kl_div", "target", 0, -0.1),
            d("reverse_kl_div", "target", 1, 1.5), d("reverse_kl_div", "target", 0, -0.1),
            d("js_div", "target", 1, 1.5), d("js_div", "target", 0, -0.1),
            d("vae", "recon", 1, 1.5), d("vae", "recon", 0, -0.5), d("vae", "target", 1, 1.5),
            d("vae", Map.of("reconstruction", "bce_with_logits"), "target", 0, -0.5),
            d("contrastive", "target", 1, 0.5), d("contrastive", "target", 0, 2.0),
            d("margin_ranking", "target", 1, 0.0), d("margin_ranking", "target", 0, 0.5),
            d("dice", "input", 1, 1.5), d("dice", "input", 0, -0.1), d("dice", "target", 2, 1.5),
            d("jaccard", "input", 1, 1.5), d("jaccard", "target", 0, -0.5),
            d("tversky", "input", 1, -0.5), d("tversky", "target", 0, 1.5),
            d("combo", "input", 1, 1.5), d("combo", "target", 0, -0.5),
            d("box_iou", "input", 2, -5.0), d("box_iou", "input", 3, -5.0), d("box_iou", "target", 2, -5.0),
            d("box_iou", "target", 3, -5.0),
            d("generalized_dice", "input", 1, 1.5), d("generalized_dice", "target", 0, -0.5),
            d("lovasz_hinge", "target", 1, 0.5), d("lovasz_hinge", "target", 0, 2.0),
            d("lovasz_softmax", "input", 1, 1.5), d("lovasz_softmax", "input", 0, -0.1),
            d("diffusion_mse", "snr", 0, 0.0), d("diffusion_mse", "snr", 1, -1.0));

    /** The catalog's option ranges, named explicitly (on top of the generic range test of each spec). */
    record BadOption(String loss, String option, Object value) {
    }

    static final List<BadOption> CATALOG_OPTIONS = List.of(
            new BadOption("huber", "delta", 0.0), new BadOption("huber", "delta", -1.0),
            new BadOption("smooth_l1", "beta", -0.5),
            new BadOption("quantile", "tau", 0.0), new BadOption("quantile", "tau", 1.0),
            new BadOption("tweedie", "variance_power", 1.0), new BadOption("tweedie", "variance_power", 2.0),
            new BadOption("expectile", "tau", 0.0), new BadOption("expectile", "tau", 1.0),
            new BadOption("mape", "eps", 0.0), new BadOption("fair", "c", 0.0), new BadOption("fair", "c", 2e15),
            new BadOption("poisson_nll", "eps", 0.0), new BadOption("gaussian_nll", "eps", -1e-6),
            new BadOption("bce_with_logits", "label_smoothing", 1.5),
            new BadOption("bce_with_logits", "label_smoothing", -0.1),
            new BadOption("cross_entropy", "label_smoothing", 1.5),
            new BadOption("cross_entropy", "label_smoothing", -0.1),
            new BadOption("focal", "gamma", -1.0), new BadOption("focal", "alpha", 1.5),
            new BadOption("softmax_focal", "gamma", -0.5),
            new BadOption("ramp", "s", 1.0), new BadOption("ramp", "s", 2.0),
            new BadOption("multi_margin", "p", 3), new BadOption("multi_margin", "p", 0),
            new BadOption("kl_div", "reduction", "avg"),
            new BadOption("vae", "beta", -1.0), new BadOption("vae", "reconstruction", "l1"),
            new BadOption("contrastive", "similar_label", 2),
            new BadOption("triplet", "distance", "manhattan"),
            new BadOption("nt_xent", "temperature", 0.0), new BadOption("nt_xent", "temperature", -0.5),
            new BadOption("dice", "smooth", -1.0), new BadOption("dice", "average", "micro"),
            new BadOption("tversky", "alpha", -0.5), new BadOption("tversky", "beta", -0.5),
            new BadOption("combo", "alpha", 1.5), new BadOption("combo", "beta", -0.5),
            new BadOption("generalized_dice", "weight_type", "log"),
            new BadOption("generalized_dice", "smooth_nr", -1.0), new BadOption("generalized_dice", "smooth_dr", 2e15),
            new BadOption("lovasz_softmax", "classes", "some"), new BadOption("lovasz_softmax", "ignore_index", 1.5),
            new BadOption("lovasz_hinge", "per_image", "yes"), new BadOption("dice", "log", "yes"),
            new BadOption("psnr", "max_val", 0.0), new BadOption("psnr", "max_val", -1.0),
            new BadOption("box_iou", "variant", "siou"), new BadOption("box_iou", "eps", -1.0),
            new BadOption("ssim", "window", 4), new BadOption("ssim", "window", 0), new BadOption("ssim", "sigma", 0.0),
            new BadOption("ssim", "data_range", 0.0), new BadOption("ssim", "data_range", -1.0),
            new BadOption("ms_ssim", "sigmas", List.of()), new BadOption("ms_ssim", "sigmas", List.of(0.5, 0.0)),
            new BadOption("ms_ssim", "data_range", 0.0), new BadOption("ms_ssim", "alpha", 1.5),
            new BadOption("ms_ssim", "compensation", -1.0),
            new BadOption("total_variation", "kind", "l2"),
            new BadOption("gan_discriminator", "kind", "relativistic"),
            new BadOption("gradient_penalty", "lambda", -1.0),
            new BadOption("diffusion_mse", "min_snr_gamma", 0.0),
            new BadOption("ppo_clip", "epsilon", -0.1),
            new BadOption("dpo", "beta", 0.0), new BadOption("dpo", "label_smoothing", 1.5),
            new BadOption("dpo", "loss_type", "kto"),
            new BadOption("l1", "lambda", -1.0), new BadOption("l2", "lambda", -1.0),
            new BadOption("elastic_net", "l1", -1.0), new BadOption("elastic_net", "l2", -0.5),
            new BadOption("ctc", "blank", -1), new BadOption("ctc", "reduction", "batchmean"));

    /** Inputs whose shape legitimately differs from the others in the mutated dimension (catalog). */
    /** Integer inputs where −1 is a valid value: it ends a row's list of class indices (PyTorch's MultiLabelMarginLoss). */
    static final Set<String> MINUS_ONE_ENDS_LIST = Set.of("multilabel_margin.target");

    static final Set<String> FREE_SHAPE = Set.of("gan_discriminator.fake:0", "gan_discriminator.fake:-1",
            "ctc.targets:-1");


    // ---------------------------------------------------------------- the table-driven test

    @TestFactory
    Stream<DynamicNode> everyBadInputClassOnEveryLoss() {
        List<DynamicNode> perLoss = new ArrayList<>();
        for (LossInfo info : Losses.catalog()) {
            perLoss.add(DynamicContainer.dynamicContainer(info.name(), casesFor(info).stream()));
        }
        return perLoss.stream();
    }

    @TestFactory
    Stream<DynamicTest> domainTableNamesRealLossesAndInputs() {
        return DOMAIN.stream().filter(x -> Losses.exists(x.loss())).map(x -> test(x.loss(),
                x.loss() + "." + x.input() + "[" + x.index() + "] = " + x.value() + " -> out_of_domain", () -> {
                    Map<String, Object> opts = Fixtures.options(x.loss(), x.options());
                    Inputs base = Fixtures.valid(x.loss(), opts, new Random(SEED), 3);
                    Tensor t = base.get(x.input());
                    assertTrue(t != null, "fixture of " + x.loss() + " has no input " + x.input());
                    Inputs bad = Fixtures.replace(base, x.input(), Fixtures.withElement(t, x.index(), x.value()));
                    LossException e = refused(ErrorKind.OUT_OF_DOMAIN, () -> create(x.loss(), opts).compute(bad),
                            x.input());
                    String v = String.valueOf(x.value());
                    assertTrue(e.getMessage().contains(v) || e.getMessage().contains(fmtInt(x.value())),
                            "message '" + e.getMessage() + "' does not show the value " + v);
                    // boxes are named by row: input[0] = (x1, y1, x2, y2) has x2 < x1
                    String at = x.loss().equals("box_iou") ? x.input() + "[" + x.index() / 4 + "]"
                            : at(x.input(), t, x.index());
                    assertTrue(e.getMessage().contains(at), "message '" + e.getMessage() + "' does not name " + at);
                    // the same value in float32 is refused the same way
                    Inputs bad32 = Fixtures.toFloat32(bad);
                    refused(ErrorKind.OUT_OF_DOMAIN, () -> create(x.loss(), opts).compute(bad32), x.input());
                }));
    }

    @TestFactory
    Stream<DynamicTest> catalogOptionRanges() {
        return CATALOG_OPTIONS.stream().filter(x -> Losses.exists(x.loss())).map(x -> test(x.loss(),
                x.loss() + " " + x.option() + " = " + x.value() + " -> invalid_option", () -> {
                    Map<String, Object> opts = Fixtures.options(x.loss(), Map.of(x.option(), x.value()));
                    LossException e = refused(ErrorKind.INVALID_OPTION, () -> {
                        Loss l = create(x.loss(), opts);
                        // some ranges depend on the inputs (ctc's blank < C): compute to reach them
                        l.compute(Fixtures.valid(x.loss(), opts, new Random(SEED), 2));
                    }, x.option());
                    assertTrue(e.getMessage().contains(String.valueOf(x.value())),
                            "message '" + e.getMessage() + "' does not show the value " + x.value());
                }));
    }

    /** SSIM's window must fit the image (H, W ≥ window); a huge window is refused by the image, not by memory. */
    @TestFactory
    Stream<DynamicTest> ssimWindowLargerThanImage() {
        return Stream.of(7, 9, 999_999_999, 1_000_000_001).filter(w -> Losses.exists("ssim")).map(w -> test("ssim",
                "window " + w + " on a 6×7 image -> shape_mismatch", () -> {
                    Map<String, Object> o = Map.of("window", w);
                    Inputs in = Fixtures.valid("ssim", o, new Random(SEED), 2);
                    LossException e = refused(ErrorKind.SHAPE_MISMATCH, () -> create("ssim", o).compute(in), "window");
                    assertTrue(e.getMessage().contains("6×7"), e.getMessage());
                }));
    }

    private List<DynamicNode> casesFor(LossInfo info) {
        String name = info.name();
        List<DynamicNode> tests = new ArrayList<>();
        if (!Fixtures.has(name)) {
            tests.add(test(name, "has a fixture", () -> fail("no fixture for " + name
                    + ": add one to reliability/Fixtures.java")));
            return tests;
        }
        Map<String, Object> opts = Fixtures.baseOptions(name);
        Supplier<Inputs> base = () -> Fixtures.valid(name, opts, new Random(SEED), 3);

        tests.add(test(name, "valid fixture is accepted", () -> {
            LossResult r = create(name, opts).compute(base.get());
            assertTrue(Double.isFinite(r.value()), name + " on its fixture gave " + r.value());
        }));

        // missing and unknown inputs
        for (LossInfo.InputSpec s : info.inputs()) {
            if (s.required()) {
                tests.add(test(name, "missing " + s.name() + " -> missing_input", () -> refused(
                        ErrorKind.MISSING_INPUT, () -> create(name, opts).compute(Fixtures.replace(base.get(),
                                s.name(), null)), "'" + s.name() + "'")));
            }
        }
        tests.add(test(name, "unknown input -> missing_input", () -> refused(ErrorKind.MISSING_INPUT,
                () -> create(name, opts).compute(base.get().with("bogus_input", Tensor.vector(new double[] {1}))),
                "'bogus_input'")));

        // dtypes
        for (LossInfo.InputSpec s : info.inputs()) {
            boolean integer = s.integerType() == DType.INT64;
            if ((!integer && s.alsoInt64()) || base.get().get(s.name()) == null) {
                continue; // a float input that also takes int64, or an optional one the example leaves out
            }
            tests.add(test(name, s.name() + (integer ? " as float64" : " as int64") + " -> invalid_dtype",
                    () -> {
                        Inputs in = base.get();
                        Tensor t = in.get(s.name());
                        Tensor wrong = integer ? Tensor.of(t.toDoubleArray(), t.shape())
                                : Tensor.ofLabels(new long[t.size()], t.shape());
                        refused(ErrorKind.INVALID_DTYPE, () -> create(name, opts).compute(
                                Fixtures.replace(in, s.name(), wrong)), s.name());
                    }));
            if (integer) {
                tests.add(test(name, s.name() + " as float32 -> invalid_dtype", () -> {
                    Inputs in = base.get();
                    Tensor t = in.get(s.name());
                    double[] d = t.toDoubleArray();
                    float[] f = new float[d.length];
                    for (int i = 0; i < f.length; i++) {
                        f[i] = (float) d[i];
                    }
                    refused(ErrorKind.INVALID_DTYPE, () -> create(name, opts).compute(
                            Fixtures.replace(in, s.name(), Tensor.of(f, t.shape()))), s.name());
                }));
            }
        }

        // shape mismatch between inputs: every input after the first, grown in its first and last dimension
        List<String> names = Fixtures.names(base.get());
        for (int k = 1; k < names.size(); k++) {
            String in = names.get(k);
            int rank = base.get().get(in).rank();
            for (int dim : rank >= 2 ? new int[] {0, -1} : new int[] {0}) {
                if (FREE_SHAPE.contains(name + "." + in + ":" + dim)) {
                    continue;
                }
                tests.add(test(name, in + " grown in dim " + dim + " -> shape_mismatch", () -> {
                    Inputs b = base.get();
                    Tensor t = b.get(in);
                    Tensor g = Fixtures.grow(t, dim < 0 ? t.rank() - 1 : dim);
                    refused(ErrorKind.SHAPE_MISMATCH, () -> create(name, opts).compute(Fixtures.replace(b, in, g)),
                            in);
                }));
            }
        }

        // wrong rank of the first input (and of every input of its shape), from the catalog shape text
        LossInfo.InputSpec first = info.inputs().get(0);
        for (int badRank : badRanks(first.shape())) {
            tests.add(test(name, first.name() + " of rank " + badRank + " -> shape_mismatch", () -> {
                Inputs b = base.get();
                int[] shape = b.get(first.name()).shape();
                Inputs bad = Inputs.empty();
                List<String> changed = new ArrayList<>();
                for (Map.Entry<String, Tensor> e : b.tensors().entrySet()) {
                    Tensor t = e.getValue();
                    if (Arrays.equals(t.shape(), shape)) {
                        t = toRank(t, badRank);
                        changed.add(e.getKey());
                    }
                    bad = bad.with(e.getKey(), t);
                }
                Inputs fb = bad;
                refused(ErrorKind.SHAPE_MISMATCH, () -> create(name, opts).compute(fb), changed.toArray(new String[0]));
            }));
        }

        // labels out of range (ints), including Long.MIN_VALUE and values that wrap when cast to int;
        // only a configured ignore_index is exempt (below)
        for (LossInfo.InputSpec s : info.inputs()) {
            if (s.integerType() != DType.INT64 && !s.alsoInt64()) {
                continue;
            }
            if (s.identifiers()) {
                // identifiers compared for equality only (metric learning's labels): every value is valid
                tests.add(test(name, s.name() + " takes any int64 value (identifiers)", () -> {
                    Inputs b = base.get();
                    Tensor t = b.get(s.name());
                    double want = create(name, opts).compute(b).value();
                    for (long v : OUT_OF_RANGE_LABELS) {
                        // a one-to-one relabelling: label l becomes v + l (wrapping), the result is the same
                        long[] moved = t.i64().clone();
                        for (int i = 0; i < moved.length; i++) {
                            moved[i] = v + moved[i];
                        }
                        LossResult r = create(name, opts).compute(Fixtures.replace(b, s.name(),
                                Tensor.ofLabels(moved, t.shape())));
                        assertEquals(want, r.value(), 1e-12 * Math.abs(want), s.name() + " + " + v);
                    }
                }));
                continue;
            }
            for (long v : OUT_OF_RANGE_LABELS) {
                if (v == -1 && MINUS_ONE_ENDS_LIST.contains(name + "." + s.name())) {
                    continue; // −1 ends the list of targets there (still refused: −2 and below)
                }
                tests.add(test(name, s.name() + "[0] = " + v + " -> label_out_of_range", () -> {
                    Inputs b = withIntegerLabels(base.get(), s.name());
                    Tensor t = b.get(s.name());
                    Inputs bad = Fixtures.replace(b, s.name(), Fixtures.withElement(t, 0, v));
                    LossException e = refused(ErrorKind.LABEL_OUT_OF_RANGE, () -> create(name, opts).compute(bad),
                            at(s.name(), t, 0));
                    assertTrue(e.getMessage().contains(Long.toString(v)), "message '" + e.getMessage()
                            + "' does not show the value " + v);
                }));
            }
        }
        OptionSpec<?> ignoreSpec = info.options().stream().filter(o -> o.name().equals("ignore_index")).findFirst()
                .orElse(null);
        if (ignoreSpec != null && ignoreSpec.valueType() == Double.class) {
            // a real-valued ignore_index (bce_with_logits): off by default; set, its target value is accepted
            // anywhere and has no gradient, while another value outside the target's domain is still refused
            tests.add(test(name, "a real ignore_index exempts its target value from the domain check", () -> {
                Inputs b = base.get();
                Tensor t = b.get("target");
                Inputs marked = Fixtures.replace(b, "target", Fixtures.withElement(t, 0, -7.0));
                refused(ErrorKind.OUT_OF_DOMAIN, () -> create(name, opts).compute(marked), at("target", t, 0));
                Map<String, Object> o = new LinkedHashMap<>(opts);
                o.put("ignore_index", -7.0);
                LossResult r = create(name, o).compute(marked);
                assertTrue(Double.isFinite(r.value()));
                assertEquals(0.0, r.grad("input").f64()[0], 0.0);
                refused(ErrorKind.OUT_OF_DOMAIN, () -> create(name, o).compute(Fixtures.replace(b, "target",
                        Fixtures.withElement(t, 0, -8.0))), at("target", t, 0));
            }));
        } else if (ignoreSpec != null) {
            String labelInput = firstIntegerInput(info);
            Object defaultIgnore = info.options().stream().filter(o -> o.name().equals("ignore_index")).findFirst()
                    .orElseThrow().defaultValue();
            tests.add(test(name, "ignore_index exempts its label from the range check", () -> {
                Inputs b = base.get();
                Tensor t = b.get(labelInput);
                // the default (-100; lovasz_softmax's is null: no label is exempt)
                if (defaultIgnore != null) {
                    LossResult r = create(name, opts).compute(Fixtures.replace(b, labelInput,
                            Fixtures.withElement(t, 0, ((Number) defaultIgnore).doubleValue())));
                    assertTrue(Double.isFinite(r.value()));
                } else {
                    refused(ErrorKind.LABEL_OUT_OF_RANGE, () -> create(name, opts).compute(Fixtures.replace(b,
                            labelInput, Fixtures.withElement(t, 0, -100))), labelInput);
                }
                // ignore_index at C (outside [0, C)) and at -1
                for (long ii : new long[] {org.losses4j.Examples.CLASSES, -1}) {
                    Map<String, Object> o = new LinkedHashMap<>(opts);
                    o.put("ignore_index", ii);
                    LossResult r2 = create(name, o).compute(Fixtures.replace(b, labelInput,
                            Fixtures.withElement(t, 0, ii)));
                    assertTrue(Double.isFinite(r2.value()));
                    // ... but another out-of-range label is still refused
                    refused(ErrorKind.LABEL_OUT_OF_RANGE, () -> create(name, o).compute(Fixtures.replace(b, labelInput,
                            Fixtures.withElement(t, 0, ii == -1 ? -2 : ii + 1))), labelInput);
                }
            }));
        }

        // caller gradient buffers: one that is an input's own array (float64 and float32), one array for two
        // gradients, a buffer for an input without gradient or not of the loss, a typo in LossResult.grad
        List<String> differentiable = new ArrayList<>();
        for (LossInfo.InputSpec s : info.inputs()) {
            if (s.differentiable() && base.get().get(s.name()) != null) {
                differentiable.add(s.name());
            }
        }
        for (String d : differentiable) {
            for (boolean f32 : new boolean[] {false, true}) {
                tests.add(test(name, "gradient buffer that is " + d + "'s own array" + (f32 ? " (float32)" : "")
                        + " -> aliased_buffer", () -> {
                            Inputs b = f32 ? Fixtures.toFloat32(base.get()) : base.get();
                            Tensor t = b.get(d);
                            Tensor same = t.dtype() == DType.FLOAT32 ? Tensor.of(t.f32(), t.shape())
                                    : Tensor.of(t.f64(), t.shape());
                            LossException e = refused(ErrorKind.ALIASED_BUFFER,
                                    () -> create(name, opts).compute(b.gradInto(d, same)), "input " + d);
                            assertTrue(e.getMessage().contains("gradient buffer for " + d), e.getMessage());
                        }));
            }
        }
        if (differentiable.size() >= 2 && base.get().get(differentiable.get(0)).size()
                == base.get().get(differentiable.get(1)).size()) {
            String a = differentiable.get(0);
            String c = differentiable.get(1);
            tests.add(test(name, "one array as the buffer of " + a + " and " + c + " -> aliased_buffer", () -> {
                Inputs b = base.get();
                double[] shared = new double[b.get(a).size()];
                Inputs twice = b.gradInto(a, Tensor.of(shared, b.get(a).shape()))
                        .gradInto(c, Tensor.of(shared, b.get(c).shape()));
                refused(ErrorKind.ALIASED_BUFFER, () -> create(name, opts).compute(twice), a + " and " + c);
            }));
        }
        for (LossInfo.InputSpec s : info.inputs()) {
            if (!s.differentiable() && base.get().get(s.name()) != null
                    && base.get().get(s.name()).dtype() != DType.INT64) {
                tests.add(test(name, "gradient buffer for " + s.name() + " (no gradient) -> no_gradient", () -> {
                    Inputs b = base.get();
                    Tensor t = b.get(s.name());
                    refused(ErrorKind.NO_GRADIENT, () -> create(name, opts).compute(
                            b.gradInto(s.name(), Tensor.zeros(t.dtype(), t.shape()))), "'" + s.name() + "'");
                }));
                break;
            }
        }
        tests.add(test(name, "gradient buffer for an input it does not have -> no_gradient", () -> refused(
                ErrorKind.NO_GRADIENT, () -> create(name, opts).compute(base.get().gradInto("inputs",
                        Tensor.vector(new double[1]))), "'inputs'")));
        tests.add(test(name, "LossResult.grad of a name without gradient -> no_gradient", () -> {
            LossResult r = create(name, opts).compute(base.get());
            if (r.grads().isEmpty()) {
                assertEquals(null, r.grad("inputs"), "no gradients: null");
                return;
            }
            LossException e = refused(ErrorKind.NO_GRADIENT, () -> r.grad("inputs"), "'inputs'");
            for (String g : r.grads().keySet()) {
                assertTrue(e.getMessage().contains(g), "message '" + e.getMessage() + "' does not list " + g);
            }
        }));

        // options: every real/choice/bool/reduction option outside its declared range, NaN, wrong type
        for (OptionSpec<?> spec : info.options()) {
            for (Object bad : badValues(spec)) {
                tests.add(test(name, "option " + spec.name() + " = " + bad + " -> invalid_option", () -> {
                    Map<String, Object> o = new LinkedHashMap<>(opts);
                    o.put(spec.name(), bad);
                    refused(ErrorKind.INVALID_OPTION, () -> create(name, o), "option " + spec.name());
                }));
            }
        }
        tests.add(test(name, "unknown option -> unknown_option", () -> {
            Map<String, Object> o = new LinkedHashMap<>(opts);
            o.put("bogus_option", 1.0);
            refused(ErrorKind.UNKNOWN_OPTION, () -> create(name, o), "'bogus_option'");
        }));
        if (!hasOption(info, "reduction")) {
            tests.add(test(name, "reduction on an always-scalar loss -> unknown_option", () -> {
                Map<String, Object> o = new LinkedHashMap<>(opts);
                o.put("reduction", "sum");
                refused(ErrorKind.UNKNOWN_OPTION, () -> create(name, o), "'reduction'");
            }));
        }

        // the empty batch: refused where a mean is undefined, 0 for a sum, no terms for none
        for (String red : reductionsToTry(info)) {
            boolean meanLike = red == null ? !sumOnly(info) : red.equals("mean") || red.equals("batchmean");
            tests.add(test(name, "empty batch" + (red == null ? "" : ", reduction " + red)
                    + (meanLike ? " -> empty_input" : " -> accepted"), () -> {
                        Map<String, Object> o = new LinkedHashMap<>(opts);
                        if (red != null) {
                            o.put("reduction", red);
                        }
                        Inputs empty = Fixtures.valid(name, o, new Random(SEED), 0);
                        if (meanLike) {
                            refused(ErrorKind.EMPTY_INPUT, () -> create(name, o).compute(empty),
                                    names(info).toArray(new String[0]));
                        } else {
                            LossResult r = create(name, o).compute(empty);
                            assertEquals(0.0, r.value(), 0.0, "the empty sum");
                            if ("none".equals(red)) {
                                assertEquals(0, r.terms().size());
                            }
                            for (Tensor gt : r.grads().values()) {
                                for (int i = 0; i < gt.size(); i++) {
                                    assertEquals(0.0, gt.getDouble(i), 0.0);
                                }
                            }
                        }
                    }));
        }
        return tests;
    }

    // ---------------------------------------------------------------- derivations from the metadata

    /**
     * Labels outside every [0, C): far out, −1, the extremes of long (Long.MIN_VALUE was once an
     * internal "no ignore_index" sentinel and passed as class 0) and values that wrap to small
     * ints when cast ((int) 2^32 = 0, (int) (2^32 + 1) = 1).
     */
    static final long[] OUT_OF_RANGE_LABELS = {1_000_000L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 32,
        (1L << 32) + 1, Integer.MIN_VALUE};

    /**
     * {@code in} with input {@code name} as int64 class labels: the fixture's own when it is
     * int64, else (a floating target that also takes labels, zero_one's) labels 0 of the input's
     * shape without its class dimension.
     */
    static Inputs withIntegerLabels(Inputs in, String name) {
        Tensor t = in.get(name);
        if (t.dtype() == DType.INT64) {
            return in;
        }
        int[] shape = in.get("input").shape();
        int[] rows = Arrays.copyOf(shape, shape.length - 1);
        return Fixtures.replace(in, name, Tensor.ofLabels(new long[rows.length == 0 ? 1 : rows[0]], rows));
    }

    private static final Pattern GROUP = Pattern.compile("\\[([^\\[\\]]*)\\]");

    /**
     * Ranks the first input must NOT have, from its catalog shape text: nothing for "any shape"
     * or open forms with "..."; for fixed forms ([N, C], [N, C] or [N, C, T]) one below the
     * smallest and one above the largest; for [N, C, *] one below the named dimensions.
     */
    static List<Integer> badRanks(String shapeText) {
        if (shapeText.contains("any") || shapeText.contains("...")) {
            return List.of();
        }
        Matcher m = GROUP.matcher(shapeText);
        TreeSet<Integer> fixed = new TreeSet<>();
        int openMin = -1;
        while (m.find()) {
            String[] parts = m.group(1).split(",");
            boolean shape = false;
            int named = 0;
            boolean open = false;
            for (String p : parts) {
                String s = p.trim();
                if (s.equals("*")) {
                    open = true;
                } else {
                    named++;
                }
                if (!s.isEmpty() && Character.isUpperCase(s.charAt(0))) {
                    shape = true;
                }
            }
            if (!shape) {
                continue; // a value range like [0, 1]
            }
            if (open) {
                openMin = openMin < 0 ? named : Math.min(openMin, named);
            } else {
                fixed.add(named);
            }
        }
        List<Integer> out = new ArrayList<>();
        if (openMin >= 0) {
            if (openMin >= 1) {
                out.add(openMin - 1);
            }
            return out;
        }
        if (fixed.isEmpty()) {
            return out;
        }
        if (fixed.first() >= 1) {
            out.add(fixed.first() - 1);
        }
        out.add(fixed.last() + 1);
        return out;
    }

    /** {@code t} in another rank: a trailing dimension of 1 added, or its first two dimensions merged (rank 0: one element). */
    static Tensor toRank(Tensor t, int rank) {
        int[] s = t.shape();
        if (rank > s.length) {
            int[] ns = Arrays.copyOf(s, rank);
            for (int i = s.length; i < rank; i++) {
                ns[i] = 1;
            }
            return Fixtures.reshape(t, ns);
        }
        if (rank == 0) {
            return Fixtures.sameType(t, new double[] {t.getDouble(0)});
        }
        int[] ns = new int[rank];
        int merge = s.length - rank + 1;
        int p = 1;
        for (int i = 0; i < merge; i++) {
            p *= s[i];
        }
        ns[0] = p;
        System.arraycopy(s, merge, ns, 1, rank - 1);
        return Fixtures.reshape(t, ns);
    }

    /** Values outside a spec's declared range (from {@link OptionSpec#allowed()}), NaN, and wrong types. */
    static List<Object> badValues(OptionSpec<?> spec) {
        String a = spec.allowed();
        Object def = spec.defaultValue();
        List<Object> out = new ArrayList<>();
        if (a.startsWith("one of")) {
            out.add("bogus_choice");
            out.add(3.0);
            return out;
        }
        if (a.equals("true or false")) {
            out.add("maybe");
            out.add(2.0);
            return out;
        }
        if (a.equals("a list of numbers")) {
            out.add("x, y");
            out.add(List.of("a"));
            out.add(List.of(1.0, Double.POSITIVE_INFINITY)); // every element finite
            return out;
        }
        String each = "a non-empty list of numbers, each ";
        if (a.startsWith(each)) {
            out.add("x, y");
            out.add(List.of("a"));
            out.add(List.of(1.0, Double.POSITIVE_INFINITY));
            out.add(List.of());
            out.add(null);
            // an element outside the elements' range
            for (Object v : outOfRange(spec.name(), a.substring(each.length()))) {
                out.add(List.of(1.0, v));
            }
            return out;
        }
        out.addAll(outOfRange(spec.name(), a));
        if (!(def instanceof Boolean) && !(def instanceof String)) {
            // every number option is finite, whatever its range ("1e999" parses as Infinity), but one
            // that says it takes ±Infinity; NaN never
            out.add(Double.NaN);
            if (!a.endsWith("-Infinity or Infinity")) {
                out.add(Double.POSITIVE_INFINITY);
                out.add(Double.NEGATIVE_INFINITY);
                out.add("1e999");
            }
            out.add("not a number");
        }
        return out;
    }

    /** Finite numbers outside a numeric range, from its text. */
    static List<Object> outOfRange(String option, String a) {
        List<Object> out = new ArrayList<>();
        switch (a) {
            case "> 0":
                out.add(0.0);
                out.add(-1.0);
                break;
            case ">= 0":
                out.add(-0.5);
                break;
            case "in [0, 1]":
                out.add(-0.1);
                out.add(1.1);
                break;
            case "in (0, 1)":
                out.add(0.0);
                out.add(1.0);
                break;
            case "in (1, 2)":
                out.add(1.0);
                out.add(2.0);
                out.add(0.5);
                break;
            case "in (0, 1]":
                out.add(0.0);
                out.add(1.5);
                break;
            case "in [0, 1)":
                out.add(-0.1);
                out.add(1.0);
                break;
            case "in [-1, 1]":
                out.add(-1.5);
                out.add(1.1);
                break;
            case "< 1":
                out.add(1.0);
                break;
            case ">= 1":
                out.add(0.5);
                break;
            case "1 or 2":
                out.add(3.0);
                out.add(0.0);
                break;
            case "an odd integer >= 1":
                out.add(4.0);
                out.add(-1.0);
                out.add(2.5);
                break;
            case "in [-1e15, 1e15]":
                out.add(2e15);
                out.add(-2e15);
                break;
            case "in [-1e15, 1e15], -Infinity or Infinity": // robust's α: ±∞ are its Welsch and exp limits
                out.add(2e15);
                out.add(-2e15);
                break;
            case "in [0, 1e15]":
                out.add(-0.5);
                out.add(2e15);
                break;
            case "in (0, 1e15]":
                out.add(0.0);
                out.add(2e15);
                break;
            case ">= 1e-8":
                out.add(0.0);
                out.add(1e-9);
                break;
            case ">= 1e-100":
                out.add(0.0);
                out.add(1e-101);
                break;
            case "in [1e-100, 1e15]":
                out.add(0.0);
                out.add(1e-101);
                out.add(2e15);
                break;
            case "in [1e-100, 1e4]":
                out.add(0.0);
                out.add(-1.0);
                out.add(2e4);
                break;
            case "a number":
                break;
            default:
                throw new AssertionError("option " + option + ": unknown range text '" + a
                        + "': teach ValidationTest.outOfRange what it refuses");
        }
        return out;
    }

    private static List<String> reductionsToTry(LossInfo info) {
        List<String> out = new ArrayList<>();
        for (OptionSpec<?> s : info.options()) {
            if (s.name().equals("reduction")) {
                String a = s.allowed().replace("one of ", "");
                out.addAll(Arrays.asList(a.split(", ")));
                return out;
            }
        }
        out.add(null);
        return out;
    }

    /** An always-scalar loss that is a sum (its empty value is 0), per its divisor text. */
    private static boolean sumOnly(LossInfo info) {
        String d = info.divisor();
        return d.contains("no mean") || d.contains("a sum over");
    }

    private static boolean hasOption(LossInfo info, String n) {
        return info.options().stream().anyMatch(o -> o.name().equals(n));
    }

    private static String firstIntegerInput(LossInfo info) {
        // cross_entropy declares its target floating (it also takes probabilities): the label input is "target"
        return info.inputs().stream().filter(s -> s.integerType() == DType.INT64).findFirst().map(s -> s.name())
                .orElse("target");
    }

    private static List<String> names(LossInfo info) {
        List<String> n = new ArrayList<>();
        for (LossInfo.InputSpec s : info.inputs()) {
            n.add(s.name());
        }
        return n;
    }

    // ---------------------------------------------------------------- assertions

    /** A dynamic test whose failure message starts with the loss and the test's name. */
    static DynamicTest test(String loss, String display, org.junit.jupiter.api.function.Executable body) {
        return DynamicTest.dynamicTest(display, () -> {
            try {
                body.execute();
            } catch (AssertionError e) {
                throw new AssertionError(loss + ": " + display + ": " + e.getMessage(), e);
            }
        });
    }

    static Loss create(String name, Map<String, Object> opts) {
        return Losses.create(name, opts);
    }

    interface Call {
        void run();
    }

    /** Asserts a refusal of the given kind whose message contains at least one of {@code anyOf}. */
    static LossException refused(ErrorKind kind, Call call, String... anyOf) {
        LossException e = assertThrows(LossException.class, call::run, "expected a refusal (" + kind.label() + ")");
        assertEquals(kind, e.kind(), "kind of: " + e.getMessage());
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "empty message");
        boolean named = anyOf.length == 0;
        for (String f : anyOf) {
            named |= e.getMessage().contains(f);
        }
        assertTrue(named, "message '" + e.getMessage() + "' names none of " + Arrays.toString(anyOf));
        return e;
    }

    /** {@code name[i]} or {@code name[i, j, ...]} as the messages write an element. */
    static String at(String name, Tensor t, int flat) {
        return org.losses4j.Check.at(name, t, flat);
    }

    static String fmtInt(double v) {
        return v == Math.rint(v) && !Double.isInfinite(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
