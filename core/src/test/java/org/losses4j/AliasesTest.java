package org.losses4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Issue 21: PyTorch and Keras names as aliases of catalog losses; library messages give no CLI advice. */
class AliasesTest {
    private static Set<String> catalogNames() {
        return Losses.catalog().stream().map(LossInfo::name).collect(Collectors.toSet());
    }

    @Test
    void everyAliasNamesACatalogLossResolvesToItAndIsNoCatalogName() {
        Set<String> names = catalogNames();
        assertThat(Aliases.all()).hasSizeGreaterThan(30);
        for (Aliases.Alias a : Aliases.all()) {
            assertThat(names).as(a.name() + "'s target").contains(a.target());
            assertThat(names).as(a.name() + " must not shadow a catalog name").doesNotContain(a.name());
            assertThat(Losses.info(a.name()).name()).as(a.name()).isEqualTo(a.target());
            assertThat(Losses.exists(a.name())).isTrue();
            assertThat(Losses.create(a.name()).name()).isEqualTo(a.target());
            // the options said to give the peer's defaults are options the loss takes, with valid values
            assertThat(Losses.create(a.name(), a.options()).name()).as(a.name() + " " + a.options())
                    .isEqualTo(a.target());
            assertThat(Aliases.of(a.target())).contains(a);
            assertThat(a.summary()).isNotBlank();
        }
        for (String unmapped : Aliases.unmapped().keySet()) {
            String simple = unmapped.substring(unmapped.lastIndexOf('.') + 1);
            assertThat(Aliases.find(simple)).as(unmapped + " is listed as not aliased").isNull();
        }
    }

    @Test
    void theNamesTheIssueAsksForAreThereWithTheirTargets() {
        Map<String, String> expected = Map.ofEntries(Map.entry("MSELoss", "mse"), Map.entry("L1Loss", "mae"),
                Map.entry("SmoothL1Loss", "smooth_l1"), Map.entry("HuberLoss", "huber"), Map.entry("BCELoss", "bce"),
                Map.entry("BCEWithLogitsLoss", "bce_with_logits"), Map.entry("CrossEntropyLoss", "cross_entropy"),
                Map.entry("NLLLoss", "nll"), Map.entry("KLDivLoss", "kl_div"), Map.entry("CTCLoss", "ctc"),
                Map.entry("MarginRankingLoss", "margin_ranking"), Map.entry("TripletMarginLoss", "triplet"),
                Map.entry("PoissonNLLLoss", "poisson_nll"), Map.entry("GaussianNLLLoss", "gaussian_nll"),
                Map.entry("SoftMarginLoss", "soft_margin"), Map.entry("MeanSquaredError", "mse"),
                Map.entry("MeanAbsoluteError", "mae"), Map.entry("MeanSquaredLogarithmicError", "msle"),
                Map.entry("Huber", "huber"), Map.entry("LogCosh", "log_cosh"), Map.entry("BinaryCrossentropy", "bce"),
                Map.entry("CategoricalCrossentropy", "categorical_cross_entropy"),
                Map.entry("SparseCategoricalCrossentropy", "sparse_categorical_cross_entropy"),
                Map.entry("KLDivergence", "kl_div"), Map.entry("Poisson", "poisson_nll"), Map.entry("Hinge", "hinge"),
                Map.entry("SquaredHinge", "squared_hinge"), Map.entry("CosineSimilarity", "cosine_similarity"),
                Map.entry("BinaryFocalCrossentropy", "focal"), Map.entry("Dice", "dice"),
                Map.entry("Tversky", "tversky"));
        expected.forEach((alias, target) -> assertThat(Losses.info(alias).name()).as(alias).isEqualTo(target));
        assertThat(Aliases.find("KLDivLoss").framework()).isEqualTo(Aliases.Framework.PYTORCH);
        assertThat(Aliases.find("KLDivLoss").qualifiedName()).isEqualTo("torch.nn.KLDivLoss");
        assertThat(Aliases.find("Huber").qualifiedName()).isEqualTo("keras.losses.Huber");
    }

    @Test
    void thePeersDefaultOptionsGiveThePeersValues() {
        // KLDivLoss: log Q = log [0.25, 0.75], P = [0.5, 0.5], one row; KL = ½log 2 + ½log(2/3)
        Inputs kl = Inputs.of(Tensor.of(new double[] {Math.log(0.25), Math.log(0.75)}, 1, 2),
                Tensor.of(new double[] {0.5, 0.5}, 1, 2));
        double sum = 0.5 * Math.log(2) + 0.5 * Math.log(2.0 / 3);
        assertThat(Losses.create("KLDivLoss").value(kl).value()).isCloseTo(sum, within(1e-12)); // batchmean, N = 1
        assertThat(Losses.create("KLDivLoss", Aliases.find("KLDivLoss").options()).value(kl).value())
                .isCloseTo(sum / 2, within(1e-12)); // PyTorch's mean over the 2 elements
        // Keras Poisson: y_pred − y_true·log(y_pred + 1e-7) with the rate 2 and count 1
        Inputs p = Inputs.of(Tensor.of(new double[] {2.0}, 1), Tensor.of(new double[] {1.0}, 1));
        assertThat(Losses.create("Poisson", Aliases.find("Poisson").options()).value(p).value())
                .isCloseTo(2 - Math.log(2 + 1e-7), within(1e-12));
        // Keras MeanAbsolutePercentageError: 100·mean |y − x| / max(|y|, 1e-7); its documented example is 2.5e8
        Inputs pct = Inputs.of(Tensor.of(new double[] {1, 1, 0, 0}, 2, 2), Tensor.of(new double[] {0, 1, 0, 0}, 2, 2));
        assertThat(100 * Losses.create("MeanAbsolutePercentageError", Aliases.find("MeanAbsolutePercentageError")
                .options()).value(pct).value()).isCloseTo(2.5e8, within(1e-4));
        // MSELoss: ((1 − 0)² + (2 − 0)²) / 2
        Inputs m = Inputs.of(Tensor.of(new double[] {1, 2}, 2), Tensor.of(new double[] {0, 0}, 2));
        assertThat(Losses.create("MSELoss").value(m).value()).isEqualTo(2.5);
    }

    @Test
    void aliasesAreExactAndTheSuggestionConsidersThem() {
        assertThatThrownBy(() -> Losses.info("mseloss")).isInstanceOfSatisfying(LossException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNKNOWN_LOSS));
        assertThatThrownBy(() -> Losses.info("MSEloss")).hasMessageContaining("did you mean 'MSELoss'?");
        assertThatThrownBy(() -> Losses.info("BinaryCrossEntropy"))
                .hasMessageContaining("did you mean 'BinaryCrossentropy'?");
        assertThatThrownBy(() -> Losses.create("hubber")).hasMessageContaining("did you mean 'huber'?")
                .hasMessageEndingWith(Losses.CATALOG_HINT);
    }

    /** Any string literal of core's sources that tells the reader to run the command line tool. */
    private static final Pattern CLI_ADVICE = Pattern.compile("\"[^\"\\n]*(`losses|losses (list|describe|eval|plot|"
            + "recommend|demo|bench)\\b)[^\"\\n]*\"");

    @Test
    void libraryMessagesGiveNoCommandLineAdvice() throws IOException {
        List<String> found;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            found = files.filter(f -> f.toString().endsWith(".java")).flatMap(f -> {
                try {
                    return Files.readAllLines(f).stream().filter(l -> !l.strip().startsWith("*")
                            && !l.strip().startsWith("//")).map(l -> {
                                Matcher mt = CLI_ADVICE.matcher(l);
                                return mt.find() ? f + ": " + l.strip() : null;
                            }).filter(java.util.Objects::nonNull);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertThat(found).isEmpty();
        assertThatThrownBy(() -> Losses.info("nope")).message().doesNotContain("losses list").doesNotContain("`");
    }
}
