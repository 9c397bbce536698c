package org.losses4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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
        var out = spec.commandLine().getOut();
        if (scripting.json) {
            Scripting.printJson(out, json(i));
            return 0;
        }
        if (scripting.quiet) {
            out.printf("%s: %s%n", i.name(), i.formula());
            return 0;
        }
        out.printf("%s  (%s)%n", i.name(), i.family().title());
        out.printf("  %s%n%n", i.summary());
        out.printf("definition   %s%n", i.formula());
        out.printf("mean         %s%n", i.divisor());
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
        out.printf("  differentiable %s, convex %s, robust to outliers %s%s%n", yes(i.differentiable()),
                yes(i.convex()), yes(i.robustToOutliers()), i.elementwise() ? ", elementwise (gives the Hessian)" : "");
        if (!i.tasks().isEmpty()) {
            out.printf("typical tasks %s%n", String.join("; ", i.tasks()));
        }
        if (!i.reference().isEmpty()) {
            out.printf("reference    %s%n", i.reference());
        }
        return 0;
    }

    /** The description as a JSON-ready map (the same fields as the text). */
    static Map<String, Object> json(LossInfo i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", i.name());
        m.put("family", i.family().label());
        m.put("summary", i.summary());
        m.put("definition", i.formula());
        m.put("mean", i.divisor());
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
        props.put("convex", i.convex());
        props.put("robust_to_outliers", i.robustToOutliers());
        props.put("elementwise", i.elementwise());
        m.put("properties", props);
        m.put("tasks", i.tasks());
        m.put("reference", i.reference());
        return m;
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }
}
