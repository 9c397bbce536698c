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

    @Option(names = "--markdown", description = "print a Markdown table (name, family, definition, options)")
    boolean markdown;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<LossInfo> infos = family == null ? Losses.catalog() : Losses.family(Family.parse(family));
        var out = spec.commandLine().getOut();
        if (markdown) {
            out.println("| loss | family | definition | options (default) |");
            out.println("|---|---|---|---|");
            for (LossInfo i : infos) {
                StringBuilder opts = new StringBuilder();
                for (var o : i.options()) {
                    opts.append(opts.length() == 0 ? "" : ", ").append(o.name()).append(" (").append(o.defaultText())
                            .append(')');
                }
                out.printf("| `%s` | %s | %s | %s |%n", i.name(), i.family().label(),
                        i.formula().replace("|", "\\|"), opts.length() == 0 ? "—" : opts);
            }
            return 0;
        }
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
