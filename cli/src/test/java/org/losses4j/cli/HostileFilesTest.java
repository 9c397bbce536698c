package org.losses4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.losses4j.cli.OutputSafetyTest.refused;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.losses4j.Tensor;

/**
 * Issue 22: hostile files give exit 2 and one line (never a stack trace, a silently wrong
 * number, an exhausted heap or a hang); issue 21: a missing value is NaN, never dropped.
 */
class HostileFilesTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    /** A .npy file with the given header dict text and data bytes (version 1.0, padded as numpy pads). */
    private Path npy(String name, String dict, byte[] data) throws Exception {
        String header = dict;
        int pad = (64 - (10 + header.length() + 1) % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        ByteBuffer bb = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length()).put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        Path p = dir.resolve(name);
        Files.write(p, bb.array());
        return p;
    }

    private static byte[] f8(double... v) {
        ByteBuffer bb = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double d : v) {
            bb.putDouble(d);
        }
        return bb.array();
    }

    private static CliTest.Run eval(String loss, Path x, Path y, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("eval", loss, "--input", x.toString(), "--target",
                y.toString()));
        a.addAll(List.of(more));
        return CliTest.run(a.toArray(String[]::new));
    }

    private static double value(CliTest.Run r) {
        assertThat(r.code()).as(r.err()).isZero();
        return Double.parseDouble(r.out().strip());
    }

    @Test
    void fractionalOrNanFloatLabelsAreRefusedStreamedAsWhole() throws Exception {
        Path x = dir.resolve("x.npy");
        TensorFiles.writeNpy(x, Tensor.of(new double[] {1, 0, 0, 1, 2, 2}, 3, 2));
        for (double bad : new double[] {1.5, Double.NaN, -1e19}) {
            Path y = dir.resolve("y.npy");
            TensorFiles.writeNpy(y, Tensor.of(new double[] {0, bad, 1}, 3));
            refused(eval("cross_entropy", x, y), "element 1");
            refused(eval("cross_entropy", x, y, "--stream"), "element 1");
        }
        Path yc = write("y.csv", "0\n-1e19\n1\n");
        refused(eval("cross_entropy", x, yc, "--stream"), "y.csv:2:1");
    }

    @Test
    void malformedCaseLinesAreRefusedWithTheLineNumber() throws Exception {
        String ok = "{\"loss\":\"mse\",\"inputs\":{\"input\":{\"dtype\":\"float64\",\"shape\":[2],\"data\":[1,2]},"
                + "\"target\":{\"dtype\":\"float64\",\"shape\":[2],\"data\":[1,2]}}}";
        String labels = "{\"loss\":\"cross_entropy\",\"inputs\":{\"input\":{\"dtype\":\"float64\",\"shape\":[1,2],"
                + "\"data\":[1,2]},\"target\":{\"dtype\":\"int64\",\"shape\":[1],\"data\":[L]}}}";
        String[][] bad = {
            {ok.replace("[2]", "[2.9]"), "shape[0] = 2.9"},
            {ok.replace("[2]", "[4294967298]"), "shape[0] = 4294967298"},
            {labels.replace("L", "1.7"), "data[0] = 1.7"},
            {labels.replace("L", "18446744073709551617"), "data[0] = 18446744073709551617"},
            {ok + " " + ok, "not one JSON object"},
            {"{\"id\":1,\"loss\":null}", "'loss' must be a string"},
        };
        for (String[] b : bad) {
            Path c = write("c.jsonl", ok + "\n" + b[0] + "\n");
            refused(CliTest.run("eval", "--cases", c.toString()), "c.jsonl:2: ");
            refused(CliTest.run("eval", "--cases", c.toString()), b[1]);
        }
        refused(CliTest.run("eval", "--cases", dir.toString()), "is a directory");
    }

    @Test
    void aByteOrderMarkOrAnNaFirstRowIsDataNotAHeader() throws Exception {
        Path y = write("y.csv", "0\n1\n2\n");
        Path bom = write("bom.csv", "\uFEFF1\n1\n2\n");
        for (String s : List.of("--reduction=mean", "--stream")) {
            assertThat(value(eval("mse", bom, y, s))).isEqualTo(1.0 / 3); // (1 − 0)² / 3 rows
            Path na = write("na.csv", "NA\n1\n2\n");
            Path t = dir.resolve("t.csv");
            assertThat(value(eval("mse", na, y, s, "--per-sample", t.toString()))).isNaN();
            assertThat(Files.readAllLines(t)).hasSize(3);
            Path header = write("h.csv", "\uFEFFpred\n0\n1\n2\n");
            assertThat(value(eval("mse", header, y, s))).isZero();
        }
        refused(eval("mse", write("mixed.csv", "p,1\n1,2\n"), y), "mixed.csv:1:1: 'p' is not a number");
    }

    @Test
    void missingValuesAreNanAndBlankLinesAreNeverDropped() throws Exception {
        // issue 21: rows shifted by a skipped blank line gave 0.5 with exit 0
        Path p = write("p.csv", "p\n1\n\n3\n4\n5\n");
        Path y = write("y.csv", "y\n1\n2\n3\n\n5\n");
        for (String s : List.of("--stream-chunk-rows=2", "--stream")) {
            assertThat(value(eval("mse", p, y, s))).isNaN();
            Path t = dir.resolve("t.csv");
            value(eval("mse", p, y, s, "--reduction=sum", "--per-sample", t.toString()));
            assertThat(Files.readAllLines(t)).containsExactly("0.0", "NaN", "0.0", "NaN", "0.0");
        }
        Path wide = write("wide.csv", "a,b\n1,2\n\n3,4\n");
        refused(eval("mse", wide, wide), "wide.csv:3: row has 1 columns, expected 2 (an empty line");
        Path empty = write("empty.csv", "1,,3\n");
        assertThat(value(eval("mse", empty, write("z.csv", "1,2,3\n"), "--reduction=sum"))).isNaN();
        refused(eval("cross_entropy", write("l.csv", "1,2\n3,4\n"), write("lab.csv", "0\n\n")), "lab.csv:2:1");
    }

    @Test
    void npyHeadersWithDuplicateKeysEmptyOrWrappingShapesAreRefused() throws Exception {
        Path y = write("y.csv", "0\n1\n");
        Path dup = npy("dup.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'descr': '<f8', }",
                f8(1, 2));
        refused(eval("mse", dup, y), "'descr' twice");
        Path empty = npy("empty.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (0, 3), }", new byte[0]);
        refused(eval("mse", empty, empty, "--stream"), "no data rows");
        Path zeroCols = npy("zc.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 0), }", new byte[0]);
        refused(eval("mse", zeroCols, zeroCols, "--stream"), "rows of no values");
        // 2^30 · 2^30 · 16 = 2^64 wraps to 0 in a long
        Path wrap = npy("wrap.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (1073741824, 1073741824,"
                + " 16), }", new byte[0]);
        refused(eval("mse", wrap, wrap, "--stream"), "declares more than");
        refused(eval("mse", wrap, wrap), "shape (1073741824, 1073741824, 16)");
    }

    @Test
    void aStreamedRowAboveTheCapIsRefusedWithItsSize() throws Exception {
        // sparse files: a header declaring one row of 2^28 float64, and one of 2^31 − 1 float32
        for (String[] h : new String[][] {{"<f8", "268435456", "8"}, {"<f4", "2147483647", "4"}}) {
            Path p = npy("row" + h[1] + ".npy", "{'descr': '" + h[0] + "', 'fortran_order': False, 'shape': (1, "
                    + h[1] + "), }", new byte[0]);
            try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                f.setLength(f.length() + Long.parseLong(h[1]) * Long.parseLong(h[2]));
            }
            refused(eval("mse", p, p, "--stream"), "has rows of more than " + RowStream.MAX_ROW + " values");
        }
        // a CSV of one 10^7-value row (20 MB): refused after the cap, not held as 10^7 strings
        Path wide = dir.resolve("wide.csv");
        try (var w = Files.newBufferedWriter(wide)) {
            for (int i = 0; i < 10_000_000; i++) {
                w.write(i == 0 ? "1" : ",1");
            }
        }
        refused(eval("mse", wide, wide), "wide.csv:1: row has more than " + RowStream.MAX_ROW + " values");
    }

    private static byte[] le(int width, long... v) {
        ByteBuffer bb = ByteBuffer.allocate(width * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            switch (width) {
                case 1 -> bb.put((byte) x);
                case 2 -> bb.putShort((short) x);
                default -> bb.putInt((int) x);
            }
        }
        return bb.array();
    }

    private static String dict(String descr, boolean fortran, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': (" + shape
                + "), }";
    }

    @Test
    void npyInt32Uint8BoolFloat16AndFortranOrderAreRead() throws Exception {
        // issue 21: labels, masks and half-precision outputs as numpy saves them
        Path x = dir.resolve("x.npy");
        TensorFiles.writeNpy(x, Tensor.of(new double[] {2, 0.5, -1, 0, 1, 3}, 3, 2));
        Path y64 = dir.resolve("y64.npy");
        TensorFiles.writeNpy(y64, Tensor.ofLabels(new long[] {0, 1, 1}, 3));
        double expected = value(eval("cross_entropy", x, y64));
        Path y32 = npy("y32.npy", dict("<i4", false, "3,"), le(4, 0, 1, 1));
        assertThat(value(eval("cross_entropy", x, y32))).isEqualTo(expected);
        assertThat(value(eval("cross_entropy", x, y32, "--stream"))).isEqualTo(expected);
        // a uint8 / bool mask as an elementwise target: widened to float
        Path p = dir.resolve("p.npy");
        TensorFiles.writeNpy(p, Tensor.of(new double[] {0.5, 2, -1}, 3));
        for (Path m : List.of(npy("u8.npy", dict("|u1", false, "3,"), le(1, 1, 0, 1)),
                npy("b1.npy", dict("|b1", false, "3,"), le(1, 1, 0, 1)))) {
            assertThat(value(eval("mse", p, m))).isEqualTo((0.25 + 4 + 4) / 3);
        }
        // float16 0.5, 2, -1 (bits 0x3800, 0x4000, 0xBC00)
        Path h = npy("h.npy", dict("<f2", false, "3,"), le(2, 0x3800, 0x4000, 0xBC00));
        assertThat(value(eval("mse", h, p))).isZero();
        // Fortran order: [[1, 2, 3], [4, 5, 6]] stored by column
        Path f = npy("f.npy", dict("<f8", true, "2, 3"), f8(1, 4, 2, 5, 3, 6));
        Path c = npy("c.npy", dict("<f8", false, "2, 3"), f8(0, 0, 0, 0, 0, 0));
        CliTest.Run terms = eval("mse", f, c, "--reduction=none");
        assertThat(terms.out().strip().lines()).as(terms.err()).containsExactly("1.0,4.0,9.0", "16.0,25.0,36.0");
        refused(eval("mse", f, c, "--stream"), "Fortran-order");
        refused(eval("mse", npy("c16.npy", dict("<c16", false, "1,"), new byte[16]), c), "is not one of");
    }

    @Test
    void aRowLossOnAnInputOfRankThreeIsNotStreamedAsRows() throws Exception {
        // [N, C, d] logits streamed as rows of C·d values would be a different loss: evaluated whole
        Path x = dir.resolve("x3.npy");
        TensorFiles.writeNpy(x, Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 3, 2));
        Path y = dir.resolve("y3.npy");
        TensorFiles.writeNpy(y, Tensor.ofLabels(new long[] {0, 1, 2, 0}, 2, 2));
        refused(eval("cross_entropy", x, y, "--stream"), "is evaluated whole");
        assertThat(value(eval("cross_entropy", x, y))).isPositive();
    }

    @Test
    void binaryGarbageIsNotUtf8TextAtAByteOffset() throws Exception {
        Path g = dir.resolve("g.csv");
        Files.write(g, new byte[] {'1', '\n', '2', '\n', (byte) 0xff, (byte) 0xfe, '\n'});
        refused(eval("mse", g, g), "g.csv:3: not UTF-8 text (byte offset 4)");
        refused(eval("mse", g, g, "--stream"), "g.csv:3: not UTF-8 text (byte offset 4)");
        Path c = dir.resolve("c.jsonl");
        Files.write(c, new byte[] {'{', (byte) 0xc3, '}', '\n'});
        refused(CliTest.run("eval", "--cases", c.toString()), "c.jsonl:1: not UTF-8 text (byte offset 1)");
    }

    @Test
    void anElementwiseLossWithMismatchedShapesSaysSo() throws Exception {
        Path x = write("x.csv", "1,2,3\n4,5,6\n");
        Path y = write("y.csv", "1\n2\n");
        CliTest.Run r = eval("mse", x, y);
        refused(r, "shape");
        assertThat(r.err()).doesNotContain("label").doesNotContain("int64");
    }

    @Test
    void aPipeIsNotReadTwiceAndNeverHangs() throws Exception {
        Path fifo = dir.resolve("fifo.csv");
        try {
            Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
            Assumptions.assumeTrue(mk.waitFor() == 0, "SKIPPED: mkfifo failed");
        } catch (java.io.IOException e) {
            Assumptions.assumeTrue(false, "SKIPPED: no mkfifo on this system");
        }
        Path y = write("y.csv", "0\n1\n");
        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> refused(eval("mse", fifo, y, "--stream"), "not a regular file"));
    }

    @Test
    void aCaseFileWithoutLineBreaksIsRefusedAtItsLineLimit() throws Exception {
        Path zero = Path.of("/dev/zero");
        Assumptions.assumeTrue(Files.exists(zero), "SKIPPED: no /dev/zero");
        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60), () -> refused(
                CliTest.run("eval", "--cases", zero.toString()), "line longer than " + EvalCommand.MAX_CASE_LINE));
    }

    @Test
    void benchRefusesNonFiniteWarmupAndUnboundedRepetitions() {
        refused(CliTest.run("bench", "--warmup", "Infinity"), "--warmup must be a finite");
        refused(CliTest.run("bench", "--warmup", "NaN"), "--warmup must be a finite");
        refused(CliTest.run("bench", "--reps", "2000000000"), "--reps must be in");
    }
}
