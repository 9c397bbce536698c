package org.losses4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
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
}
