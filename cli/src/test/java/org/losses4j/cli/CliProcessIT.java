package org.losses4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.losses4j.Inputs;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/** Each command end to end: the packaged tool in a fresh JVM, real files in a temp directory. */
class CliProcessIT {
    static String jar;

    @TempDir
    Path dir;

    record Proc(int code, String out, String err) {
    }

    @BeforeAll
    static void findJar() {
        jar = System.getProperty("losses4j.cli.jar", "target/losses4j-cli.jar");
        assertThat(new File(jar)).as("the packaged CLI jar").exists();
    }

    static Proc losses(Path cwd, String... args) throws Exception {
        return lossesWithJvm(cwd, List.of(), args);
    }

    static Proc lossesWithJvm(Path cwd, List<String> jvm, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-jar", new File(jar).getAbsolutePath()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        Path out = Files.createTempFile(cwd, "out", ".txt");
        Path err = Files.createTempFile(cwd, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(170, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("losses " + String.join(" ", args) + " did not finish in time");
        }
        return new Proc(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void listAndDescribe() throws Exception {
        Proc p = losses(dir, "list");
        assertThat(p.code()).isZero();
        Losses.catalog().forEach(i -> assertThat(p.out()).contains(i.name()));
        Proc d = losses(dir, "describe", "focal");
        assertThat(d.code()).isZero();
        assertThat(d.out()).contains("gamma").contains("alpha");
        assertThat(losses(dir, "describe", "--help").code()).isZero();
    }

    @Test
    void evalCsvAndNpyEqualTheLibraryCall() throws Exception {
        Files.writeString(dir.resolve("logits.csv"), "a,b,c\n2.0,0.5,-1.0\n0.1,0.2,3.0\n-1,0,1\n");
        Files.writeString(dir.resolve("labels.csv"), "0\n2\n1\n");
        Proc p = losses(dir, "eval", "cross_entropy", "--input", "logits.csv", "--target", "labels.csv",
                "-o", "label_smoothing=0.1", "--grad", "g.npy", "--per-sample", "terms.csv");
        assertThat(p.code()).as(p.err()).isZero();
        double[] x = {2.0, 0.5, -1.0, 0.1, 0.2, 3.0, -1, 0, 1};
        LossResult lib = Losses.create("cross_entropy", Map.of("label_smoothing", 0.1))
                .compute(Inputs.of("input", Tensor.of(x, 3, 3)).with("target", Tensor.labels(0, 2, 1)));
        assertThat(Double.parseDouble(p.out().strip())).isEqualTo(lib.value());
        Tensor g = TensorFiles.readNpy(dir.resolve("g.npy"));
        assertThat(g.shape()).containsExactly(3, 3);
        assertThat(g.f64()).containsExactly(lib.grad().f64());
        assertThat(Files.readAllLines(dir.resolve("terms.csv"))).hasSize(3);

        TensorFiles.writeNpy(dir.resolve("p.npy"), Tensor.of(new float[] {0.5f, 1.5f, -2f}, 3));
        TensorFiles.writeNpy(dir.resolve("y.npy"), Tensor.of(new float[] {0f, 1f, 0f}, 3));
        Proc q = losses(dir, "eval", "huber", "--input", "p.npy", "--target", "y.npy", "--reduction", "sum");
        assertThat(q.code()).as(q.err()).isZero();
        LossResult lib2 = Losses.create("huber", Map.of("reduction", "sum")).compute(Inputs.of(
                Tensor.vector(new float[] {0.5f, 1.5f, -2f}), Tensor.vector(new float[] {0f, 1f, 0f})));
        assertThat(Double.parseDouble(q.out().strip())).isEqualTo(lib2.value());
    }

    @Test
    void millionsOfRowsStreamInBoundedMemory() throws Exception {
        // 3,000,000 rows (~50 MB of CSV each) through a JVM whose heap could not hold them as arrays
        int n = 3_000_000;
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        StringBuilder x = new StringBuilder();
        StringBuilder y = new StringBuilder();
        double sum = 0;
        try (var wx = Files.newBufferedWriter(dir.resolve("x.csv")); var wy = Files.newBufferedWriter(dir.resolve("y.csv"))) {
            for (int i = 0; i < n; i++) {
                double a = Math.round(r.nextDouble() * 2e6) / 1e6;
                double b = Math.round(r.nextDouble() * 2e6) / 1e6;
                x.setLength(0);
                y.setLength(0);
                wx.write(x.append(a).append('\n').toString());
                wy.write(y.append(b).append('\n').toString());
                double d = a - b;
                double ad = Math.abs(d);
                sum += ad <= 1 ? 0.5 * d * d : ad - 0.5; // huber, δ = 1, evaluated here independently
            }
        }
        Proc p = lossesWithJvm(dir, List.of("-Xmx40m"), "eval", "huber", "--input", "x.csv", "--target", "y.csv",
                "--per-sample", "terms.csv");
        assertThat(p.code()).as(p.err()).isZero();
        assertThat(Double.parseDouble(p.out().strip())).isCloseTo(sum / n, org.assertj.core.data.Offset.offset(1e-12));
        try (var lines = Files.lines(dir.resolve("terms.csv"))) {
            assertThat(lines.count()).isEqualTo(n);
        }
    }

    @Test
    void malformedInputsExitTwoNamingFileLineAndColumn() throws Exception {
        Files.writeString(dir.resolve("ok.csv"), "1,2\n3,4\n");
        Files.writeString(dir.resolve("ragged.csv"), "1,2\n3\n");
        Files.writeString(dir.resolve("word.csv"), "1,2\n3,x4\n");
        Files.writeString(dir.resolve("three.csv"), "1,2,3\n4,5,6\n");
        Files.writeString(dir.resolve("short.csv"), "1,2\n");
        Files.writeString(dir.resolve("p.csv"), "0.5,1.5\n0.2,0.1\n");
        expectUserError(losses(dir, "eval", "mse", "--input", "ragged.csv", "--target", "ok.csv"), "ragged.csv:2");
        expectUserError(losses(dir, "eval", "mse", "--input", "word.csv", "--target", "ok.csv"), "word.csv:2:2");
        expectUserError(losses(dir, "eval", "mse", "--input", "ok.csv", "--target", "three.csv"), "shape");
        expectUserError(losses(dir, "eval", "mse", "--input", "ok.csv", "--target", "short.csv"), "shape");
        expectUserError(losses(dir, "eval", "bce", "--input", "p.csv", "--target", "ok.csv"), "input[0, 1] = 1.5");
        expectUserError(losses(dir, "eval", "msee", "--input", "ok.csv", "--target", "ok.csv"), "unknown loss");
        expectUserError(losses(dir, "eval", "mse", "--input", "ok.csv", "--target", "ok.csv", "-o", "delta=1"),
                "no option 'delta'");
        expectUserError(losses(dir, "eval", "huber", "--input", "ok.csv", "--target", "ok.csv", "-o", "delta=abc"),
                "delta");
        expectUserError(losses(dir, "eval", "mse", "--input", "missing.csv", "--target", "ok.csv"), "missing.csv");
        expectUserError(losses(dir, "eval", "mse", "--bogus"), "bogus");
    }

    @Test
    void nanWhereNotAllowedIsRefused() throws Exception {
        Files.writeString(dir.resolve("logits.csv"), "2.0,0.5\n0.1,0.2\n");
        Files.writeString(dir.resolve("labels.csv"), "0\nnan\n");
        Proc p = losses(dir, "eval", "cross_entropy", "--input", "logits.csv", "--target", "labels.csv");
        assertThat(p.code()).isEqualTo(2);
        assertThat(p.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void answersToAFullStandardOutputFail() throws Exception {
        Path full = Path.of("/dev/full");
        Assumptions.assumeTrue(Files.exists(full), "SKIPPED: no /dev/full on this system");
        Files.writeString(dir.resolve("c.jsonl"), "{\"id\":\"a\",\"loss\":\"mse\",\"inputs\":{\"input\":"
                + "{\"dtype\":\"float64\",\"shape\":[1],\"data\":[1.0]},\"target\":{\"dtype\":\"float64\","
                + "\"shape\":[1],\"data\":[0.0]}}}\n");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                new File(jar).getAbsolutePath(), "eval", "--cases", "c.jsonl").directory(dir.toFile())
                .redirectOutput(full.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(err)).isEqualTo(2);
        assertThat(Files.readString(err)).contains("cannot write to standard output");
    }

    static void expectUserError(Proc p, String fragment) {
        assertThat(p.code()).as(p.err()).isEqualTo(2);
        assertThat(p.err()).contains(fragment).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void recommendAndPlot() throws Exception {
        Proc r = losses(dir, "recommend", "--task", "binary", "--imbalanced");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("focal").contains("why:");
        Proc p = losses(dir, "plot", "mse", "mae", "huber", "log_cosh", "--out", "curves.png");
        assertThat(p.code()).as(p.err()).isZero();
        BufferedImage img = ImageIO.read(dir.resolve("curves.png").toFile());
        assertThat(img.getWidth()).isGreaterThan(100);
        assertThat(colouredPixels(img)).isGreaterThan(500);
        Proc s = losses(dir, "plot", "hinge", "soft_margin", "--out", "m.svg", "--range", "-2:2");
        assertThat(s.code()).as(s.err()).isZero();
        assertThat(Files.readString(dir.resolve("m.svg"))).contains("<svg");
        expectUserError(losses(dir, "plot", "mse", "hinge"), "same axis");
    }

    @Test
    void quickDemoHasEveryExperimentAndItsReportRendersInChromium() throws Exception {
        Proc p = losses(dir, "demo", "--quick", "--report", "report.html");
        assertThat(p.code()).as(p.err()).isZero();
        for (int k = 1; k <= 7; k++) {
            assertThat(p.out()).contains("[" + k + "] ");
        }
        assertThat(p.out()).contains("verdict:").contains("summary:");
        String html = Files.readString(dir.resolve("report.html"), StandardCharsets.UTF_8);
        assertThat(html).doesNotContain("http://").doesNotContain("https://");
        // per experiment: the test metric per step, what the models learned, the training curves
        assertThat(html.split("class=\"chart test-metric\"", -1)).hasSize(8);
        assertThat(html.split("<figure class=\"learned\"", -1)).hasSize(8);
        assertThat(html.split("class=\"chart training\"", -1)).hasSize(8);
        assertThat(html.length()).as("report bytes").isLessThan(2_000_000);
        assertThat(html).contains("<nav id=\"toc\">");

        Path chromium = Path.of("/usr/bin/chromium");
        Assumptions.assumeTrue(Files.isExecutable(chromium),
                "SKIPPED: /usr/bin/chromium is not installed (apt-get install chromium); .ci/run installs it");
        Path shot = dir.resolve("shot.png");
        Process c = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + dir.resolve("profile"), "--hide-scrollbars",
                "--window-size=1200,9000", "--screenshot=" + shot, dir.resolve("report.html").toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        assertThat(c.waitFor(120, TimeUnit.SECONDS)).isTrue();
        BufferedImage img = ImageIO.read(shot.toFile());
        assertThat(img).as("screenshot " + Files.readString(dir.resolve("chromium.log"))).isNotNull();
        // the training curves are drawn in colour; text and tables are black and grey
        assertThat(colouredPixels(img)).as("coloured chart pixels in the rendered report").isGreaterThan(5000);
    }

    /** Pixels that are clearly not grey (chart series colours). */
    static int colouredPixels(BufferedImage img) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 255;
                int g = (rgb >> 8) & 255;
                int b = rgb & 255;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 80) {
                    n++;
                }
            }
        }
        return n;
    }
}
