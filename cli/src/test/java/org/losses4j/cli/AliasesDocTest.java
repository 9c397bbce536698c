package org.losses4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.losses4j.Aliases;

/** Issue 21: PyTorch and Keras names in describe, eval and list, and the page docs/aliases.md. */
class AliasesDocTest {
    @TempDir
    Path dir;

    @Test
    void docsAliasesMdIsTheGeneratedTableAndTheReadmeLinksIt() throws Exception {
        String page = Files.readString(Path.of("../docs/aliases.md"));
        assertThat(page).as("docs/aliases.md is out of date: regenerate it with"
                + " ./losses list --aliases --markdown > docs/aliases.md").isEqualTo(ListCommand.aliasesMarkdown());
        for (Aliases.Alias a : Aliases.all()) {
            assertThat(page).contains("| `" + a.name() + "` | `" + a.target() + "` |");
        }
        CliTest.Run r = CliTest.run("list", "--aliases", "--markdown");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo(page);
        String readme = Files.readString(Path.of("../README.md"));
        assertThat(readme).contains("docs/aliases.md").contains("losses describe MSELoss");
    }

    @Test
    void describeShowsTheAliasLineAndTheCatalogNameItsAliases() {
        CliTest.Run r = CliTest.run("describe", "MSELoss");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().findFirst().orElseThrow()).startsWith("alias of mse (PyTorch torch.nn.MSELoss): ");
        assertThat(r.out()).contains("mse  (regression)");
        CliTest.Run kl = CliTest.run("describe", "KLDivLoss");
        assertThat(kl.out()).contains("alias of kl_div (PyTorch torch.nn.KLDivLoss): the peer's defaults are"
                + " reduction=mean");
        CliTest.Run mse = CliTest.run("describe", "mse");
        assertThat(mse.out()).contains("aliases      MSELoss (PyTorch), MeanSquaredError (Keras)")
                .doesNotContain("alias of");
        CliTest.Run json = CliTest.run("describe", "Poisson", "--json");
        assertThat(json.out()).contains("\"peer\" : \"keras.losses.Poisson\"").contains("\"log_input\" : \"false\"");
    }

    @Test
    void evalTakesAnAliasAndAMistypedNameSuggestsOne() throws Exception {
        Path x = dir.resolve("x.csv");
        Path y = dir.resolve("y.csv");
        Files.writeString(x, "1\n2\n");
        Files.writeString(y, "0\n0\n");
        // ((1 − 0)² + (2 − 0)²) / 2
        CliTest.Run r = CliTest.run("eval", "MSELoss", "--input", x.toString(), "--target", y.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Double.parseDouble(r.out().strip())).isEqualTo(2.5);
        CliTest.Run bad = CliTest.run("eval", "MSEloss", "--input", x.toString(), "--target", y.toString());
        assertThat(bad.code()).isEqualTo(2);
        // the library's pointer to Losses.catalog() becomes the tool's own
        assertThat(bad.err()).contains("did you mean 'MSELoss'?").contains("`losses list` shows them all")
                .doesNotContain("Losses.catalog()");
        assertThat(CliTest.run("list", "--aliases").out()).contains("BCEWithLogitsLoss").contains("→ bce_with_logits");
    }
}
