package org.losses4j.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The report's figures show what the experiments measured: one test-metric chart per experiment
 * whose lines are the metric computed at each step (ending at the table's value), and a figure of
 * what each model learned, with the data and one fit, boundary, mask or embedding per model.
 */
class DemoFiguresTest {
    static final List<DemoCommand.Done> DONE = new ArrayList<>();
    static String html;

    @BeforeAll
    static void runQuickDemo() {
        List<Experiment> all = DemoCommand.experiments();
        for (int i = 0; i < all.size(); i++) {
            DONE.add(new DemoCommand.Done(i + 1, all.get(i), all.get(i).run(42 + i + 1, true, what -> { }), 0));
        }
        html = Report.html(DONE, 42, true);
    }

    @Test
    void everyTrainedLossHasATestCurveFromStepZeroToTheLastEndingAtTheTablesValue() {
        for (DemoCommand.Done d : DONE) {
            Experiment.Outcome o = d.outcome();
            assertThat(o.testMetric).as("experiment %d", d.index()).isIn(o.metrics);
            assertThat(o.testCurves.keySet()).as("experiment %d", d.index()).isEqualTo(o.curves.keySet());
            int metric = o.metrics.indexOf(o.testMetric);
            for (Map.Entry<String, double[][]> c : o.testCurves.entrySet()) {
                double[] steps = c.getValue()[0];
                double[] values = c.getValue()[1];
                int total = o.curves.get(c.getKey()).length;
                assertThat(steps.length).isBetween(30, 62).isEqualTo(values.length);
                assertThat(steps[0]).isZero();
                assertThat(steps[steps.length - 1]).isEqualTo(total);
                for (int i = 1; i < steps.length; i++) {
                    assertThat(steps[i]).isGreaterThan(steps[i - 1]);
                }
                assertThat(values[values.length - 1]).as("experiment %d, %s: last test point vs table", d.index(),
                        c.getKey()).isEqualTo(o.get(c.getKey(), metric));
                // training changed the model: the metric before training differs from the trained one
                assertThat(values[0]).as("experiment %d, %s", d.index(), c.getKey()).isNotEqualTo(values[values.length - 1]);
            }
        }
    }

    @Test
    void theReportDrawsOneTestMetricChartPerExperimentWithExactlyTheMeasuredPoints() {
        for (DemoCommand.Done d : DONE) {
            Experiment.Outcome o = d.outcome();
            String chart = only("<svg[^>]*class=\"chart test-metric\" data-exp=\"" + d.index() + "\"", "</svg>", d);
            assertThat(chart).contains("data-metric=\"" + Report.esc(o.testMetric) + "\"");
            for (Map.Entry<String, double[][]> c : o.testCurves.entrySet()) {
                Matcher m = Pattern.compile("<polyline class=\"series\" data-name=\"" + Pattern.quote(Report.esc(c.getKey()))
                        + "\" data-y=\"([^\"]*)\"[^>]* points=\"([^\"]*)\"").matcher(chart);
                assertThat(m.find()).as("experiment %d: a line for %s", d.index(), c.getKey()).isTrue();
                double[] drawn = java.util.Arrays.stream(m.group(1).split(" ")).mapToDouble(Double::parseDouble).toArray();
                assertThat(drawn).as("experiment %d, %s: data-y", d.index(), c.getKey()).containsExactly(c.getValue()[1]);
                String[] pts = m.group(2).split(" ");
                assertThat(pts).hasSize(drawn.length);
                // a higher value is drawn higher (smaller pixel y), on a linear or a log axis
                for (int i = 1; i < pts.length; i++) {
                    double y0 = Double.parseDouble(pts[i - 1].split(",")[1]);
                    double y1 = Double.parseDouble(pts[i].split(",")[1]);
                    double x0 = Double.parseDouble(pts[i - 1].split(",")[0]);
                    double x1 = Double.parseDouble(pts[i].split(",")[0]);
                    assertThat(x1).isGreaterThan(x0);
                    if (y0 != y1) { // (pixels are rounded to 0.1: nearly equal values may share one)
                        assertThat(Math.signum(y0 - y1)).as("experiment %d, %s, point %d", d.index(), c.getKey(), i)
                                .isEqualTo(Math.signum(drawn[i] - drawn[i - 1]));
                    }
                }
            }
        }
    }

    @Test
    void everyExperimentShowsWhatItsModelsLearnedWithTheDataAndOneFitPerModel() {
        for (DemoCommand.Done d : DONE) {
            Experiment.Outcome o = d.outcome();
            String f = only("<figure class=\"learned\" id=\"learned" + d.index() + "\">", "</figure>", d);
            assertThat(f).contains("<figcaption>What each model learned: ");
            int losses = o.curves.size();
            switch (d.index()) {
                case 1 -> { // training rows and one fit line per loss (and the dashed truth)
                    assertThat(f).contains("data-kind=\"fits\"");
                    assertThat(count(circles(f, "training rows"), "<circle")).isEqualTo(300);
                    assertThat(lines(f)).containsAll(o.curves.keySet()).contains("truth").hasSize(losses + 1);
                }
                case 2 -> { // every test positive and one boundary per loss
                    assertThat(f).contains("data-kind=\"boundaries\"");
                    assertThat(count(circles(f, "positives"), "<circle")).isEqualTo(200);
                    assertThat(count(circles(f, "negatives"), "<circle")).isBetween(300, 500);
                    assertThat(lines(f)).containsExactlyElementsOf(o.curves.keySet());
                }
                case 3 -> assertThat(lines(f)).contains("calibrated").containsAll(o.curves.keySet());
                case 4 -> { // per shown image: the image, the true mask, one predicted mask per loss
                    assertThat(f).contains("data-kind=\"masks\"");
                    assertThat(count(f, "<g class=\"image\">")).isEqualTo(Segmentation.SHOWN);
                    assertThat(count(f, "<g class=\"mask\">")).isEqualTo(Segmentation.SHOWN * (1 + losses));
                }
                case 5 -> { // untrained and each trained embedding, 8 classes each
                    assertThat(f).contains("data-kind=\"embeddings\"");
                    assertThat(count(f, "<g class=\"points\" data-name=\"class ")).isEqualTo(8 * (1 + losses));
                    assertThat(count(f, "<circle")).isEqualTo(MetricLearning.SHOWN * (1 + losses));
                }
                case 6 -> {
                    assertThat(count(f, "<g class=\"bars\" data-name=\"true weight\"")).isEqualTo(1);
                    assertThat(lines(f)).containsExactlyElementsOf(o.curves.keySet());
                }
                case 7 -> {
                    assertThat(count(circles(f, "test rows"), "<circle")).isEqualTo(PoissonCounts.SHOWN);
                    assertThat(lines(f)).containsAll(o.curves.keySet()).contains("truth");
                }
                default -> throw new AssertionError("no figure check for experiment " + d.index());
            }
        }
    }

    @Test
    void theWholeQuickReportStaysSmall() {
        assertThat(html.length()).as("report characters").isLessThan(1_000_000);
    }

    /** The one substring of the report from a match of {@code start} to the next {@code end}. */
    static String only(String start, String end, DemoCommand.Done d) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(start).matcher(html);
        while (m.find()) {
            out.add(html.substring(m.start(), html.indexOf(end, m.end()) + end.length()));
        }
        assertThat(out).as("'%s' in experiment %d", start, d.index()).hasSize(1);
        return out.get(0);
    }

    static String circles(String f, String name) {
        int at = f.indexOf("<g class=\"points\" data-name=\"" + name + "\"");
        assertThat(at).as("points '%s'", name).isNotNegative();
        return f.substring(at, f.indexOf("</g>", at));
    }

    static List<String> lines(String f) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("<polyline class=\"series\" data-name=\"([^\"]*)\"").matcher(f);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    static int count(String s, String what) {
        return s.split(Pattern.quote(what), -1).length - 1;
    }
}
