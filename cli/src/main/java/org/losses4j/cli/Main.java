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
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
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
                cmd.getErr().println("losses: " + ex.getMessage());
                return 2;
            }
            cmd.getErr().println("losses: internal error: " + ex);
            ex.printStackTrace(cmd.getErr());
            return 1;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("losses: " + ex.getMessage());
            ex.getCommandLine().getErr().println("(try: losses " + qualifiedName(ex.getCommandLine()) + " --help)");
            return 2;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println("losses: out of memory (raise it with LOSSES_JAVA_OPTS=-Xmx8g; elementwise losses"
                    + " stream files of any size with eval --stream)");
            return 1;
        }
    }

    private static String qualifiedName(CommandLine cl) {
        String n = cl.getCommandSpec().qualifiedName();
        return n.startsWith("losses ") ? n.substring(7) : "";
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A mistake in the user's command or files: printed as one line, exit code 2. */
    public static final class UserError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UserError(String message) {
            super(message);
        }
    }

    /** {@code --version}: the library version, the Java runtime and the active kernel path. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"losses4j " + (v == null ? "dev" : v),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
                "kernels: " + org.losses4j.Kernels.description()};
        }
    }
}
