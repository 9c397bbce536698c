package org.losses4j.cli.demo;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code losses demo}: trains small models in pure Java with losses4j gradients on generated
 * data and prints, per experiment, the measured result of each loss and whether the
 * claim from the loss literature held in this run.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Train small models with different losses and show, measured, when each loss wins.",
            "  losses demo --quick", "  losses demo --report report.html --seed 7"})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "less data and fewer epochs (under 30 s)")
    boolean quick;

    @Option(names = "--report", paramLabel = "FILE.html", description = "write a self-contained HTML report")
    Path report;

    @Option(names = "--seed", defaultValue = "42", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--only", paramLabel = "K", split = ",", description = "run only these experiments (1-7)")
    List<Integer> only;

    @Spec
    CommandSpec spec;

    /** The experiments, in the order of the issue. */
    static List<Experiment> experiments() {
        return List.of(new RegressionOutliers(), new ImbalancedBinary(), new Calibration(), new Segmentation(),
                new MetricLearning(), new SparseRegression(), new PoissonCounts());
    }

    /** One finished experiment. */
    record Done(int index, Experiment experiment, Experiment.Outcome outcome, double seconds) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Experiment> all = experiments();
        if (only != null) {
            for (int k : only) {
                if (k < 1 || k > all.size()) {
                    throw new org.losses4j.cli.UserError("--only " + k + " is not an experiment (1-" + all.size() + ")");
                }
            }
        }
        if (report != null) {
            org.losses4j.cli.Text.checkWritable(report, "--report");
        }
        out.printf("losses4j demo: %s, seed %d%s%n%n",
                org.losses4j.cli.Text.count(only == null ? all.size() : only.size(), "experiment"), seed,
                quick ? ", quick" : "");
        out.flush();
        long t0 = System.nanoTime();
        List<Done> done = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (only != null && !only.contains(i + 1)) {
                continue;
            }
            Experiment e = all.get(i);
            int k = i + 1;
            long s = System.nanoTime();
            Experiment.Outcome o = e.run(seed + k, quick, what -> {
                err.printf("  [%d/%d] training with %s ...%n", k, all.size(), what);
                err.flush();
            });
            Done d = new Done(k, e, o, (System.nanoTime() - s) / 1e9);
            done.add(d);
            print(out, d);
            out.flush();
        }
        long borne = done.stream().filter(d -> d.outcome().borneOut).count();
        out.printf("summary: the claim held in %d of %d experiments; %.1f s in all%n", borne, done.size(),
                (System.nanoTime() - t0) / 1e9);
        if (report != null) {
            String html = Report.html(done, seed, quick);
            // a temporary file moved into place when complete, as every output of the tool
            try (org.losses4j.cli.OutputFiles.Sink sink = org.losses4j.cli.OutputFiles.open(report)) {
                sink.write(html.getBytes(StandardCharsets.UTF_8));
                sink.commit();
            }
            err.println("report: " + report);
        }
        out.flush();
        return 0;
    }

    static void print(PrintWriter out, Done d) {
        Experiment.Outcome o = d.outcome();
        out.printf("[%d] %s%n", d.index(), d.experiment().title());
        out.printf("    claim (loss literature): %s%n", d.experiment().claim());
        int nameWidth = 12;
        for (String r : o.rows.keySet()) {
            nameWidth = Math.max(nameWidth, r.length());
        }
        StringBuilder head = new StringBuilder(String.format("    %-" + nameWidth + "s", "loss"));
        for (String m : o.metrics) {
            head.append(String.format("  %" + Math.max(12, m.length()) + "s", m));
        }
        out.println(head);
        for (Map.Entry<String, double[]> r : o.rows.entrySet()) {
            StringBuilder row = new StringBuilder(String.format("    %-" + nameWidth + "s", r.getKey()));
            for (int m = 0; m < o.metrics.size(); m++) {
                row.append(String.format("  %" + Math.max(12, o.metrics.get(m).length()) + "s",
                        o.format(m, r.getValue()[m])));
            }
            out.println(row);
        }
        if (!o.rule.isEmpty()) {
            out.printf("    rule: %s%n", o.rule);
        }
        out.printf("    verdict: %s: %s  (%.1f s)%n%n", o.borneOut ? "BORNE OUT" : "NOT BORNE OUT", o.verdict,
                d.seconds());
    }
}
