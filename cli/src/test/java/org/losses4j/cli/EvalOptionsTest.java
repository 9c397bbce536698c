package org.losses4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.losses4j.cli.OutputSafetyTest.refused;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.losses4j.Tensor;

/** Issue 21: every accepted eval option does what it says or is refused. */
class EvalOptionsTest {
    @TempDir
    Path dir;

    private Path csv(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void reductionNonePrintsEveryTermNotTheSum() throws Exception {
        Path p = csv("p.csv", "1\n2\n4\n");
        Path y = csv("y.csv", "0\n0\n1\n");
        // (1 − 0)², (2 − 0)², (4 − 1)²
        for (List<String> how : List.of(List.of("--reduction=none"), List.of("-o", "reduction=none"))) {
            List<String> a = new java.util.ArrayList<>(List.of("eval", "mse", "--input", p.toString(), "--target",
                    y.toString()));
            a.addAll(how);
            CliTest.Run r = CliTest.run(a.toArray(String[]::new));
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out().strip().lines()).containsExactly("1.0", "4.0", "9.0");
        }
        refused(CliTest.run("eval", "mse", "--input", p.toString(), "--target", y.toString(), "--reduction=none",
                "--stream"), "--per-sample");
    }

    @Test
    void jsonPrintsOneObject() throws Exception {
        Path p = csv("p.csv", "1\n2\n4\n");
        Path y = csv("y.csv", "0\n0\n1\n");
        ObjectMapper m = new ObjectMapper();
        for (String s : List.of("--reduction=sum", "--stream")) {
            CliTest.Run r = CliTest.run("eval", "mse", "--input", p.toString(), "--target", y.toString(), "--json",
                    s);
            assertThat(r.code()).as(r.err()).isZero();
            Map<?, ?> o = m.readValue(r.out(), Map.class);
            assertThat(o.get("loss")).isEqualTo("mse");
            assertThat(((Number) o.get("value")).doubleValue()).isEqualTo(s.equals("--stream") ? 14.0 / 3 : 14.0);
        }
        CliTest.Run none = CliTest.run("eval", "mse", "--input", p.toString(), "--target", y.toString(), "--json",
                "--reduction=none");
        Map<?, ?> o = m.readValue(none.out(), Map.class);
        assertThat(((Map<?, ?>) o.get("terms")).get("data")).isEqualTo(List.of(1.0, 4.0, 9.0));
    }

    @Test
    void anOptionGivenTwiceOrMalformedIsRefused() throws Exception {
        Path p = csv("p.csv", "0.5\n2\n");
        Path y = csv("y.csv", "1\n0\n");
        refused(CliTest.run("eval", "focal", "--input", csv("z.csv", "0.5\n-1\n").toString(), "--target",
                y.toString(), "-o", "gamma=0", "-o", "gamma=5"), "option gamma is given twice");
        refused(CliTest.run("eval", "mse", "--input", p.toString(), "--target", y.toString(), "-o", "reduction=sum",
                "--reduction", "mean"), "reduction is given twice");
        refused(CliTest.run("eval", "mse", "--input", p.toString(), "--target", y.toString(), "-o", "delta"),
                "KEY=VALUE");
        refused(CliTest.run("eval", "mse", "--input", p.toString(), "--target", y.toString(), "-o", "gamma=1"),
                "no option 'gamma'");
        refused(CliTest.run("eval", "mse", "--input", p.toString(), "--target", y.toString(), "--out",
                dir.resolve("o.json").toString()), "--out writes the answers of --cases");
        assertThat(dir.resolve("o.json")).doesNotExist();
    }

    @Test
    void anOptionMayBeKeyValueOrTwoArguments() throws Exception {
        Path p = csv("p.csv", "0.5\n2\n-3\n");
        Path y = csv("y.csv", "1\n0\n0\n");
        CliTest.Run eq = CliTest.run("eval", "huber", "--input", p.toString(), "--target", y.toString(), "-o",
                "delta=0.5");
        CliTest.Run two = CliTest.run("eval", "huber", "--input", p.toString(), "--target", y.toString(), "-o",
                "delta", "0.5");
        assertThat(eq.code()).as(eq.err()).isZero();
        assertThat(two.code()).as(two.err()).isZero();
        // huber δ = 0.5 by hand: |d| = 0.5, 2, 3 → 0.125, 0.875, 1.375; mean 0.791666…
        assertThat(Double.parseDouble(eq.out().strip())).isCloseTo(2.375 / 3, within(1e-15));
        assertThat(two.out()).isEqualTo(eq.out());
    }

    @Test
    void anIntegerRegressionTargetIsWidenedToFloat() throws Exception {
        Path x = dir.resolve("x.npy");
        Path y = dir.resolve("y.npy");
        TensorFiles.writeNpy(x, Tensor.of(new double[] {0.5, 2, 3}, 3));
        TensorFiles.writeNpy(y, Tensor.ofLabels(new long[] {1, 2, 5}, 3));
        CliTest.Run r = CliTest.run("eval", "mse", "--input", x.toString(), "--target", y.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Double.parseDouble(r.out().strip())).isCloseTo((0.25 + 0 + 4) / 3,
                org.assertj.core.data.Offset.offset(1e-15));
        CliTest.Run s = CliTest.run("eval", "mse", "--input", y.toString(), "--target", x.toString(), "--stream");
        assertThat(Double.parseDouble(s.out().strip())).as(s.err()).isCloseTo((0.25 + 0 + 4) / 3,
                org.assertj.core.data.Offset.offset(1e-15));
    }

    @Test
    void aMultiInputLossTakesEveryInputByNameAndWritesOneGradientFileEach() throws Exception {
        // triplet, margin 1, euclidean: d(a, p) = 0 (a = p), d(a, n) = 0.5: max(0, 0 − 0.5 + 1) = 0.5
        Path a = dir.resolve("a.npy");
        Path p = dir.resolve("p.npy");
        Path n = dir.resolve("n.npy");
        TensorFiles.writeNpy(a, Tensor.of(new double[] {0, 0}, 1, 2));
        TensorFiles.writeNpy(p, Tensor.of(new double[] {0, 0}, 1, 2));
        TensorFiles.writeNpy(n, Tensor.of(new double[] {0.3, 0.4}, 1, 2));
        Path g = dir.resolve("g.npy");
        CliTest.Run r = CliTest.run("eval", "triplet", "--input-file", "anchor=" + a, "positive=" + p,
                "negative=" + n, "--grad", g.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Double.parseDouble(r.out().strip())).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-6));
        for (String in : List.of("anchor", "positive", "negative")) {
            assertThat(dir.resolve("g." + in + ".npy")).exists();
        }
        // ∂/∂negative of −‖a − n‖ = −(n − a)/‖n − a‖ = (−0.6, −0.8)
        Tensor gn = TensorFiles.readNpy(dir.resolve("g.negative.npy"));
        assertThat(gn.getDouble(0)).isCloseTo(-0.6, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(gn.getDouble(1)).isCloseTo(-0.8, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(g).doesNotExist();
    }
}
