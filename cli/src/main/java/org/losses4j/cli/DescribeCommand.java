package org.losses4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.losses4j.Aliases;
import org.losses4j.LossInfo;
import org.losses4j.Losses;
import org.losses4j.OptionSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code losses describe NAME}: formula, inputs, options with defaults, properties. */
@Command(name = "describe", mixinStandardHelpOptions = true, description = {"Describe one loss.", "  losses describe huber", "  losses describe huber --json"})
final class DescribeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "a loss name from `losses list`")
    String name;

    @picocli.CommandLine.Mixin
    Scripting scripting;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        LossInfo i = Losses.info(name);
        Aliases.Alias alias = Aliases.find(name);
        var out = spec.commandLine().getOut();
        if (scripting.json) {
            Map<String, Object> m = json(i);
            if (alias != null) {
                m.put("alias", aliasJson(alias));
            }
            Scripting.printJson(out, m);
            return 0;
        }
        if (scripting.quiet) {
            out.printf("%s: %s%n", i.name(), i.formula());
            return 0;
        }
        if (alias != null) {
            out.println(aliasLine(alias));
        }
        out.printf("%s  (%s)%n", i.name(), i.family().title());
        out.printf("  %s%n%n", i.summary());
        List<Aliases.Alias> names = Aliases.of(i.name());
        if (!names.isEmpty()) {
            out.printf("aliases      %s%n", String.join(", ", names.stream().map(a -> a.name() + " ("
                    + a.framework().label() + ")").toList()));
        }
        out.printf("definition   %s%n", i.formula());
        out.printf("mean         %s%n", i.divisor());
        out.printf("terms        %s%n", terms(i));
        out.println("inputs");
        for (LossInfo.InputSpec s : i.inputs()) {
            out.printf("  %-28s %s%s%s%n", s.name(), s.shape(), s.required() ? "" : " (optional)",
                    s.differentiable() ? "  [gradient]" : "");
        }
        out.println("options");
        if (i.options().isEmpty()) {
            out.println("  (none)");
        }
        for (OptionSpec<?> o : i.options()) {
            out.printf("  %-16s default %-10s %s; %s%n", o.name(), o.defaultText(), o.allowed(), o.description());
        }
        out.println("properties");
        out.printf("  differentiable %s, convex %s, robust to outliers %s%s%n", i.kinks() ? "almost everywhere (a subgradient at its kinks)" : yes(i.differentiable()),
                yes(i.convex()), yes(i.robustToOutliers()), i.hessian() ? ", elementwise (gives the Hessian)" : "");
        out.printf("  (robust: %s)%n", ROBUST);
        if (!i.tasks().isEmpty()) {
            out.printf("typical tasks %s%n", String.join("; ", i.tasks()));
        }
        if (!i.reference().isEmpty()) {
            out.printf("reference    %s%n", i.reference());
        }
        out.println("example, Java");
        for (String line : javaExample(i)) {
            out.println("  " + line.replace("\n", "\n  "));
        }
        out.println("example, command line");
        out.println("  " + cliExample(i));
        return 0;
    }

    /** {@code alias of mse (PyTorch torch.nn.MSELoss): the same defaults; the same definition}. */
    static String aliasLine(Aliases.Alias a) {
        return "alias of " + a.target() + " (" + a.framework().label() + " " + a.qualifiedName() + "): " + a.summary();
    }

    /** An alias as a JSON-ready map. */
    static Map<String, Object> aliasJson(Aliases.Alias a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", a.name());
        m.put("framework", a.framework().label());
        m.put("peer", a.qualifiedName());
        m.put("loss", a.target());
        m.put("options", a.options());
        m.put("note", a.note());
        return m;
    }

    /** What "robust to outliers" means in the catalog (checked for every loss by DescribeTest). */
    static final String ROBUST = "a regression loss that grows at most linearly in the residual, so one gross error"
            + " has bounded pull; a classification or ranking loss that stays bounded however wrong the score,"
            + " so a mislabelled example has bounded pull";

    /**
     * The option an example sets, as {name, value as text}: the first option other than reduction
     * with a default, at its default; none when there is no such option.
     */
    static Map<String, String> exampleOptions(LossInfo i) {
        Map<String, String> m = new LinkedHashMap<>();
        i.options().stream().filter(o -> !o.name().equals("reduction") && o.defaultValue() != null
                && !(o.defaultValue() instanceof double[])).findFirst()
                .ifPresent(o -> m.put(o.name(), o.defaultValue() instanceof String ? "\"" + o.defaultText() + "\""
                        : o.defaultText()));
        return m;
    }

    /** The required inputs, in the catalog's order. */
    private static List<LossInfo.InputSpec> required(LossInfo i) {
        return i.inputs().stream().filter(LossInfo.InputSpec::required).toList();
    }

    /** A Java example: create with an option, compute on named tensors, read value and gradient. */
    static List<String> javaExample(LossInfo i) {
        StringBuilder opts = new StringBuilder();
        exampleOptions(i).forEach((k, v) -> opts.append(", Map.of(\"").append(k).append("\", ")
                .append(v).append(')'));
        List<String> lines = new ArrayList<>();
        lines.add("Loss loss = Losses.create(\"" + i.name() + "\"" + opts + ");");
        Class<?> c = i.create(i.exampleOptions()).getClass();
        StringBuilder typed = new StringBuilder();
        exampleOptions(i).forEach((k, v) -> typed.append('.').append(OptionSpec.javaName(k)).append('(').append(v).append(')'));
        lines.add("// or typed (" + c.getName() + "): " + c.getSimpleName() + ".builder()" + typed + ".build()");
        StringBuilder in = new StringBuilder();
        List<LossInfo.InputSpec> req = required(i);
        for (int k = 0; k < req.size(); k++) {
            String n = req.get(k).name();
            in.append(k == 0 ? "Inputs.of(" : k >= 2 ? "\n        .with(" : ".with(").append('"').append(n).append("\", ").append(OptionSpec.javaName(n))
                    .append(')');
        }
        lines.add("// one Tensor per input: Tensor.of(data, shape...), Tensor.vector(data), Tensor.labels(...)");
        lines.add("LossResult r = loss.compute(" + in + ");");
        String first = i.inputs().get(0).name();
        lines.add("double value = r.value();" + (i.inputs().get(0).differentiable()
                ? "  Tensor grad = r.grad(\"" + first + "\");" : ""));
        return lines;
    }

    /** The same call with {@code losses eval}. */
    static String cliExample(LossInfo i) {
        StringBuilder c = new StringBuilder("losses eval " + i.name());
        List<LossInfo.InputSpec> req = required(i);
        for (int k = 0; k < req.size(); k++) {
            String n = req.get(k).name();
            c.append(k == 0 ? " --input " + n + ".csv" : n.equals("target") ? " --target target.csv"
                    : " --input-file " + n + "=" + n + ".csv");
        }
        exampleOptions(i).forEach((k, v) -> c.append(" -o ").append(k).append('=').append(v.replace("\"", "")));
        if (i.inputs().get(0).differentiable()) {
            c.append(" --grad grad.csv");
        }
        return c.toString();
    }

    /** How the terms lie over the inputs, in words (what eval can stream, what a reduction none returns). */
    static String terms(LossInfo i) {
        String what;
        switch (i.layout()) {
            case ELEMENT:
                what = "one per element of input";
                break;
            case ROW:
                what = "one per row (sample) of dimension 0";
                break;
            case SAMPLE:
                what = "one per sample of the batch";
                break;
            case REGION:
                what = "a mean over regions of sums over their pixels";
                break;
            default:
                what = "one number from the whole input";
        }
        return what + (i.reducible() ? "; reductions " + String.join(", ", i.reductions().stream()
                .map(org.losses4j.Reduction::label).toList()) : "; always a scalar")
                + (StreamingEval.supports(i, Map.of()) ? "; eval streams long files" : "");
    }

    /** The description as a JSON-ready map (the same fields as the text). */
    static Map<String, Object> json(LossInfo i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", i.name());
        m.put("family", i.family().label());
        m.put("summary", i.summary());
        m.put("definition", i.formula());
        m.put("mean", i.divisor());
        m.put("layout", i.layout().name().toLowerCase(java.util.Locale.ROOT));
        m.put("reductions", i.reductions().stream().map(org.losses4j.Reduction::label).toList());
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (LossInfo.InputSpec s : i.inputs()) {
            Map<String, Object> in = new LinkedHashMap<>();
            in.put("name", s.name());
            in.put("shape", s.shape());
            in.put("required", s.required());
            in.put("differentiable", s.differentiable());
            inputs.add(in);
        }
        m.put("inputs", inputs);
        List<Map<String, Object>> options = new ArrayList<>();
        for (OptionSpec<?> o : i.options()) {
            Map<String, Object> op = new LinkedHashMap<>();
            op.put("name", o.name());
            op.put("default", o.defaultText());
            op.put("allowed", o.allowed());
            op.put("description", o.description());
            options.add(op);
        }
        m.put("options", options);
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("differentiable", i.differentiable());
        props.put("kinks", i.kinks());
        props.put("convex", i.convex());
        props.put("robust_to_outliers", i.robustToOutliers());
        props.put("elementwise", i.hessian());
        m.put("properties", props);
        m.put("aliases", Aliases.of(i.name()).stream().map(Aliases.Alias::name).toList());
        m.put("tasks", i.tasks());
        m.put("reference", i.reference());
        m.put("example_java", String.join("\n", javaExample(i)));
        m.put("example_cli", cliExample(i));
        return m;
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }
}
