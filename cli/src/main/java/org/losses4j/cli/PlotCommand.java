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
        description = {"Plot losses and their gradients.", "  losses plot mse mae huber log_cosh --out reg.png",
            "  losses plot bce_with_logits hinge zero_one --margin --out margin.svg",
            "  losses plot focal --sweep gamma=0,1,2,5", "  losses plot dice jaccard", "  losses plot kl_div js_div"})
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

    @Option(names = "--sweep", paramLabel = "KEY=V1,V2,...", description = "one loss at several values of one"
            + " option, one curve each, e.g. --sweep gamma=0,1,2,5")
    String sweep;

    @Option(names = "--margin", description = "plot margin-based classifiers over the margin y·x (score of the true"
            + " class): ±1-label losses, logit losses with label 1, two-class score losses together")
    boolean margin;

    @Option(names = "--points", defaultValue = "401", description = "samples per curve (default ${DEFAULT-VALUE})")
    int points;

    @Spec
    CommandSpec spec;

    /** How one loss becomes a function of one variable: one axis per {@link LossInfo.Variable} but NONE. */
    enum Axis {
        RESIDUAL("residual x − y", -3, 3, 0.0),
        MARGIN("margin y·x (target +1)", -3, 3, 1.0),
        LOGIT("logit z (target 1)", -6, 6, 1.0),
        PROBABILITY("predicted probability p (target 1)", 0.001, 0.999, 1.0),
        LOG1P("prediction x (target 0), x > −1", -0.9, 3, 0.0),
        LOG_MEAN("score f = log μ (target 1)", -3, 3, 1.0),
        TWO_CLASS("true-class logit margin (2 classes)", -6, 6, 0.0),
        DISTRIBUTION("predicted probability q of outcome 1 of 2 (target P = (0.7, 0.3))", 0.01, 0.99, 0.7),
        DISSIMILAR("distance x of a dissimilar pair (target −1)", -1, 3, -1.0);

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

        /** The axes whose variable is the true class's margin (so --margin can share one chart). */
        boolean isMargin() {
            return this == MARGIN || this == LOGIT || this == TWO_CLASS;
        }
    }

    /** The margin axis shared by --margin. */
    static final String MARGIN_LABEL = "margin y·x (score of the true class: ±1 labels, the logit with label 1,"
            + " or the 2-class logit difference)";

    static Axis axisOf(LossInfo info) {
        if (info.variable() == LossInfo.Variable.NONE) {
            throw new UserError("plot draws losses of one variable (elementwise losses, two-class scores,"
                    + " overlap and two-outcome divergence losses); " + info.name() + " is not one: its"
                    + " inputs are " + info.inputs().stream().map(LossInfo.InputSpec::name).toList());
        }
        return Axis.valueOf(info.variable().name());
    }

    /** One curve to draw: a loss with its options. */
    record Curve(String label, LossInfo info, Map<String, Object> options) {
    }

    @Override
    public Integer call() throws Exception {
        Charts.checkOutput(out, "--out");
        if (names.size() != new java.util.HashSet<>(names).size()) {
            throw new UserError("a loss is named twice in " + String.join(" ", names) + "; name each once");
        }
        for (String k : options.keySet()) {
            if (names.stream().noneMatch(n -> hasOption(Losses.info(n), k))) {
                throw new UserError("-o " + k + ": no plotted loss has the option " + k + " ("
                        + String.join(", ", names) + "; see losses describe NAME)");
            }
        }
        List<Curve> curves = curves();
        Axis axis = null;
        for (String n : names) {
            Axis a = axisOf(Losses.info(n));
            if (margin && !a.isMargin()) {
                throw new UserError("--margin plots classifiers of a score; " + n + " is plotted over the "
                        + a.label);
            }
            if (axis != null && a != axis && !(a.isMargin() && axis.isMargin())) {
                throw new UserError("cannot plot " + n + " (" + a.label + ") on the same axis as " + names.get(0)
                        + " (" + axis.label + "); margin-based classifiers share one with --margin");
            }
            axis = axis == null ? a : axis;
        }
        boolean shared = margin || names.stream().map(n -> axisOf(Losses.info(n))).distinct().count() > 1;
        String xLabel = shared ? MARGIN_LABEL : axis.label;
        double lo = shared ? Axis.MARGIN.lo : axis.lo;
        double hi = shared ? Axis.MARGIN.hi : axis.hi;
        if (range != null) {
            String[] p = range.split(":");
            try {
                lo = Double.parseDouble(p[0]);
                hi = Double.parseDouble(p[1]);
            } catch (RuntimeException e) {
                throw new UserError("--range '" + range + "' is not a:b");
            }
            if (!(hi > lo)) {
                throw new UserError("--range '" + range + "' needs a < b");
            }
            if (!Double.isFinite(lo) || !Double.isFinite(hi) || !Double.isFinite(hi - lo)) {
                throw new UserError("--range '" + range + "' must be finite (and b − a too)");
            }
        }
        if (points < 2 || points > 100_000) {
            throw new UserError("--points " + points + " must be in [2, 100000]");
        }
        double[] xs = new double[points];
        for (int i = 0; i < points; i++) {
            xs[i] = lo + (hi - lo) * i / (points - 1);
        }
        List<Charts.Series> values = new ArrayList<>();
        List<Charts.Series> grads = new ArrayList<>();
        for (Curve c : curves) {
            Axis a = axisOf(c.info());
            Loss loss = c.info().create(c.options());
            double[] v = new double[points];
            double[] g = new double[points];
            for (int i = 0; i < points; i++) {
                LossResult r = loss.compute(inputs(a, xs[i]));
                v[i] = r.value();
                g[i] = gradient(a, r.grad(c.info().inputs().get(0).name()), xs[i]);
                if (!Double.isFinite(v[i]) || !Double.isFinite(g[i])) {
                    throw new UserError(c.info().name() + " is " + (Double.isFinite(v[i])
                            ? "finite but its gradient is " + g[i] : v[i]) + " at x = " + xs[i]
                            + " (it overflows or leaves its domain there); plot a narrower --range");
                }
            }
            values.add(new Charts.Series(c.label(), xs, v));
            grads.add(new Charts.Series(c.label(), xs, g));
        }
        String what = curves.stream().map(Curve::label).collect(java.util.stream.Collectors.joining(", "));
        if (what.length() > 70) {
            what = what.substring(0, 67) + "...";
        }
        List<XYChart> charts = List.of(
                Charts.lineChart(what + ": loss", xLabel, "loss", values, 800, 420),
                Charts.lineChart(what + ": gradient", xLabel, "d loss / d x", grads, 800, 420));
        Charts.write(out, charts);
        spec.commandLine().getErr().println("wrote " + out);
        return 0;
    }

    private static boolean hasOption(LossInfo info, String k) {
        return info.options().stream().anyMatch(o -> o.name().equals(k));
    }

    /** The curves: each named loss with the -o options it has, or one loss at each --sweep value. */
    private List<Curve> curves() {
        List<Curve> curves = new ArrayList<>();
        if (sweep == null) {
            for (String n : names) {
                LossInfo info = Losses.info(n);
                Map<String, Object> opts = new LinkedHashMap<>();
                options.forEach((k, v) -> {
                    if (hasOption(info, k)) {
                        opts.put(k, v);
                    }
                });
                curves.add(new Curve(n + (opts.isEmpty() ? "" : " " + opts), info, opts));
            }
            return curves;
        }
        int eq = sweep.indexOf('=');
        if (eq <= 0 || eq == sweep.length() - 1) {
            throw new UserError("--sweep '" + sweep + "' is not KEY=V1,V2,...");
        }
        if (names.size() != 1) {
            throw new UserError("--sweep draws one loss at several option values; name one loss, not "
                    + names.size());
        }
        String key = sweep.substring(0, eq);
        LossInfo info = Losses.info(names.get(0));
        if (!hasOption(info, key)) {
            throw new UserError("--sweep " + key + ": " + info.name() + " has no option " + key + " (see losses"
                    + " describe " + info.name() + ")");
        }
        if (options.containsKey(key)) {
            throw new UserError("--sweep " + key + " and -o " + key + " both set " + key + "; give it once");
        }
        List<String> vals = List.of(sweep.substring(eq + 1).split(",", -1));
        if (vals.size() != new java.util.HashSet<>(vals).size() || vals.contains("")) {
            throw new UserError("--sweep " + sweep + ": each value once, none empty");
        }
        for (String v : vals) {
            Map<String, Object> opts = new LinkedHashMap<>(options);
            opts.put(key, v.strip());
            info.create(opts); // refuses a bad value before any work
            curves.add(new Curve(info.name() + " " + key + "=" + v.strip(), info, opts));
        }
        return curves;
    }

    /** One-element inputs at x for the axis's convention (mean of one term = the term). */
    static Inputs inputs(Axis axis, double x) {
        switch (axis) {
            case TWO_CLASS:
                return Inputs.of("input", Tensor.of(new double[] {x, 0}, 1, 2)).with("target", Tensor.labels(0));
            case PROBABILITY:
                return Inputs.of(Tensor.of(new double[] {x}, 1, 1), Tensor.of(new double[] {axis.target}, 1, 1));
            case DISTRIBUTION:
                return Inputs.of(Tensor.of(new double[] {Math.log(x), Math.log1p(-x)}, 1, 2),
                        Tensor.of(new double[] {axis.target, 1 - axis.target}, 1, 2));
            default:
                return Inputs.of(Tensor.vector(new double[] {x}), Tensor.vector(new double[] {axis.target}));
        }
    }

    /**
     * d loss / d x from the first input's gradient: for two-outcome distributions the input is
     * (log q, log(1 − q)), so by the chain rule g₀/q − g₁/(1 − q).
     */
    static double gradient(Axis axis, Tensor g, double x) {
        if (g == null) {
            return 0;
        }
        return axis == Axis.DISTRIBUTION ? g.getDouble(0) / x - g.getDouble(1) / (1 - x) : g.getDouble(0);
    }
}
