package org.losses4j.cli;

import java.util.Map;
import java.util.Stack;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code -o/--option} parsing shared by the commands that take loss options: each
 * occurrence is {@code KEY=VALUE} or {@code KEY VALUE} (two arguments), and a key given twice is
 * refused rather than silently keeping the last. Use it on a {@code Map<String, String>} option:
 * <pre>{@code @Option(names = {"-o", "--option"}, paramLabel = "KEY=VALUE", parameterConsumer = LossOptions.class)
 * Map<String, String> options = new LinkedHashMap<>();}</pre>
 */
public final class LossOptions implements CommandLine.IParameterConsumer {
    @Override
    public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
        CommandLine cl = commandSpec.commandLine();
        String opt = argSpec.isOption() ? ((CommandLine.Model.OptionSpec) argSpec).longestName() : "-o";
        if (args.isEmpty()) {
            throw new CommandLine.ParameterException(cl, opt + " needs KEY=VALUE or KEY VALUE");
        }
        String first = args.pop();
        String key;
        String value;
        int eq = first.indexOf('=');
        if (eq >= 0) {
            key = first.substring(0, eq);
            value = first.substring(eq + 1);
        } else {
            if (args.isEmpty()) {
                throw new CommandLine.ParameterException(cl, opt + " " + first + " needs a value (KEY=VALUE or KEY VALUE)");
            }
            key = first;
            value = args.pop();
        }
        if (key.isEmpty()) {
            throw new CommandLine.ParameterException(cl, opt + " '" + first + "' has no key (KEY=VALUE or KEY VALUE)");
        }
        Map<String, String> map = argSpec.getValue();
        if (map.containsKey(key)) {
            throw new CommandLine.ParameterException(cl, "option " + key + " is given twice (" + key + "="
                    + map.get(key) + " and " + key + "=" + value + "); give it once");
        }
        map.put(key, value);
    }
}
