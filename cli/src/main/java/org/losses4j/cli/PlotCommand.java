package org.losses4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code losses plot}: each loss and its gradient as curves of the residual (regression),
 * the margin y·x (±1 labels), the logit (0/1 labels) or the probability, several losses on one
 * chart. Losses over class scores are plotted as two-class problems with the true-class logit margin.
 */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = {"Plot losses and their gradients.", "  losses plot mse mae huber log_cosh --out reg.png"})
final class PlotCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "NAME", description = "losses to plot")
    List<String> names;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "losses.png", description = ".png or .svg (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--range", paramLabel = "a:b", description = "x range (default depends on the axis)")
    String range;

    @Option(names = {"-o", "--option"}, paramLabel = "KEY=VALUE", parameterConsumer = LossOptions.class,
            description = "an option (KEY=VALUE or KEY VALUE) applied to every plotted loss that has it; refused if"
                    + " none has it")
    Map<String, String> options = new LinkedHashMap<>();

    @Option(names = "--points", defaultValue = "401", description = "samples per curve")
    int points;

    @Spec
    CommandSpec spec;

    /** How one loss becomes a function of one variable. */
    enum Axis {
        RESIDUAL("residual x − y", -3, 3, 0.0),
        MARGIN("margin y·x (target +1)", -3, 3, 1.0),
        LOGIT("logit z (target 1)", -6, 6, 1.0),
        PROBABILITY("predicted probability p (target 1)", 0.001, 0.999, 1.0),
        LOG1P("prediction x (target 0), x > −1", -0.9, 3, 0.0),
        TWO_CLASS("true-class logit margin (2 classes)", -6, 6, 0.0);

        final String label;
        final double lo;
        final double hi;
        final double target;

        Axis(String label, double lo, double hi, double target) {
            this.label = label;
            this.lo = lo;
            this.hi = hi;
            this.target = target;
        }
    }

    static Axis axisOf(LossInfo info) {
        switch (info.name()) {
            case "hinge": case "squared_hinge": case "smooth_hinge": case "ramp": case "soft_margin": case "zero_one":
                return Axis.MARGIN;
            case "bce_with_logits": case "focal":
                return Axis.LOGIT;
            case "bce":
                return Axis.PROBABILITY;
            case "msle": case "rmsle":
                return Axis.LOG1P;
            case "cross_entropy": case "softmax_focal": case "multiclass_hinge": case "multi_margin":
                return Axis.TWO_CLASS;
            default:
                if (info.elementwise() || info.name().equals("rmse") || info.name().equals("poisson_nll")) {
                    return Axis.RESIDUAL;
                }
                throw new Main.UserError("plot draws losses of one variable (elementwise losses and two-class"
                        + " scores); " + info.name() + " is not one");
        }
    }

    @Override
    public Integer call() throws Exception {
        Charts.checkOutput(out, "--out");
        List<Charts.Series> values = new ArrayList<>();
        List<Charts.Series> grads = new ArrayList<>();
        if (names.size() != new java.util.HashSet<>(names).size()) {
            throw new Main.UserError("a loss is named twice in " + String.join(" ", names) + "; name each once");
        }
        for (String k : options.keySet()) {
            if (names.stream().noneMatch(n -> Losses.info(n).options().stream().anyMatch(o -> o.name().equals(k)))) {
                throw new Main.UserError("-o " + k + ": no plotted loss has the option " + k + " ("
                        + String.join(", ", names) + "; see losses describe NAME)");
            }
        }
        Axis axis = null;
        for (String n : names) {
            LossInfo info = Losses.info(n);
            Axis a = axisOf(info);
            if (axis != null && a != axis) {
                throw new Main.UserError("cannot plot " + n + " (" + a.label + ") on the same axis as " + names.get(0)
                        + " (" + axis.label + ")");
            }
            axis = a;
        }
        double lo = axis.lo;
        double hi = axis.hi;
        if (range != null) {
            String[] p = range.split(":");
            try {
                lo = Double.parseDouble(p[0]);
                hi = Double.parseDouble(p[1]);
            } catch (RuntimeException e) {
                throw new Main.UserError("--range '" + range + "' is not a:b");
            }
            if (!(hi > lo)) {
                throw new Main.UserError("--range '" + range + "' needs a < b");
            }
            if (!Double.isFinite(lo) || !Double.isFinite(hi) || !Double.isFinite(hi - lo)) {
                throw new Main.UserError("--range '" + range + "' must be finite (and b − a too)");
            }
        }
        if (points < 2 || points > 100_000) {
            throw new Main.UserError("--points " + points + " must be in [2, 100000]");
        }
        double[] xs = new double[points];
        for (int i = 0; i < points; i++) {
            xs[i] = lo + (hi - lo) * i / (points - 1);
        }
        for (String n : names) {
            LossInfo info = Losses.info(n);
            Map<String, Object> opts = new LinkedHashMap<>();
            options.forEach((k, v) -> {
                if (info.options().stream().anyMatch(o -> o.name().equals(k))) {
                    opts.put(k, v);
                }
            });
            Loss loss = info.create(opts);
            double[] v = new double[points];
            double[] g = new double[points];
            for (int i = 0; i < points; i++) {
                LossResult r = loss.compute(inputs(axis, xs[i]));
                v[i] = r.value();
                Tensor gt = r.grad(info.inputs().get(0).name());
                g[i] = gt == null ? 0 : gt.getDouble(0);
                if (!Double.isFinite(v[i]) || !Double.isFinite(g[i])) {
                    throw new Main.UserError(n + " is " + (Double.isFinite(v[i]) ? "finite but its gradient is "
                            + g[i] : v[i]) + " at x = " + xs[i] + " (it overflows or leaves its domain there);"
                            + " plot a narrower --range");
                }
            }
            String label = n + (opts.isEmpty() ? "" : " " + opts);
            values.add(new Charts.Series(label, xs, v));
            grads.add(new Charts.Series(label, xs, g));
        }
        List<XYChart> charts = List.of(
                Charts.lineChart("loss", axis.label, "loss", values, 800, 420),
                Charts.lineChart("gradient", axis.label, "d loss / d x", grads, 800, 420));
        Charts.write(out, charts);
        spec.commandLine().getErr().println("wrote " + out);
        return 0;
    }

    /** One-element inputs at x for the axis's convention (mean of one term = the term). */
    static Inputs inputs(Axis axis, double x) {
        if (axis == Axis.TWO_CLASS) {
            return Inputs.of("input", Tensor.of(new double[] {x, 0}, 1, 2)).with("target", Tensor.labels(0));
        }
        return Inputs.of(Tensor.vector(new double[] {x}), Tensor.vector(new double[] {axis.target}));
    }
}
