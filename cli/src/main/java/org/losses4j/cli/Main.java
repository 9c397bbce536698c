package org.losses4j.cli;

import org.losses4j.LossException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code losses} command line tool. Exit codes: 0 success, 2 a user error (one line on
 * stderr, no stack trace), 1 an internal failure.
 */
@Command(name = "losses", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "losses4j: loss functions with exact gradients for the JVM.",
        subcommands = {ListCommand.class, DescribeCommand.class, EvalCommand.class, RecommendCommand.class,
            PlotCommand.class, org.losses4j.cli.demo.DemoCommand.class, BenchCommand.class,
            CompletionCommand.class, CommandLine.HelpCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the tool and returns its exit code (for tests). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof LossException || ex instanceof UserError) {
                cmd.getErr().println("losses: " + oneLine(cliMessage(ex)));
                return 2;
            }
            cmd.getErr().println("losses: internal error: " + ex);
            ex.printStackTrace(cmd.getErr());
            return 1;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine at = ex.getCommandLine();
            String hint = "(try: losses " + (qualifiedName(at) + " --help)").stripLeading();
            if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
                hint = "did you mean: " + String.join(", ", u.getSuggestions()) + "?";
            }
            at.getErr().println("losses: " + oneLine(ex.getMessage()) + (hint.startsWith("(") ? " " : "; ") + hint);
            return 2;
        });
        try {
            // losses4j.vector.bits / LOSSES4J_VECTOR_BITS (and losses4j.kernels) checked before any command
            org.losses4j.kernels.Kernels.checkConfiguration();
        } catch (LossException e) {
            cl.getErr().println("losses: " + oneLine(e.getMessage()));
            return 2;
        }
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println("losses: out of memory (raise it with LOSSES_JAVA_OPTS=-Xmx8g; elementwise losses"
                    + " stream files of any size with eval --stream)");
            return 1;
        }
    }

    /**
     * A message as one line of text: a user error may quote text from a file or a case (a loss
     * name, an option value) holding line breaks or terminal escape sequences; those are
     * written as backslash-n, backslash-r, backslash-t or {@code \\uXXXX}.
     */
    static String oneLine(String m) {
        if (m == null) {
            return "(no message)";
        }
        StringBuilder sb = new StringBuilder(m.length());
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == '\u2028' || c == '\u2029') {
                sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The library's pointer to Losses.catalog() as the tool says it: the list command. */
    static String cliMessage(Exception ex) {
        String m = ex.getMessage();
        if (ex instanceof LossException le && le.kind() == org.losses4j.ErrorKind.UNKNOWN_LOSS && m != null
                && m.endsWith(org.losses4j.Losses.CATALOG_HINT)) {
            return m.substring(0, m.length() - org.losses4j.Losses.CATALOG_HINT.length())
                    + "`losses list` shows them all, `losses list --aliases` the PyTorch and Keras names";
        }
        return m;
    }

    private static String qualifiedName(CommandLine cl) {
        String n = cl.getCommandSpec().qualifiedName();
        return n.startsWith("losses ") ? n.substring(7) : "";
    }

    /** {@code losses} with no command: the usage on stderr, and exit 2 (a command is needed). */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }


    /** The project version, from version.properties (filled in from the POM by the build). */
    public static String version() {
        java.util.Properties p = new java.util.Properties();
        try (java.io.InputStream in = Main.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String v = p.getProperty("version", "");
        return v.isEmpty() || v.startsWith("${") ? "(unknown: built without Maven resources)" : v;
    }

    /** {@code --version}: the library version, the Java runtime and the active kernel path. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"losses4j " + version(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
                "kernels: " + org.losses4j.kernels.Kernels.description(),
                "cpu: " + Platform.cpu()};
        }
    }
}
