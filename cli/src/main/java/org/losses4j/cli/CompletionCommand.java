package org.losses4j.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code losses completion}: a bash/zsh completion script from picocli's generator. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a bash/zsh completion script for losses.",
            "  source <(./losses completion)          # this shell",
            "  ./losses completion > /etc/bash_completion.d/losses"})
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash("losses", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
