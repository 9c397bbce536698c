package org.losses4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's report and verdicts: contents, version and date, setup, rules that decide the verdicts. */
class DemoReportTest {
    @TempDir
    Path dir;

    @Test
    void theReportHasContentsVersionDateSetupAndRules() throws Exception {
        Path report = dir.resolve("r.html");
        CliTest.Run r = CliTest.run("demo", "--quick", "--only", "2,7", "--report", report.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("report: " + report);
        String html = Files.readString(report);
        assertThat(html).contains("<nav id=\"toc\">").contains("href=\"#exp2\"").contains("href=\"#exp7\"")
                .contains("losses4j " + Main.version() + ", ").containsPattern("20\\d\\d-\\d\\d-\\d\\dT\\d\\d:\\d\\d")
                .contains("<p class=\"setup\">Data: ").contains("Optimiser: ").contains("<p class=\"rule\">Rule: ");
        assertThat(html.length()).as("two experiments' report, bytes").isLessThan(2_000_000 * 2 / 7);
    }

    @Test
    void experimentSevensVerdictFollowsFromItsNumbersByItsRule() {
        for (String seed : new String[] {"42", "7"}) {
            CliTest.Run r = CliTest.run("demo", "--quick", "--only", "7", "--seed", seed);
            assertThat(r.code()).as(r.err()).isZero();
            Matcher p = Pattern.compile("(?m)^    poisson_nll\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)$").matcher(r.out());
            Matcher m = Pattern.compile("(?m)^    mse\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)$").matcher(r.out());
            assertThat(p.find() && m.find()).as(r.out()).isTrue();
            int wins = 0;
            for (int k = 1; k <= 3; k++) {
                wins += Double.parseDouble(p.group(k)) < Double.parseDouble(m.group(k)) ? 1 : 0;
            }
            assertThat(r.out()).contains("rule: borne out if Poisson NLL is better (lower) than MSE on at least 2 of"
                    + " the 3 metrics");
            assertThat(r.out()).contains("verdict: " + (wins >= 2 ? "BORNE OUT" : "NOT BORNE OUT") + ": Poisson NLL was"
                    + " better on " + wins + " of 3 metrics");
        }
    }

    @Test
    void everyExperimentStatesItsSetupAndRule() {
        CliTest.Run r = CliTest.run("demo", "--quick", "--only", "1,3,6");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().split("\n    rule: borne out if ", -1)).hasSize(4);
        for (var e : org.losses4j.cli.demo.DemoCommandAccess.experiments()) {
            assertThat(e).contains("Data: ").contains("Model: ").contains("Optimiser: ");
        }
    }
}
