package org.losses4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.losses4j.LossInfo;
import org.losses4j.Losses;

/** The command line's user experience: user errors, help, version, scripting options. */
class CliUxTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static CliTest.Run run(String... args) {
        return CliTest.run(args);
    }

    /** Exit 2, exactly one line on stderr holding the fragment, nothing on stdout, no stack trace. */
    static void userError(CliTest.Run r, String fragment) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains(fragment).doesNotContain("Exception");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void plotToAMissingFolderIsAUserError() {
        userError(run("plot", "huber", "--out", dir.resolve("nonexistent/r.png").toString()), "no such directory");
        userError(run("plot", "huber", "--out", dir.resolve("r.pdf").toString()), "use a .png or .svg");
        userError(run("plot", "huber", "--out", dir.toString() + "/"), "is a directory");
    }

    @Test
    void demoReportPathIsCheckedBeforeAnyExperimentRuns() {
        long t0 = System.nanoTime();
        userError(run("demo", "--report", dir.resolve("nonexistent/r.html").toString()), "no such directory");
        assertThat((System.nanoTime() - t0) / 1e9).as("seconds: no experiment may run first").isLessThan(3);
    }

    @Test
    void aLossNamedTwiceIsRefused() {
        userError(run("plot", "focal", "focal", "--out", dir.resolve("f.png").toString()), "named twice");
    }

    @Test
    void plotRangesThatOverflowOrAreInfiniteAreRefused() {
        String out = dir.resolve("x.png").toString();
        userError(run("plot", "mse", "--range", "-1e200:1e200", "--out", out), "narrower --range");
        userError(run("plot", "mse", "--range", "-Infinity:1", "--out", out), "must be finite");
        userError(run("plot", "mse", "--range", "-1.7e308:1.7e308", "--out", out), "must be finite");
        assertThat(Path.of(out)).doesNotExist();
    }

    @Test
    void anOptionNoPlottedLossHasIsRefused() {
        userError(run("plot", "huber", "-o", "gamma=2", "--out", dir.resolve("h.png").toString()),
                "no plotted loss has the option gamma");
    }

    @Test
    void aRepeatedOptionIsRefused() {
        userError(run("plot", "focal", "-o", "gamma=0", "-o", "gamma=5", "--out", dir.resolve("f.png").toString()),
                "gamma is given twice");
    }

    @Test
    void optionsAreAcceptedAsKeyValueInTwoArguments() throws Exception {
        Path a = dir.resolve("a.png");
        Path b = dir.resolve("b.png");
        CliTest.Run r1 = run("plot", "focal", "-o", "gamma", "5", "--out", a.toString());
        CliTest.Run r2 = run("plot", "focal", "-o", "gamma=5", "--out", b.toString());
        assertThat(r1.code()).as(r1.err()).isZero();
        assertThat(r2.code()).as(r2.err()).isZero();
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
        assertThat(Files.readAllBytes(a)).isNotEqualTo(Files.readAllBytes(plotFocal("gamma=0")));
        userError(run("plot", "focal", "-o", "gamma"), "needs a value");
    }

    Path plotFocal(String option) {
        Path p = dir.resolve(option + ".png");
        assertThat(run("plot", "focal", "-o", option, "--out", p.toString()).code()).isZero();
        return p;
    }

    @Test
    void informationalLinesGoToStderr() {
        CliTest.Run r = run("plot", "mse", "--out", dir.resolve("m.png").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("wrote");
    }

    @Test
    void noCommandPrintsHelpAndExitsTwo() {
        CliTest.Run r = run();
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Usage: losses").contains("eval").contains("completion");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void versionIsTheProjectVersionFromThePom() throws Exception {
        // cli/pom.xml: the first <version> is the parent's, the project version
        Matcher m = Pattern.compile("<version>([^<]+)</version>").matcher(Files.readString(Path.of("pom.xml")));
        assertThat(m.find()).isTrue();
        CliTest.Run r = run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("losses4j " + m.group(1) + "\n");
    }

    @Test
    void aMistypedCommandGetsADidYouMean() {
        userError(run("evl"), "did you mean: eval?");
        userError(run("plto", "mse"), "did you mean: plot");
    }

    @Test
    void completionScriptComesFromPicocli() {
        CliTest.Run r = run("completion");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("complete -F").contains("recommend").contains("--task");
    }

    @Test
    void describeJsonAndQuiet() throws Exception {
        CliTest.Run r = run("describe", "huber", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.get("name").asText()).isEqualTo("huber");
        assertThat(j.get("options").get(0).get("name").asText()).isEqualTo("delta");
        assertThat(j.get("properties").get("robust_to_outliers").asBoolean()).isTrue();
        CliTest.Run q = run("describe", "huber", "--quiet");
        assertThat(q.out().strip()).doesNotContain("\n").startsWith("huber: ");
        assertThat(q.err()).isEmpty();
    }

    @Test
    void listJsonQuietAndHeader() throws Exception {
        CliTest.Run r = run("list", "--json");
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.size()).isEqualTo(Losses.catalog().size());
        assertThat(r.err()).isEmpty();
        CliTest.Run q = run("list", "--quiet");
        assertThat(q.out().strip().split("\n")).containsExactlyElementsOf(
                Losses.catalog().stream().map(LossInfo::name).toList());
        assertThat(q.err()).isEmpty();
        CliTest.Run t = run("list", "--family", "preference");
        long preference = Losses.catalog().stream().filter(i -> i.family() == org.losses4j.Family.PREFERENCE).count();
        assertThat(t.err()).contains("losses4j catalog: " + preference + " losses in 1 family,");
        assertThat(t.out()).doesNotContain("losses4j catalog");
    }

    @Test
    void recommendJsonAndQuiet() throws Exception {
        CliTest.Run r = run("recommend", "--task", "binary", "--imbalanced", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.get("task").asText()).isEqualTo("binary");
        assertThat(j.get("traits").get(0).asText()).isEqualTo("imbalanced");
        assertThat(j.get("recommendations").get(0).get("loss").asText()).isEqualTo("bce_with_logits");
        CliTest.Run q = run("recommend", "--task", "metric", "--quiet");
        assertThat(q.out().strip().split("\n")).containsExactly("triplet", "nt_xent", "contrastive");
    }

    @Test
    void theBaselineScriptBenchHelpNamesIsInTheRepository() throws Exception {
        CliTest.Run r = run("bench", "--help");
        Matcher m = Pattern.compile("(\\S*torch_baseline\\.py)").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        Path script = Path.of("..").resolve(m.group(1));
        assertThat(script).exists();
        assertThat(Files.readString(script)).startsWith("#!/usr/bin/python3\n\"\"\"Times PyTorch (CPU)");
    }

    @Test
    void oneExperimentIsSingular() {
        CliTest.Run r = run("demo", "--quick", "--only", "2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("losses4j demo: 1 experiment, seed");
    }

    // ---- the recommender ----

    static List<Recommender.Recommendation> rec(String task, boolean imbalanced) {
        return Recommender.recommend(task, new Recommender.Traits(imbalanced, false, false, false));
    }

    /** The minority recall of each loss in {@code losses demo --only 2}, parsed from its table. */
    static Map<String, Double> demoRecall(String seed) {
        CliTest.Run r = run("demo", "--quick", "--only", "2", "--seed", seed);
        assertThat(r.code()).as(r.err()).isZero();
        Map<String, Double> recall = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^    (bce|weighted bce|focal|focal α=[0-9.]+)\\s+([0-9.]+)\\s").matcher(r.out());
        while (m.find()) {
            recall.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        assertThat(recall).hasSize(4);
        return recall;
    }

    @Test
    void imbalancedBinaryAdviceAgreesWithTheDemosMeasurements() {
        Map<String, Double> recall = demoRecall("42");
        List<Recommender.Recommendation> r = rec("binary", true);
        // the demo's best minority recall is weighted BCE: it comes first
        String best = recall.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertThat(best).isIn("weighted bce", recall.keySet().stream().filter(k -> k.startsWith("focal α")).toList()
                .get(0));
        assertThat(recall.get("focal")).isLessThan(recall.get("weighted bce"));
        assertThat(r.get(0).loss()).isEqualTo("bce_with_logits");
        assertThat(r.get(0).options()).contains("pos_weight");
        // focal is offered only with α weighting the rare (positive) class up, and says so
        for (Recommender.Recommendation x : r) {
            if (x.loss().equals("focal")) {
                Matcher a = Pattern.compile("alpha=([0-9.]+)").matcher(x.options());
                assertThat(a.find()).isTrue();
                assertThat(Double.parseDouble(a.group(1))).isGreaterThan(0.5);
                assertThat(x.reason()).contains("rare class up");
            }
        }
        assertThat(r).extracting(Recommender.Recommendation::loss).doesNotContain("hinge");
    }

    @Test
    void hingeIsNotOfferedForMultilabel() {
        assertThat(rec("multilabel", false)).extracting(Recommender.Recommendation::loss).doesNotContain("hinge");
        assertThat(rec("multilabel", true)).extracting(Recommender.Recommendation::loss).doesNotContain("hinge");
    }

    @Test
    void rankingOffersPairwiseAndListwiseLosses() {
        List<String> reasons = rec("ranking", false).stream().map(Recommender.Recommendation::reason).toList();
        assertThat(String.join(" ", reasons)).contains("pairwise").contains("listwise");
    }

    @Test
    void preferenceOffersDposLossTypes() {
        String all = rec("preference", false).toString();
        for (String type : Losses.info("dpo").options().stream().filter(o -> o.name().equals("loss_type")).findFirst()
                .orElseThrow().allowed().replaceAll("^one of ", "").split(",\\s*")) {
            assertThat(all).contains("loss_type=" + type.strip());
        }
    }

    static List<String> losses(String task, Recommender.Traits t) {
        return Recommender.recommend(task, t).stream().map(Recommender.Recommendation::loss).toList();
    }

    @Test
    void theCatalogsNewerLossesAreRecommendedWhereTheyAreTheAnswer() throws Exception {
        Recommender.Traits none = new Recommender.Traits(false, false, false, false, false);
        // label noise: generalized cross-entropy first, and only when the labels are said to be noisy
        assertThat(losses("multiclass", new Recommender.Traits(false, false, false, false, true)).get(0))
                .isEqualTo("generalized_cross_entropy");
        assertThat(losses("multiclass", none)).doesNotContain("generalized_cross_entropy").contains("poly1_cross_entropy");
        userError(run("recommend", "--task", "binary", "--noisy"), "--noisy does not change the advice");
        // imbalanced multi-label: the asymmetric loss first; not for single-label binary
        assertThat(losses("multilabel", new Recommender.Traits(true, false, false, false, false)).get(0))
                .isEqualTo("asymmetric");
        assertThat(losses("binary", new Recommender.Traits(true, false, false, false, false))).doesNotContain("asymmetric");
        // boosting-friendly robust regression and Barron's family with outliers
        assertThat(losses("regression", new Recommender.Traits(false, true, false, false, false)))
                .contains("pseudo_huber", "robust");
        assertThat(losses("count", none)).contains("tweedie", "gamma");
        assertThat(losses("survival", none)).containsExactly("cox");
        assertThat(losses("time_to_event", none)).containsExactly("cox");
        assertThat(losses("segmentation", new Recommender.Traits(true, false, false, false, false)))
                .contains("generalized_dice", "lovasz_softmax");
        assertThat(losses("restoration", none)).contains("ssim");
        CliTest.Run r = run("recommend", "--task", "time_to_event", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.get("task").asText()).isEqualTo("survival");
        assertThat(j.get("recommendations").get(0).get("family").asText()).isEqualTo("regression");
    }

    @Test
    void taskSynonymsAreAccepted() {
        assertThat(rec("speech", false)).isEqualTo(rec("sequence", false));
        assertThat(rec("classification", false)).isEqualTo(rec("multiclass", false));
        assertThat(rec("llm", false).get(0).loss()).isEqualTo("cross_entropy");
        userError(run("recommend", "--task", "astrology"), "unknown task 'astrology'");
    }

    @Test
    void aFlagThatDoesNotChangeTheAdviceIsRefused() {
        userError(run("recommend", "--task", "regression", "--imbalanced"), "--imbalanced does not change the advice");
        userError(run("recommend", "--task", "binary", "--outliers"), "--outliers does not change the advice");
    }

    @Test
    void everyRecommendationCitesItsSourceAndSetsOnlyOptionsTheLossHas() {
        Pattern opt = Pattern.compile("-o ([a-z_]+)=");
        Pattern file = Pattern.compile("--input-file ([a-z_]+)=");
        for (String task : Recommender.TASKS) {
            List<List<Boolean>> flagSets = new ArrayList<>();
            flagSets.add(List.of(false, false, false, false, false));
            for (int f = 0; f < 5; f++) {
                List<Boolean> one = new ArrayList<>(List.of(false, false, false, false, false));
                one.set(f, true);
                flagSets.add(one);
            }
            for (List<Boolean> fl : flagSets) {
                Recommender.Traits t = new Recommender.Traits(fl.get(0), fl.get(1), fl.get(2), fl.get(3), fl.get(4));
                List<Recommender.Recommendation> recs;
                try {
                    recs = Recommender.recommend(task, t);
                } catch (UserError refusedFlag) {
                    continue;
                }
                for (Recommender.Recommendation r : recs) {
                    assertThat(r.reason()).as(task + " " + r).doesNotContainIgnoringCase("seeds");
                    LossInfo info = Losses.info(r.loss());
                    Matcher m = opt.matcher(r.options());
                    while (m.find()) {
                        String k = m.group(1);
                        assertThat(info.options()).as(task + ": " + r.loss() + " -o " + k)
                                .anyMatch(o -> o.name().equals(k));
                    }
                    Matcher fm = file.matcher(r.options());
                    while (fm.find()) {
                        String k = fm.group(1);
                        assertThat(info.inputs()).as(task + ": " + r.loss() + " --input-file " + k)
                                .anyMatch(i -> i.name().equals(k));
                    }
                }
            }
        }
    }
}
