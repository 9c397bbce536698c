package org.losses4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * No malformed file makes the CLI print a stack trace: every fuzz input ever kept (seeds and
 * crashes, under FileInputFuzzTestInputs) and a set of hand-made hostile files, given to
 * {@code losses eval} as the files they are, exit 0 or 2, and a 2 prints exactly one line
 * starting {@code losses: } on stderr. Never exit 1 (internal error), never a stack trace.
 */
class MalformedInputTest {
    @TempDir
    static Path dir;

    static List<Path> corpus(String method) throws IOException, URISyntaxException {
        Path d = Path.of(MalformedInputTest.class.getResource("FileInputFuzzTestInputs/" + method).toURI());
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().toList();
        }
    }

    /** Exit 0, or 2 with one line on stderr; never 1, never a stack trace. */
    static void userErrorAtMost(CliTest.Run r, String what) {
        assertThat(r.code()).as(what + ": exit code; stderr: " + r.err()).isIn(0, 2);
        assertThat(r.err()).as(what).doesNotContain("\tat ").doesNotContain("internal error");
        if (r.code() == 2) {
            assertThat(r.err()).as(what).startsWith("losses: ").endsWith(System.lineSeparator());
            assertThat(r.err().strip().lines().count()).as(what + ": one line: " + r.err()).isEqualTo(1);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyKeptCsvAndNpyInputAsAnEvalFile() throws Exception {
        List<DynamicTest> out = new ArrayList<>();
        for (String kind : List.of("csv", "npy")) {
            for (Path p : corpus(kind)) {
                out.add(DynamicTest.dynamicTest(kind + "/" + p.getFileName(), () -> {
                    Path f = dir.resolve(p.getFileName() + "." + kind);
                    Files.copy(p, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    Path ok = dir.resolve("ok.csv");
                    Files.writeString(ok, "1\n2\n");
                    userErrorAtMost(CliTest.run("eval", "mse", "--input", f.toString(), "--target", f.toString()),
                            p + " as input and target");
                    userErrorAtMost(CliTest.run("eval", "cross_entropy", "--input", f.toString(), "--target",
                            f.toString()), p + " as logits and labels");
                    userErrorAtMost(CliTest.run("eval", "mse", "--input", ok.toString(), "--target", f.toString(),
                            "--grad", dir.resolve("g.npy").toString()), p + " as target");
                }));
            }
        }
        return out.stream();
    }

    @TestFactory
    Stream<DynamicTest> everyKeptCaseAndHostileCaseLines() throws Exception {
        List<String> lines = new ArrayList<>();
        for (Path p : corpus("cases")) {
            lines.add(new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
        }
        lines.addAll(List.of(
                "null", "[1, 2]", "\"text\"", "{", "{\"loss\": 3}", "{\"loss\": \"mse\\nrm -rf /\"}",
                "{\"loss\": \"huber\", \"params\": {\"delta\": \"\\u001b[31m\"}}",
                "{\"loss\": \"mse\", \"inputs\": {\"input\": {\"dtype\": \"float64\", \"shape\": [2147483648], \"data\": [1]}}}",
                "{\"loss\": \"mse\", \"inputs\": {\"input\": {\"dtype\": \"float64\", \"shape\": [-1], \"data\": []}}}",
                "{\"loss\": \"mse\", \"inputs\": {\"input\": {\"dtype\": \"int8\", \"shape\": [1], \"data\": [1]}}}",
                "{\"loss\": \"mse\", \"inputs\": {\"input\": {\"dtype\": \"float64\", \"shape\": [\"a\"], \"data\": [1]}}}",
                "{\"loss\": \"mse\", \"inputs\": {\"input\": {\"dtype\": \"int64\", \"shape\": [1], \"data\": [null]}}}",
                "{\"loss\": \"mse\", \"inputs\": {\"input\": 5}}",
                "{\"loss\": \"ssim\", \"params\": {\"window\": 999999999}, \"inputs\": {"
                        + "\"input\": {\"dtype\": \"float64\", \"shape\": [1, 1, 1, 1], \"data\": [0.5]},"
                        + "\"target\": {\"dtype\": \"float64\", \"shape\": [1, 1, 1, 1], \"data\": [0.5]}}}",
                "[".repeat(5000) + "]".repeat(5000),
                "{\"loss\": \"mse\", \"params\": {\"reduction\": 1" + "0".repeat(2000) + "}}"));
        List<DynamicTest> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int k = i;
            out.add(DynamicTest.dynamicTest("line " + k + ": " + line.substring(0, Math.min(60, line.length())), () -> {
                Path f = dir.resolve("case" + k + ".jsonl");
                Files.writeString(f, line + "\n");
                CliTest.Run r = CliTest.run("eval", "--cases", f.toString(), "--out", dir.resolve("a.jsonl").toString());
                userErrorAtMost(r, line);
            }));
        }
        return out.stream();
    }

    @Test
    void lineBreaksAndEscapesInQuotedTextAreShownEscaped() throws Exception {
        Path f = dir.resolve("nl.jsonl");
        Files.writeString(f, "{\"loss\": 7}\n");
        Path x = dir.resolve("x.csv");
        Files.writeString(x, "1\n2\n");
        CliTest.Run r = CliTest.run("eval", "mse\nsecond line\u001b[2J", "--input", x.toString(), "--target",
                x.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("mse\\nsecond line\\u001b[2J").doesNotContain("\u001b");
        assertThat(r.err().strip().lines().count()).isEqualTo(1);
    }

    @Test
    void aFileWithoutLineBreaksIsReadLineByLineWithinItsLimit() throws Exception {
        // one line of 3 million cells: read as one row (no per-cell objects kept)
        Path big = dir.resolve("wide.csv");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3_000_000; i++) {
            sb.append(i == 0 ? "" : ",").append('1');
        }
        Files.writeString(big, sb);
        org.losses4j.Tensor t = TensorFiles.read(big, false);
        assertThat(t.shape()).containsExactly(1, 3_000_000);
    }
}
