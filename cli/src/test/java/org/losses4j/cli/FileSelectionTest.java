package org.losses4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.losses4j.cli.OutputSafetyTest.refused;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.losses4j.Tensor;

/**
 * Issue 21: a column of a CSV file ({@code data.csv:y_pred}, {@code data.csv:3}), an array of
 * a NumPy .npz archive (fixtures written by real numpy: npz/make_fixtures.py), and standard
 * input ({@code -}), whole and streamed. Expected values are worked out by hand:
 * pred = [0.1, -2, 3.5], target = [0, 0.3, 0] gives mse = (0.01 + 5.29 + 12.25) / 3 = 5.85.
 */
class FileSelectionTest {
    @TempDir
    Path dir;

    static final double MSE = 5.85;

    /** id (text), target, prediction, weight: the columns a pandas export might have. */
    static final String DATA = "id,y_true,y_pred,w\na1,0,0.1,1\na2,0.3,-2.0,0\na3,0,3.5,2\n";

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    static Path fixture(String name) {
        try {
            return Path.of(FileSelectionTest.class.getResource("npz/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    static double value(CliTest.Run r) {
        assertThat(r.code()).as(r.err()).isZero();
        return Double.parseDouble(r.out().strip());
    }

    /** eval LOSS --input X --target Y, whole, streamed, and streamed a row at a time: the three values. */
    private static List<Double> everyWay(String loss, String x, String y, String... more) {
        List<Double> out = new ArrayList<>();
        for (List<String> how : List.of(List.<String>of(), List.of("--stream"), List.of("--stream",
                "--stream-chunk-rows", "1"))) {
            List<String> a = new ArrayList<>(List.of("eval", loss, "--input", x, "--target", y));
            a.addAll(List.of(more));
            a.addAll(how);
            out.add(value(CliTest.run(a.toArray(String[]::new))));
        }
        return out;
    }

    /** Runs the CLI with {@code stdin} as standard input. */
    static CliTest.Run withStdin(byte[] stdin, String... args) {
        InputStream old = System.in;
        try {
            System.setIn(new ByteArrayInputStream(stdin));
            return CliTest.run(args);
        } finally {
            System.setIn(old);
        }
    }

    @Test
    void aColumnIsChosenByHeaderNameOrByNumberFromOneWholeAndStreamed() throws Exception {
        Path d = write("data.csv", DATA);
        assertThat(everyWay("mse", d + ":y_pred", d + ":y_true")).allSatisfy(v -> assertThat(v).isCloseTo(MSE,
                within(1e-12)));
        assertThat(everyWay("mse", d + ":3", d + ":2")).allSatisfy(v -> assertThat(v).isCloseTo(MSE,
                within(1e-12)));
        // a header-less file: by number only
        Path bare = write("bare.csv", "a1,0,0.1\na2,0.3,-2.0\na3,0,3.5\n");
        assertThat(everyWay("mse", bare + ":3", bare + ":2")).allSatisfy(v -> assertThat(v).isCloseTo(MSE,
                within(1e-12)));
        refused(CliTest.run("eval", "mse", "--input", bare + ":y_pred", "--target", bare + ":2"),
                "bare.csv has no column 'y_pred'");
        // weights from a column too (elementwise: streamed), as PyTorch's BCELoss(weight=w):
        // mean of w·(−log p or −log(1 − p)) = (1·log 2 + 2·log(4/3)) / 2
        Path b = write("b.csv", "id,p,y,w\nr1,0.5,1,1\nr2,0.25,0,2\n");
        double weighted = (Math.log(2) + 2 * Math.log(4.0 / 3)) / 2;
        assertThat(everyWay("bce", b + ":p", b + ":y", "--input-file", "weight=" + b + ":w"))
                .allSatisfy(v -> assertThat(v).isCloseTo(weighted, within(1e-12)));
    }

    @Test
    void aColumnThatIsNotThereIsRefusedNamingTheFileAndItsColumns() throws Exception {
        Path d = write("data.csv", DATA);
        for (String how : new String[] {"", "--stream"}) {
            List<String> a = new ArrayList<>(List.of("eval", "mse", "--input", d + ":ypred", "--target",
                    d + ":y_true"));
            if (!how.isEmpty()) {
                a.add(how);
            }
            CliTest.Run r = CliTest.run(a.toArray(String[]::new));
            refused(r, d + " has no column 'ypred'");
            assertThat(r.err()).contains("id, y_true, y_pred, w");
        }
        refused(CliTest.run("eval", "mse", "--input", d + ":0", "--target", d + ":2"), "numbered from 1 to 4");
        refused(CliTest.run("eval", "mse", "--input", d + ":5", "--target", d + ":2"), "has no column 5");
        refused(CliTest.run("eval", "mse", "--input", d + ":", "--target", d + ":2"), "nothing after the colon");
        // only the chosen cell must be a number, but every row keeps the file's columns
        Path ragged = write("ragged.csv", "id,y_true,y_pred\na1,0,0.1\na2,0.3\n");
        refused(CliTest.run("eval", "mse", "--input", ragged + ":y_pred", "--target", ragged + ":y_true"),
                "ragged.csv:3: row has 2 columns, expected 3");
        Path text = write("text.csv", "id,y_true,y_pred\na1,0,0.1\na2,x,1\n");
        refused(CliTest.run("eval", "mse", "--input", text + ":y_pred", "--target", text + ":y_true"),
                "text.csv:3:2: 'x' is not a number");
        // a missing file with a selection is reported as the file
        refused(CliTest.run("eval", "mse", "--input", dir.resolve("nope.csv") + ":y", "--target", d + ":2"),
                "nope.csv: no such file");
        Path npy = dir.resolve("x.npy");
        TensorFiles.writeNpy(npy, Tensor.of(new double[] {1, 2, 3}, 3));
        refused(CliTest.run("eval", "mse", "--input", npy + ":a", "--target", d + ":2"), "is neither");
    }

    @Test
    void aFileWhoseNameHasAColonIsReadAndAnExistingFileWins() throws Exception {
        Path odd = write("a:b.csv", "p,y\n0.1,0\n-2.0,0.3\n3.5,0\n");
        assertThat(value(CliTest.run("eval", "mse", "--input", odd + ":p", "--target", odd + ":y")))
                .isCloseTo(MSE, within(1e-12));
        Path whole = write("c:d.csv", "0.1\n-2.0\n3.5\n");
        Path y = write("y.csv", "0\n0.3\n0\n");
        assertThat(value(CliTest.run("eval", "mse", "--input", whole.toString(), "--target", y.toString())))
                .isCloseTo(MSE, within(1e-12));
        // both data.csv and a file named "data.csv:1" exist: the existing file wins (and then its
        // name, ending in .csv:1, has no known format), column 1 of data.csv is not read
        write("data.csv", "z\n0\n0\n0\n");
        Path literal = write("data.csv:1", "0.1\n-2.0\n3.5\n");
        refused(CliTest.run("eval", "mse", "--input", literal.toString(), "--target", y.toString()),
                "data.csv:1: unknown file type");
        Path win = write("x.csv:y.csv", "0.1\n-2.0\n3.5\n");
        write("x.csv", "y.csv\n0\n0\n0\n");
        assertThat(value(CliTest.run("eval", "mse", "--input", win.toString(), "--target", y.toString())))
                .isCloseTo(MSE, within(1e-12));
    }

    @Test
    void npzArraysWrittenByNumpyAreReadStoredOrDeflatedWithOrWithoutNpy() {
        Path stored = fixture("stored.npz");
        assertThat(everyWay("mse", stored + ":pred", stored + ":target.npy")).allSatisfy(v -> assertThat(v)
                .isCloseTo(MSE, within(1e-12)));
        // float32 predictions against an int32 target (widened): (0.25 + 0 + 1) / 3
        Path deflated = fixture("deflated.npz");
        assertThat(everyWay("mse", deflated + ":pred", deflated + ":target")).allSatisfy(v -> assertThat(v)
                .isCloseTo(1.25 / 3, within(1e-12)));
        // the only array of an archive needs no name (numpy called it arr_0)
        assertThat(value(CliTest.run("eval", "mse", "--input", fixture("single.npz").toString(), "--target",
                stored + ":target"))).isCloseTo(MSE, within(1e-12));
        assertThat(value(CliTest.run("eval", "mse", "--input", fixture("single.npz") + ":arr_0", "--target",
                stored + ":target"))).isCloseTo(MSE, within(1e-12));
        // logits [[0, 0, 0], [1, 2, 3]], labels [1, 2]: (log 3 + log(1 + e^-1 + e^-2)) / 2
        double ce = (Math.log(3) + Math.log(1 + Math.exp(-1) + Math.exp(-2))) / 2;
        assertThat(everyWay("cross_entropy", deflated + ":logits", deflated + ":labels")).allSatisfy(v ->
                assertThat(v).isCloseTo(ce, within(1e-12)));
    }

    @Test
    void npzErrorsNameTheArraysThereAre() throws Exception {
        Path stored = fixture("stored.npz");
        CliTest.Run r = CliTest.run("eval", "mse", "--input", stored + ":prediction", "--target", stored + ":target");
        refused(r, "has no array 'prediction'");
        assertThat(r.err()).contains("pred, target, anchor, positive, negative");
        refused(CliTest.run("eval", "mse", "--input", stored.toString(), "--target", stored + ":target"),
                "holds 5 arrays (pred, target, anchor, positive, negative): choose one");
        refused(CliTest.run("eval", "mse", "--input", stored + ":prediction", "--target", stored + ":target",
                "--stream"), "has no array 'prediction'");
        Path notZip = write("bad.npz", "not a zip file");
        refused(CliTest.run("eval", "mse", "--input", notZip + ":pred", "--target", stored + ":target"),
                "bad.npz: not an .npz archive");
    }

    @Test
    void multiInputLossesTakeArraysOfOneArchive() {
        Path stored = fixture("stored.npz");
        // d(a, p) = 5, d(a, n) = 1, margin 1: 5 - 1 + 1 (PyTorch's eps 1e-6 moves it by about 1e-6)
        CliTest.Run r = CliTest.run("eval", "triplet", "--input-file", "anchor=" + stored + ":anchor",
                "positive=" + stored + ":positive", "negative=" + stored + ":negative");
        assertThat(value(r)).isCloseTo(5.0, within(1e-5));
    }

    @Test
    void standardInputIsReadAsCsvOrNpyByItsFirstBytes() throws Exception {
        Path y = write("y.csv", "0\n0.3\n0\n");
        byte[] csv = "p\n0.1\n-2.0\n3.5\n".getBytes(StandardCharsets.UTF_8);
        Path x = dir.resolve("x.npy");
        TensorFiles.writeNpy(x, Tensor.of(new double[] {0.1, -2.0, 3.5}, 3));
        byte[] npy = Files.readAllBytes(x);
        for (byte[] in : new byte[][] {csv, npy}) {
            for (List<String> how : List.of(List.<String>of(), List.of("--stream"))) {
                List<String> a = new ArrayList<>(List.of("eval", "mse", "--input", "-", "--target", y.toString()));
                a.addAll(how);
                assertThat(value(withStdin(in, a.toArray(String[]::new)))).isCloseTo(MSE, within(1e-12));
            }
            // the target from stdin
            assertThat(value(withStdin(in, "eval", "mse", "--input", y.toString(), "--target", "-")))
                    .isCloseTo(MSE, within(1e-12));
        }
        // a column of stdin; an .npz on stdin
        assertThat(value(withStdin(DATA.getBytes(StandardCharsets.UTF_8), "eval", "mse", "--input", "-:y_pred",
                "--target", y.toString()))).isCloseTo(MSE, within(1e-12));
        assertThat(value(withStdin(Files.readAllBytes(fixture("stored.npz")), "eval", "mse", "--input",
                "-:pred", "--target", y.toString()))).isCloseTo(MSE, within(1e-12));
        // errors name stdin
        refused(withStdin("p\n0.1\nx\n3.5\n".getBytes(StandardCharsets.UTF_8), "eval", "mse", "--input", "-",
                "--target", y.toString()), "stdin:3:1: 'x' is not a number");
    }

    @Test
    void aStreamedMeanGradientReadsStandardInputTwice() throws Exception {
        // the gradient of mse's mean needs N first: two passes over the copy of stdin
        Path y = write("y.csv", "0\n0.3\n0\n");
        Path g = dir.resolve("g.csv");
        CliTest.Run r = withStdin("0.1\n-2.0\n3.5\n".getBytes(StandardCharsets.UTF_8), "eval", "mse", "--input",
                "-", "--target", y.toString(), "--stream", "--grad", g.toString());
        assertThat(value(r)).isCloseTo(MSE, within(1e-12));
        // d/dx mean (x - y)^2 = 2 (x - y) / 3
        assertThat(Files.readAllLines(g).stream().mapToDouble(Double::parseDouble).toArray()).containsExactly(
                new double[] {2 * 0.1 / 3, 2 * -2.3 / 3, 2 * 3.5 / 3}, within(1e-12));
    }

    @Test
    void onlyOneArgumentMayBeStandardInputAndItsCopyIsRemoved() throws Exception {
        byte[] csv = "0.1\n-2.0\n3.5\n".getBytes(StandardCharsets.UTF_8);
        refused(withStdin(csv, "eval", "mse", "--input", "-", "--target", "-"), "only one input");
        refused(withStdin(csv, "eval", "mse", "--input", "-:1", "--target", "-"), "only one input");
        refused(withStdin(csv, "eval", "triplet", "--input-file", "anchor=-", "positive=-", "negative=-"),
                "only one input");
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> before = stdinCopies(tmp);
        Path y = write("y.csv", "0\n0.3\n0\n");
        assertThat(value(withStdin(csv, "eval", "mse", "--input", "-", "--target", y.toString())))
                .isCloseTo(MSE, within(1e-12));
        assertThat(stdinCopies(tmp)).isEqualTo(before);
    }

    private static List<Path> stdinCopies(Path tmp) throws Exception {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("losses-stdin-")).sorted().toList();
        }
    }
}
