package org.losses4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.losses4j.Losses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code losses recommend}: which loss to use for a task, with the reason and options. */
@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = {"Recommend a loss for a task: the loss literature's guidance, ranked by what losses demo"
                + " measured where it measured it.", "  losses recommend --task binary --imbalanced",
            "  losses recommend --task ranking --json"})
final class RecommendCommand implements Callable<Integer> {
    @Option(names = "--task", required = true, paramLabel = "T",
            description = "regression, binary, multiclass, multilabel, count, segmentation, detection, image, sequence, "
                    + "language, metric, ranking, density, generative, preference, rl, survival (also: classification = "
                    + "multiclass, speech = sequence, llm = language, restoration = image, time_to_event = survival)")
    String task;

    @Option(names = "--imbalanced", description = "rare positive class / small foreground (binary, multilabel, "
            + "multiclass, segmentation)")
    boolean imbalanced;

    @Option(names = "--outliers", description = "gross errors in the targets (regression)")
    boolean outliers;

    @Option(names = "--overconfident", description = "the model's probabilities are too confident (classification, "
            + "language)")
    boolean overconfident;

    @Option(names = "--probabilistic", description = "predict a distribution (e.g. a variance), not a point "
            + "(regression)")
    boolean probabilistic;

    @Option(names = "--noisy", description = "some training labels are wrong (multiclass)")
    boolean noisy;

    @picocli.CommandLine.Mixin
    Scripting scripting;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Recommender.Traits traits = new Recommender.Traits(imbalanced, outliers, overconfident, probabilistic, noisy);
        List<Recommender.Recommendation> recs = Recommender.recommend(task, traits);
        var out = spec.commandLine().getOut();
        if (scripting.json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("task", Recommender.canonical(task));
            List<String> flags = new ArrayList<>();
            traits.flags().forEach((f, on) -> {
                if (on) {
                    flags.add(f.substring(2));
                }
            });
            doc.put("traits", flags);
            List<Map<String, Object>> list = new ArrayList<>();
            int rank = 1;
            for (Recommender.Recommendation r : recs) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("rank", rank++);
                m.put("loss", r.loss());
                m.put("family", family(r));
                m.put("set", r.options());
                m.put("why", r.reason());
                list.add(m);
            }
            doc.put("recommendations", list);
            Scripting.printJson(out, doc);
            return 0;
        }
        if (scripting.quiet) {
            recs.stream().map(Recommender.Recommendation::loss).distinct().forEach(out::println);
            return 0;
        }
        int i = 1;
        for (Recommender.Recommendation r : recs) {
            out.printf("%d. %s  [%s]%n", i++, r.loss(), family(r));
            out.printf("   why:     %s%n", r.reason());
            if (!r.options().isEmpty()) {
                out.printf("   set:     %s%n", r.options());
            }
            out.printf("   try:     losses describe %s%n", r.loss());
        }
        return 0;
    }

    private static String family(Recommender.Recommendation r) {
        return Losses.exists(r.loss()) ? Losses.info(r.loss()).family().label() : "?";
    }
}
