package org.losses4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.losses4j.Aliases;
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

    @Option(names = "--aliases", description = "the PyTorch and Keras names of catalog losses, with the options"
            + " that give the peer's defaults (with --markdown: the page docs/aliases.md)")
    boolean aliases;

    @picocli.CommandLine.Mixin
    Scripting scripting;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (aliases) {
            return printAliases();
        }
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

    private int printAliases() {
        var out = spec.commandLine().getOut();
        if (scripting.json) {
            List<Map<String, Object>> doc = new ArrayList<>();
            for (Aliases.Alias a : Aliases.all()) {
                doc.add(DescribeCommand.aliasJson(a));
            }
            Scripting.printJson(out, doc);
        } else if (markdown) {
            out.print(aliasesMarkdown());
        } else if (scripting.quiet) {
            Aliases.all().forEach(a -> out.println(a.name()));
        } else {
            for (Aliases.Alias a : Aliases.all()) {
                out.printf("  %-30s %-34s %s%n", a.name(), "→ " + a.target(), a.framework().label());
            }
            scripting.info(spec.commandLine().getErr(), "losses describe NAME shows what differs from the peer");
        }
        OutputFiles.flushStdout(out);
        return 0;
    }

    /** The page docs/aliases.md, generated from {@link Aliases} (AliasesDocTest keeps the file equal to it). */
    static String aliasesMarkdown() {
        StringBuilder sb = new StringBuilder();
        String nl = "\n";
        sb.append("# PyTorch and Keras names").append(nl).append(nl);
        sb.append("Every name below is an alias: `Losses.create(\"MSELoss\")`, `losses eval MSELoss ...` and")
                .append(nl).append("`losses describe MSELoss` use the catalog loss it names, with the catalog's defaults.")
                .append(nl).append("Aliases are exact and case-sensitive. Where the peer's defaults differ, the options")
                .append(nl).append("column gives the options that reproduce them; the notes say what else differs.")
                .append(nl).append(nl);
        sb.append("Generated from `org.losses4j.Aliases` by `losses list --aliases --markdown`; a test keeps this page")
                .append(nl).append("equal to it.").append(nl);
        for (Aliases.Framework f : Aliases.Framework.values()) {
            sb.append(nl).append("## ").append(f.label()).append(" (`").append(f.prefix()).append("`)").append(nl)
                    .append(nl);
            sb.append("| name | loss | options for the peer's defaults | notes |").append(nl);
            sb.append("|---|---|---|---|").append(nl);
            for (Aliases.Alias a : Aliases.all()) {
                if (a.framework() != f) {
                    continue;
                }
                List<String> kv = new ArrayList<>();
                a.options().forEach((k, v) -> kv.add("`" + k + "=" + v + "`"));
                sb.append("| `").append(a.name()).append("` | `").append(a.target()).append("` | ")
                        .append(kv.isEmpty() ? "(the defaults)" : String.join(", ", kv)).append(" | ")
                        .append(a.note().isEmpty() ? "the same definition" : a.note().replace("|", "\\|"))
                        .append(" |").append(nl);
            }
        }
        sb.append(nl).append("## Not aliased").append(nl).append(nl);
        sb.append("| name | why |").append(nl).append("|---|---|").append(nl);
        Aliases.unmapped().forEach((k, v) -> sb.append("| `").append(k).append("` | ").append(v).append(" |")
                .append(nl));
        return sb.toString();
    }
}
