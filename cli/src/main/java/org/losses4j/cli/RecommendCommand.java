package org.losses4j.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.losses4j.Losses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code losses recommend}: which loss to use for a task, with the reason and options. */
@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = "Recommend a loss for a task, from the seed documents' guidance.")
final class RecommendCommand implements Callable<Integer> {
    @Option(names = "--task", required = true, paramLabel = "T",
            description = "regression, binary, multiclass, multilabel, count, segmentation, detection, sequence, "
                    + "metric, ranking, density, generative, preference, rl")
    String task;

    @Option(names = "--imbalanced", description = "rare positive class / small foreground")
    boolean imbalanced;

    @Option(names = "--outliers", description = "gross errors in the targets")
    boolean outliers;

    @Option(names = "--overconfident", description = "the model's probabilities are too confident")
    boolean overconfident;

    @Option(names = "--probabilistic", description = "predict a distribution (e.g. a variance), not a point")
    boolean probabilistic;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<Recommender.Recommendation> recs = Recommender.recommend(task,
                new Recommender.Traits(imbalanced, outliers, overconfident, probabilistic));
        var out = spec.commandLine().getOut();
        int i = 1;
        for (Recommender.Recommendation r : recs) {
            String fam = Losses.exists(r.loss()) ? Losses.info(r.loss()).family().label() : "?";
            out.printf("%d. %s  [%s]%n", i++, r.loss(), fam);
            out.printf("   why:     %s%n", r.reason());
            if (!r.options().isEmpty()) {
                out.printf("   set:     %s%n", r.options());
            }
            out.printf("   try:     losses describe %s%n", r.loss());
        }
        return 0;
    }
}
