package org.losses4j.cli;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.losses4j.LossException;
import org.losses4j.Tensor;

/**
 * Fuzz tests of the three file readers of the command line: CSV, NumPy {@code .npy}, and the
 * JSON-lines conformance cases (answered end to end: parse, build the loss, compute). The
 * only exceptions allowed out of a reader are the user errors the CLI prints as one line
 * with exit code 2 ({@link UserError}, {@link LossException}); anything else, an input
 * taking more than {@link #SLOW_MS} ms of CPU time (or {@link #WALL_MS} ms of wall time), or
 * running out of memory is a finding. CPU time, because CI machines are shared: a first input that
 * loads the classes took 12.7 s of wall time on a machine busy with other builds, 0.24 s alone.
 *
 * <p>Plain {@code mvn test} replays the inputs under
 * {@code src/test/resources/org/losses4j/cli/FileInputFuzzTestInputs/<method>/} (seeds and every
 * crash ever found). Fuzzing, one method per run, for a bounded time:
 * <pre>
 * JAZZER_FUZZ=1 mvn -B -o test -pl cli -am -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtest='FileInputFuzzTest#npy' -Djazzer.max_duration=60s
 * </pre>
 * A crash found is written to the inputs directory, where it stays as a regression test.
 */
class FileInputFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** One input may take at most this long (a reader is linear in its input; these are small). */
    static final long SLOW_MS = 5000;
    /** Wall time an input may take, however busy the machine. */
    static final long WALL_MS = 60_000;
    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();
    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("losses-fuzz");
            DIR.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path file(String name, byte[] data) {
        Path p = DIR.resolve(name);
        try {
            Files.write(p, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        p.toFile().deleteOnExit();
        return p;
    }

    /** A tensor a reader returns is consistent: its shape's product is its size. */
    private static void wellFormed(Tensor t) {
        long n = 1;
        for (int d : t.shape()) {
            if (d < 0) {
                throw new AssertionError("negative dimension in " + t);
            }
            n *= d;
        }
        if (n != t.size()) {
            throw new AssertionError(t + " has " + t.size() + " elements");
        }
    }

    private static void read(Path p, boolean labels) {
        try {
            wellFormed(TensorFiles.read(p, labels));
        } catch (UserError | LossException e) {
            oneLine(e);
        }
    }

    /** The CLI prints a user error as one line: the message must be non-empty and have no line break. */
    private static void oneLine(RuntimeException e) {
        String m = e.getMessage();
        if (m == null || m.isBlank() || m.indexOf('\n') >= 0 || m.indexOf('\r') >= 0) {
            throw new AssertionError("a user error must be one non-empty line: '" + m + "'", e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    @DictionaryFile(resourcePath = "csv.dict")
    void csv(byte[] data) {
        long[] t0 = start();
        Path p = file("x.csv", data);
        read(p, false);
        read(p, true);
        read(file("x.tsv", data), false);
        notSlow(t0, data);
    }

    @FuzzTest(maxDuration = "30s")
    @DictionaryFile(resourcePath = "npy.dict")
    void npy(byte[] data) {
        long[] t0 = start();
        Path p = file("x.npy", data);
        read(p, false);
        read(p, true);
        notSlow(t0, data);
    }

    @FuzzTest(maxDuration = "30s")
    @DictionaryFile(resourcePath = "cases.dict")
    void cases(byte[] data) {
        long[] t0 = start();
        String line = new String(data, StandardCharsets.UTF_8);
        if (line.isBlank()) {
            return; // the CLI skips blank lines
        }
        try {
            Map<String, Object> answer = EvalCommand.answerLine(line, "fuzz:1");
            // what the CLI writes back must serialise
            JSON.writeValueAsString(answer);
        } catch (UserError | LossException e) {
            // core messages may quote the case's own text (a loss name with a line break): the CLI prints
            // them through Main.oneLine; they must still say something
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("a user error without a message", e);
            }
        } catch (IOException e) {
            throw new AssertionError("answer does not serialise", e);
        }
        notSlow(t0, data);
    }

    /** Wall and CPU time now, in ns (CPU time −1 where the JVM does not measure it). */
    private static long[] start() {
        return new long[] {System.nanoTime(), THREADS.isCurrentThreadCpuTimeSupported()
                ? THREADS.getCurrentThreadCpuTime() : -1};
    }

    private static void notSlow(long[] t0, byte[] data) {
        long wall = (System.nanoTime() - t0[0]) / 1_000_000;
        long cpu = t0[1] < 0 ? wall : (THREADS.getCurrentThreadCpuTime() - t0[1]) / 1_000_000;
        if (cpu > SLOW_MS || wall > WALL_MS) {
            throw new AssertionError("an input of " + data.length + " bytes took " + cpu + " ms of CPU time, "
                    + wall + " ms of wall time");
        }
    }
}
