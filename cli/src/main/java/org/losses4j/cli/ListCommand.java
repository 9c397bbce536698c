package org.losses4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    @picocli.CommandLine.Mixin
    Scripting scripting;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<LossInfo> infos = family == null ? Losses.catalog() : Losses.family(Family.parse(family));
        var out = spec.commandLine().getOut();
        if (scripting.json) {
            List<Map<String, Object>> doc = new ArrayList<>();
            for (LossInfo i : infos) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", i.name());
                m.put("family", i.family().label());
                m.put("summary", i.summary());
                m.put("definition", i.formula());
                m.put("options", i.options().stream().map(o -> o.name()).toList());
                doc.add(m);
            }
            Scripting.printJson(out, doc);
            return 0;
        }
        if (scripting.quiet) {
            infos.forEach(i -> out.println(i.name()));
            return 0;
        }
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
        long families = infos.stream().map(LossInfo::family).distinct().count();
        scripting.info(spec.commandLine().getErr(), "losses4j catalog: " + Text.count(infos.size(), "loss", "losses")
                + " in " + Text.count(families, "family", "families")
                + ", by family (losses describe NAME shows one; --quiet prints the names only)");
        Family current = null;
        for (LossInfo i : infos) {
            if (i.family() != current) {
                current = i.family();
                out.println("[" + current.label() + "] " + current.title());
            }
            out.printf("  %-34s %s%n", i.name(), i.summary());
        }
        return 0;
    }
}
