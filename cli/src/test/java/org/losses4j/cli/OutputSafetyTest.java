package org.losses4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22, data loss: no output overwrites an input, every output path is checked before any
 * input is read, a failed run leaves an existing output as it was (no partial, no temporary
 * file), a changed input fails the stream, and a full disk or stdout is an error.
 */
class OutputSafetyTest {
    @TempDir
    Path dir;

    static final String ONE_COLUMN = "p\n0.5\n1.5\n-2\n";

    /** Exit 2 with one line on stderr containing {@code fragment}. */
    static void refused(CliTest.Run r, String fragment) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(fragment).doesNotContain("\tat ").doesNotContain("internal error");
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
    }

    private List<String> tempFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
        }
    }

    @Test
    void anOutputThatIsAnInputIsRefusedAndTheInputKept() throws Exception {
        Path p = dir.resolve("p.csv");
        Path y = dir.resolve("y.csv");
        Files.writeString(p, ONE_COLUMN);
        Files.writeString(y, "y\n0\n1\n0\n");
        Path link = dir.resolve("link.csv");
        Files.createSymbolicLink(link, p);
        Path hard = dir.resolve("hard.csv");
        Files.createLink(hard, p);
        for (String stream : List.of("--per-sample", "--stream")) {
            for (Path out : List.of(p, link, hard, y)) {
                CliTest.Run r = stream.equals("--stream")
                        ? CliTest.run("eval", "mse", "--input", p.toString(), "--target", y.toString(), "--stream",
                                "--grad", out.toString())
                        : CliTest.run("eval", "mse", "--input", p.toString(), "--target", y.toString(), "--grad",
                                out.toString());
                refused(r, "is the same file as --");
            }
        }
        refused(CliTest.run("eval", "mse", "--input", p.toString(), "--target", y.toString(), "--grad",
                dir.resolve("g.csv").toString(), "--per-sample", dir.resolve("g.csv").toString()), "another output");
        assertThat(Files.readString(p)).isEqualTo(ONE_COLUMN);
        assertThat(Files.readString(y)).isEqualTo("y\n0\n1\n0\n");
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    void casesOutThatIsACaseFileIsRefused() throws Exception {
        Path c = dir.resolve("c.jsonl");
        String line = "{\"id\":\"a\",\"loss\":\"mse\",\"inputs\":{\"input\":{\"dtype\":\"float64\",\"shape\":[1],"
                + "\"data\":[1.0]},\"target\":{\"dtype\":\"float64\",\"shape\":[1],\"data\":[0.0]}}}\n";
        Files.writeString(c, line);
        refused(CliTest.run("eval", "--cases", c.toString(), "--out", c.toString()), "is the same file as --cases");
        assertThat(Files.readString(c)).isEqualTo(line);
    }

    @Test
    void outputPathsAreCheckedBeforeAnyInputIsRead() throws Exception {
        Path missingInput = dir.resolve("never-read.csv");
        Path y = dir.resolve("y.csv");
        Files.writeString(y, "0\n");
        String[][] bad = {
            {"--grad", dir.resolve("nodir/g.npy").toString(), "no such directory"},
            {"--per-sample", dir.resolve("nodir/t.csv").toString(), "no such directory"},
            {"--grad", dir.resolve("g.png").toString(), "unknown file type"},
            {"--grad", dir.toString() + "/", "unknown file type"},
            {"--per-sample", y.resolve("t.csv").toString(), "is not a directory"},
        };
        for (String[] b : bad) {
            for (String stream : List.of("--stream", "--reduction=mean")) {
                refused(CliTest.run("eval", "mse", "--input", missingInput.toString(), "--target", y.toString(),
                        stream, b[0], b[1]), b[2]);
            }
        }
        Files.createDirectory(dir.resolve("sub.npy"));
        refused(CliTest.run("eval", "mse", "--input", missingInput.toString(), "--target", y.toString(), "--grad",
                dir.resolve("sub.npy").toString()), "is a directory");
        Path c = dir.resolve("c.jsonl");
        Files.writeString(c, "{\"loss\": \"mse\"}\n");
        refused(CliTest.run("eval", "--cases", c.toString(), "--out", dir.resolve("nodir/a.jsonl").toString()),
                "no such directory");
    }

    @Test
    void aFailedRunLeavesAnExistingOutputAsItWasAndNoTemporaryFile() throws Exception {
        Path p = dir.resolve("p.csv");
        Path y = dir.resolve("y.csv");
        StringBuilder sp = new StringBuilder();
        StringBuilder sy = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            sp.append(i * 0.001).append('\n');
            sy.append(i == 999 ? "oops" : "0").append('\n');
        }
        Files.writeString(p, sp);
        Files.writeString(y, sy);
        Path g = dir.resolve("g.npy");
        Path t = dir.resolve("t.csv");
        Files.writeString(g, "keep me");
        Files.writeString(t, "keep me too");
        // streamed with a first pass (.npy gradient), streamed in one pass (the terms file is open when
        // the bad row comes), and whole
        for (List<String> how : List.of(List.of("--stream", "--grad", g.toString()),
                List.of("--stream", "--reduction=sum"), List.of("--grad", g.toString()))) {
            List<String> args = new java.util.ArrayList<>(List.of("eval", "mse", "--input", p.toString(), "--target",
                    y.toString(), "--per-sample", t.toString(), "--stream-chunk-rows", "7"));
            args.addAll(how);
            refused(CliTest.run(args.toArray(String[]::new)), "y.csv:1000:1");
            assertThat(Files.readString(g)).isEqualTo("keep me");
            assertThat(Files.readString(t)).isEqualTo("keep me too");
            assertThat(tempFiles()).isEmpty();
        }
        // and a run that succeeds replaces them whole, keeping a symbolic link a link
        Files.writeString(y, sy.toString().replace("oops", "0"));
        Path real = dir.resolve("real.csv");
        Files.writeString(real, "old");
        Path link = dir.resolve("t-link.csv");
        Files.createSymbolicLink(link, real);
        CliTest.Run ok = CliTest.run("eval", "mse", "--input", p.toString(), "--target", y.toString(), "--stream",
                "--grad", g.toString(), "--per-sample", link.toString(), "--stream-chunk-rows", "7");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(TensorFiles.readNpy(g).shape()).containsExactly(1000);
        assertThat(Files.readAllLines(real)).hasSize(1000);
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(tempFiles()).isEmpty();
    }

    @Test
    void anInputChangedBetweenTheStreamingPassesFails() throws Exception {
        Path p = dir.resolve("p.csv");
        Path y = dir.resolve("y.csv");
        Files.writeString(p, "0.5\n1.5\n-2\n4\n");
        Files.writeString(y, "0\n1\n0\n1\n");
        Path g = dir.resolve("g.npy");
        StreamingEval.betweenPasses = () -> {
            try {
                Files.writeString(p, "0.5\n1.5\n");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        };
        try {
            refused(CliTest.run("eval", "mse", "--input", p.toString(), "--target", y.toString(), "--stream",
                    "--grad", g.toString()), "p.csv changed while it was being read");
        } finally {
            StreamingEval.betweenPasses = () -> { };
        }
        assertThat(g).doesNotExist();
        assertThat(tempFiles()).isEmpty();
    }

    /** A stream that fails every write, as standard output redirected to /dev/full does. */
    static final class Full extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            throw new IOException("No space left on device");
        }
    }

    @Test
    void answersOrAValueThatCannotBeWrittenToStdoutFail() throws Exception {
        Path c = dir.resolve("c.jsonl");
        Files.writeString(c, "{\"id\":\"a\",\"loss\":\"mse\",\"inputs\":{\"input\":{\"dtype\":\"float64\",\"shape\":[1],"
                + "\"data\":[1.0]},\"target\":{\"dtype\":\"float64\",\"shape\":[1],\"data\":[0.0]}}}\n");
        refused(CliTest.runTo(new Full(), "eval", "--cases", c.toString()), "cannot write to standard output");
        Path p = dir.resolve("p.csv");
        Files.writeString(p, ONE_COLUMN);
        refused(CliTest.runTo(new Full(), "eval", "mse", "--input", p.toString(), "--target", p.toString()),
                "cannot write to standard output");
        refused(CliTest.runTo(new Full(), "eval", "mse", "--input", p.toString(), "--target", p.toString(),
                "--stream"), "cannot write to standard output");
    }

    @Test
    void aFullDiskIsAnErrorNotASuccess() throws Exception {
        Path full = Path.of("/dev/full");
        Assumptions.assumeTrue(Files.exists(full), "SKIPPED: no /dev/full on this system");
        Path c = dir.resolve("c.jsonl");
        Files.writeString(c, "{\"id\":\"a\",\"loss\":\"mse\",\"inputs\":{\"input\":{\"dtype\":\"float64\",\"shape\":[1],"
                + "\"data\":[1.0]},\"target\":{\"dtype\":\"float64\",\"shape\":[1],\"data\":[0.0]}}}\n");
        refused(CliTest.run("eval", "--cases", c.toString(), "--out", full.toString()), "cannot write");
        Path p = dir.resolve("p.csv");
        Files.writeString(p, ONE_COLUMN);
        Path g = dir.resolve("g.npy");
        Files.createSymbolicLink(g, full);
        for (String stream : List.of("--stream", "--reduction=mean")) {
            refused(CliTest.run("eval", "mse", "--input", p.toString(), "--target", p.toString(), stream, "--grad",
                    g.toString()), "cannot write");
        }
        assertThat(Files.isSymbolicLink(g)).isTrue();
    }
}
