package org.losses4j.cli;

import java.util.concurrent.Callable;
import org.losses4j.LossInfo;
import org.losses4j.Losses;
import org.losses4j.OptionSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code losses describe NAME}: formula, inputs, options with defaults, properties. */
@Command(name = "describe", mixinStandardHelpOptions = true, description = "Describe one loss.")
final class DescribeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "a loss name from `losses list`")
    String name;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        LossInfo i = Losses.info(name);
        var out = spec.commandLine().getOut();
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

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }
}
