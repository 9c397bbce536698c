package org.losses4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.losses4j.LossInfo;
import org.losses4j.Losses;

/** describe: a Java and a command-line example per loss, and the properties checked against the losses. */
class DescribeTest {
    @TempDir
    Path dir;

    @Test
    void everyLossHasAJavaAndACommandLineExample() {
        for (LossInfo i : Losses.catalog()) {
            CliTest.Run r = CliTest.run("describe", i.name());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).as(i.name()).contains("example, Java\n  Loss loss = Losses.create(\"" + i.name() + "\"")
                    .contains("example, command line\n  losses eval " + i.name() + " --input ");
        }
    }

    /** The Java example's Map.of literal, parsed as Java would type it. */
    static Map<String, Object> javaOptions(String example) {
        Map<String, Object> m = new LinkedHashMap<>();
        Matcher x = Pattern.compile("Map\\.of\\(\"([a-z_0-9]+)\", (\"[^\"]*\"|[^)]+)\\)").matcher(example);
        if (x.find()) {
            String v = x.group(2);
            Object value = v.startsWith("\"") ? v.substring(1, v.length() - 1)
                    : v.equals("true") || v.equals("false") ? (Object) Boolean.valueOf(v)
                    : v.contains(".") ? (Object) Double.valueOf(v) : (Object) Integer.valueOf(v);
            m.put(x.group(1), value);
        }
        return m;
    }

    @Test
    void theJavaExamplesOptionsAreAcceptedAsWritten() {
        for (LossInfo i : Losses.catalog()) {
            String java = String.join("\n", DescribeCommand.javaExample(i));
            Map<String, Object> opts = javaOptions(java);
            assertThat(opts.isEmpty()).as(java).isEqualTo(DescribeCommand.exampleOptions(i).isEmpty());
            assertThat(i.create(opts)).as(i.name() + " " + opts).isNotNull();
            for (LossInfo.InputSpec s : i.inputs()) {
                if (s.required()) {
                    assertThat(java).contains("\"" + s.name() + "\"");
                }
            }
        }
    }

    /** The typed form names the loss's class, its builder and the setter of the option the example sets. */
    @Test
    void theJavaExamplesTypedFormNamesRealClassesAndSetters() throws Exception {
        Pattern typed = Pattern.compile("// or typed \\(([\\w.]+)\\): (\\w+)\\.builder\\(\\)(?:\\.(\\w+)\\(([^)]*)\\))?\\.build\\(\\)");
        for (LossInfo i : Losses.catalog()) {
            String java = String.join("\n", DescribeCommand.javaExample(i));
            Matcher m = typed.matcher(java);
            assertThat(m.find()).as(java).isTrue();
            Class<?> c = Class.forName(m.group(1));
            assertThat(c.getSimpleName()).isEqualTo(m.group(2));
            assertThat(i.create(i.exampleOptions()).getClass()).as(i.name()).isEqualTo(c);
            Class<?> builder = c.getMethod("builder").getReturnType();
            if (m.group(3) != null) {
                assertThat(Arrays.stream(builder.getMethods()).anyMatch(x -> x.getName().equals(m.group(3))
                        && x.getParameterCount() == 1)).as(java).isTrue();
            }
        }
    }

    @Test
    void theCommandLineExampleRunsForEveryElementwiseLoss() throws Exception {
        List<String> ran = new ArrayList<>();
        for (LossInfo i : Losses.catalog()) {
            if (!i.hessian()) {
                continue;
            }
            String example = DescribeCommand.cliExample(i);
            List<String> args = new ArrayList<>();
            for (String a : example.substring("losses ".length()).split(" ")) {
                Matcher f = Pattern.compile("^(?:([a-z_]+)=)?([a-z_]+)\\.csv$").matcher(a);
                if (f.matches()) {
                    Path p = dir.resolve(i.name() + "-" + f.group(2) + ".csv");
                    if (!f.group(2).equals("grad")) {
                        Files.writeString(p, f.group(2).equals("target") ? "1\n1\n1\n" : "0.5\n0.25\n0.75\n");
                    }
                    a = (f.group(1) == null ? "" : f.group(1) + "=") + p;
                }
                args.add(a);
            }
            CliTest.Run r = CliTest.run(args.toArray(String[]::new));
            assertThat(r.code()).as(example + ": " + r.err()).isZero();
            assertThat(dir.resolve(i.name() + "-grad.csv")).exists();
            ran.add(i.name());
        }
        assertThat(ran).contains("mse", "huber", "bce_with_logits", "focal", "hinge");
    }

    /**
     * The catalog's "robust to outliers" by its stated rule, measured on each loss of one
     * variable: a regression loss grows at most linearly in the residual; a classification
     * loss stays bounded however wrong the score (or probability).
     */
    @Test
    void robustToOutliersFollowsTheStatedRuleForEveryLossOfOneVariable() {
        List<String> checked = new ArrayList<>();
        for (LossInfo i : Losses.catalog()) {
            PlotCommand.Axis axis;
            try {
                axis = PlotCommand.axisOf(i);
            } catch (UserError notOneVariable) {
                continue;
            }
            if (i.inputs().stream().filter(LossInfo.InputSpec::required).count() > 2
                    || i.name().startsWith("rmse") || i.name().equals("rmsle") || axis == PlotCommand.Axis.LOG1P
                    || axis == PlotCommand.Axis.DISTRIBUTION
                    || (axis == PlotCommand.Axis.PROBABILITY && !i.name().equals("bce"))) {
                // rmse/rmsle: sqrt of a mean, whose minimiser is mse's/msle's; msle: log axis; overlap and
                // divergence losses: the rule is for regression and classification losses
                continue;
            }
            boolean robust;
            switch (axis) {
                case RESIDUAL:
                    // linear growth: the loss at 1e6 is at most ~1000x the loss at 1e3
                    robust = value(i, axis, 1e6) / value(i, axis, 1e3) < 1e3 * 1.5;
                    break;
                case LOG_MEAN:
                    // a log-mean score: linear growth on both sides (gamma is linear above, exponential below)
                    robust = value(i, axis, 1e6) / value(i, axis, 1e3) < 1e3 * 1.5
                            && value(i, axis, -1e6) / value(i, axis, -1e3) < 1e3 * 1.5;
                    break;
                case PROBABILITY:
                    robust = value(i, axis, 1e-30) < 1.5 * value(i, axis, 1e-3);
                    break;
                default:
                    // bounded: the loss at a score of −1e6 is about the loss at −1e3
                    robust = value(i, axis, -1e6) < 1.5 * value(i, axis, -1e3);
                    break;
            }
            assertThat(i.robustToOutliers()).as(i.name() + " on " + axis.label).isEqualTo(robust);
            checked.add(i.name());
        }
        assertThat(checked).contains("mse", "mae", "huber", "bce_with_logits", "focal", "hinge", "ramp", "soft_margin",
                "zero_one", "cross_entropy");
        assertThat(CliTest.run("describe", "bce_with_logits").out()).contains("robust to outliers no");
    }

    static double value(LossInfo i, PlotCommand.Axis axis, double x) {
        return i.create().compute(PlotCommand.inputs(axis, x)).value();
    }
}
