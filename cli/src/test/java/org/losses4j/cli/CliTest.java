package org.losses4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.losses4j.Inputs;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/** The commands in-process: output, exit codes and messages. */
class CliTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return runTo(out, args);
    }

    /** Runs with standard output going to {@code stdout} ({@link Run#out} is its text if it is a byte array). */
    static Run runTo(java.io.OutputStream stdout, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            String out = stdout instanceof ByteArrayOutputStream b ? b.toString(StandardCharsets.UTF_8) : "";
            return new Run(code, out, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void listShowsEveryRegisteredLossWithItsFamily() {
        Run r = run("list");
        assertThat(r.code()).isZero();
        Losses.catalog().forEach(i -> assertThat(r.out()).contains(i.name()).contains("[" + i.family().label() + "]"));
    }

    @Test
    void describeShowsOptionsAndDefaults() {
        Run r = run("describe", "huber");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("delta").contains("default 1.0").contains("robust to outliers yes");
    }

    @Test
    void unknownLossExitsTwoWithOneLine() {
        Run r = run("describe", "hubber");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains("unknown loss 'hubber'");
    }

    @Test
    void evalCsvEqualsTheLibraryCall() throws Exception {
        Path x = dir.resolve("pred.csv");
        Path y = dir.resolve("y.csv");
        Path g = dir.resolve("grad.csv");
        Files.writeString(x, "pred\n0.1\n-2.0\n3.5\n");
        Files.writeString(y, "0\n0.3\n0\n");
        Run r = run("eval", "huber", "--input", x.toString(), "--target", y.toString(), "-o", "delta=0.5",
                "--grad", g.toString());
        assertThat(r.code()).as(r.err()).isZero();
        LossResult lib = Losses.create("huber", Map.of("delta", 0.5)).compute(Inputs.of(
                Tensor.vector(new double[] {0.1, -2.0, 3.5}), Tensor.vector(new double[] {0, 0.3, 0})));
        assertThat(Double.parseDouble(r.out().strip())).isEqualTo(lib.value());
        List<String> lines = Files.readAllLines(g);
        for (int i = 0; i < 3; i++) {
            assertThat(Double.parseDouble(lines.get(i))).isEqualTo(lib.grad().f64()[i]);
        }
    }

    @Test
    void evalNpyRoundTrip() throws Exception {
        Path x = dir.resolve("x.npy");
        Path y = dir.resolve("y.npy");
        Path ps = dir.resolve("terms.npy");
        TensorFiles.writeNpy(x, Tensor.of(new float[] {1f, 2f, 3f, 4f}, 2, 2));
        TensorFiles.writeNpy(y, Tensor.of(new float[] {0f, 0f, 0f, 0f}, 2, 2));
        Run r = run("eval", "mse", "--input", x.toString(), "--target", y.toString(), "--per-sample", ps.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Double.parseDouble(r.out().strip())).isEqualTo(7.5);
        Tensor t = TensorFiles.readNpy(ps);
        assertThat(t.shape()).containsExactly(2, 2);
        assertThat(t.f32()).containsExactly(1f, 4f, 9f, 16f);
    }

    @Test
    void streamingEqualsTheWholeFileEvaluation() throws Exception {
        Path x = dir.resolve("x.csv");
        Path y = dir.resolve("y.csv");
        Path w = dir.resolve("w.npy");
        int rows = 70_001; // more than one chunk, not a multiple of it
        StringBuilder sx = new StringBuilder("a,b\n");
        StringBuilder sy = new StringBuilder();
        double[] xs = new double[rows * 2];
        double[] ys = new double[rows * 2];
        double[] ws = new double[rows * 2];
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < rows * 2; i++) {
            xs[i] = r.nextDouble() * 4 - 2;
            ys[i] = r.nextInt(2);
            ws[i] = r.nextDouble();
        }
        for (int i = 0; i < rows; i++) {
            sx.append(xs[2 * i]).append(',').append(xs[2 * i + 1]).append('\n');
            sy.append(ys[2 * i]).append(',').append(ys[2 * i + 1]).append('\n');
        }
        Files.writeString(x, sx);
        Files.writeString(y, sy);
        TensorFiles.writeNpy(w, Tensor.of(ws, rows, 2));
        Path g = dir.resolve("g.npy");
        Run s = run("eval", "bce_with_logits", "--input", x.toString(), "--target", y.toString(), "--input-file",
                "weight=" + w, "--stream", "--grad", g.toString());
        assertThat(s.code()).as(s.err()).isZero();
        LossResult lib = Losses.create("bce_with_logits").compute(Inputs.of(Tensor.of(xs, rows, 2),
                Tensor.of(ys, rows, 2)).with("weight", Tensor.of(ws, rows, 2)));
        assertThat(Double.parseDouble(s.out().strip())).isCloseTo(lib.value(),
                org.assertj.core.data.Offset.offset(1e-12 * Math.abs(lib.value())));
        Tensor gs = TensorFiles.readNpy(g);
        assertThat(gs.shape()).containsExactly(rows, 2);
        for (int i = 0; i < xs.length; i++) {
            assertThat(gs.f64()[i]).isCloseTo(lib.grad().f64()[i], org.assertj.core.data.Offset.offset(1e-15));
        }
        Files.writeString(y, sy.substring(0, sy.length() / 2).replaceAll("[^\n]*$", ""));
        Run bad = run("eval", "mse", "--input", x.toString(), "--target", y.toString(), "--stream");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("y.csv has fewer rows");
    }

    @Test
    void rowLossesStreamToo() throws Exception {
        // cross_entropy with class weights and ignored targets: mean divides by Σ w_y over kept rows,
        // which the stream adds up chunk by chunk (the library reports each chunk's divisor)
        int rows = 40_003;
        int c = 5;
        double[] xs = new double[rows * c];
        long[] labels = new long[rows];
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        StringBuilder sx = new StringBuilder();
        StringBuilder sy = new StringBuilder("label\n");
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < c; j++) {
                xs[i * c + j] = r.nextDouble() * 6 - 3;
                sx.append(xs[i * c + j]).append(j + 1 < c ? ',' : '\n');
            }
            labels[i] = r.nextInt(10) == 0 ? -100 : r.nextInt(c);
            sy.append(labels[i]).append('\n');
        }
        double[] w = {0.5, 1.0, 2.0, 1.5, 0.25};
        Path x = dir.resolve("logits.csv");
        Path y = dir.resolve("labels.csv");
        Path wf = dir.resolve("w.csv");
        Path g = dir.resolve("g.npy");
        Path t = dir.resolve("terms.csv");
        Files.writeString(x, sx);
        Files.writeString(y, sy);
        Files.writeString(wf, "0.5\n1.0\n2.0\n1.5\n0.25\n");
        Run s = run("eval", "cross_entropy", "--input", x.toString(), "--target", y.toString(), "--input-file",
                "weight=" + wf, "-o", "label_smoothing=0.1", "--stream", "--grad", g.toString(), "--per-sample",
                t.toString());
        assertThat(s.code()).as(s.err()).isZero();
        LossResult lib = Losses.create("cross_entropy", Map.of("label_smoothing", 0.1)).compute(
                Inputs.of("input", Tensor.of(xs, rows, c)).with("target", Tensor.labels(labels))
                        .with("weight", Tensor.vector(w)));
        assertThat(Double.parseDouble(s.out().strip())).isCloseTo(lib.value(),
                org.assertj.core.data.Offset.offset(1e-12 * Math.abs(lib.value())));
        Tensor gs = TensorFiles.readNpy(g);
        assertThat(gs.shape()).containsExactly(rows, c);
        for (int i = 0; i < xs.length; i++) {
            assertThat(gs.f64()[i]).isCloseTo(lib.grad().f64()[i], org.assertj.core.data.Offset.offset(1e-15));
        }
        assertThat(Files.readAllLines(t)).hasSize(rows);
        Run dice = run("eval", "dice", "--input", x.toString(), "--target", x.toString(), "--stream");
        assertThat(dice.code()).isEqualTo(2);
        assertThat(dice.err()).contains("--stream works for");
    }

    @Test
    void malformedCsvNamesFileLineAndColumn() throws Exception {
        Path x = dir.resolve("bad.csv");
        Files.writeString(x, "1,2\n3,abc\n");
        Run r = run("eval", "mse", "--input", x.toString(), "--target", x.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("bad.csv:2:2").contains("'abc' is not a number");
        Files.writeString(x, "1,2\n3\n");
        r = run("eval", "mse", "--input", x.toString(), "--target", x.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("bad.csv:2").contains("1 columns, expected 2");
    }

    @Test
    void badOptionValueExitsTwo() throws Exception {
        Path x = dir.resolve("x.csv");
        Files.writeString(x, "1\n2\n");
        Run r = run("eval", "huber", "--input", x.toString(), "--target", x.toString(), "-o", "delta=-1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("option delta = '-1' must be > 0");
        r = run("eval", "huber", "--input", x.toString(), "--target", x.toString(), "-o", "gamma=1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no option 'gamma'");
    }

    @Test
    void casesAreAnsweredInFormat() throws Exception {
        Path c = dir.resolve("cases.jsonl");
        Path a = dir.resolve("answers.jsonl");
        Files.writeString(c, "{\"id\":\"h1\",\"loss\":\"huber\",\"params\":{\"delta\":0.5},\"inputs\":{"
                + "\"input\":{\"dtype\":\"float64\",\"shape\":[2],\"data\":[0.1,-2.0]},"
                + "\"target\":{\"dtype\":\"float64\",\"shape\":[2],\"data\":[0.0,0.0]}},\"expect\":{}}\n"
                + "{\"id\":\"h2\",\"loss\":\"huber\",\"params\":{\"delta\":-1},\"inputs\":{},\"expect\":{}}\n");
        Run r = run("eval", "--cases", c.toString(), "--out", a.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = Files.readAllLines(a);
        assertThat(lines).hasSize(2);
        // 0.5·0.1² and 0.5·(2 − 0.25), mean of 2 terms; gradient (0.1, −0.5)/2
        assertThat(lines.get(0)).isEqualTo("{\"id\":\"h1\",\"value\":0.44,\"grad\":{\"input\":{\"dtype\":\"float64\",\"shape\":[2],\"data\":[0.05,-0.25]}}}");
        assertThat(lines.get(1)).contains("\"error\":{\"kind\":\"invalid_argument\"");
    }

    @Test
    void malformedCaseLineIsAUserError() throws Exception {
        Path c = dir.resolve("cases.jsonl");
        Files.writeString(c, "{not json\n");
        Run r = run("eval", "--cases", c.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("cases.jsonl:1");
    }
}
