package org.losses4j.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.losses4j.Family;
import org.losses4j.LossInfo;
import org.losses4j.Losses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code losses list}: every registered loss with its family and summary. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the losses of the catalog.")
final class ListCommand implements Callable<Integer> {
    @Option(names = "--family", paramLabel = "F",
            description = "only this family: regression, classification, probabilistic, ranking, segmentation, "
                    + "generative, preference, regularization")
    String family;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<LossInfo> infos = family == null ? Losses.catalog() : Losses.family(Family.parse(family));
        var out = spec.commandLine().getOut();
        Family current = null;
        for (LossInfo i : infos) {
            if (i.family() != current) {
                current = i.family();
                out.println("[" + current.label() + "] " + current.title());
            }
            out.printf("  %-34s %s%n", i.name(), i.summary());
        }
        out.printf("%d losses%n", infos.size());
        return 0;
    }
}
