package org.losses4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.losses4j.Losses;

/** plot: the margin figure, segmentation and divergence losses, sweeps, and the charts' size and look. */
class PlotTest {
    @TempDir
    Path dir;

    CliTest.Run plot(String... args) {
        return CliTest.run(args);
    }

    String svg(String name, String... args) throws Exception {
        Path out = dir.resolve(name + ".svg");
        String[] all = new String[args.length + 3];
        all[0] = "plot";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--out";
        all[args.length + 2] = out.toString();
        CliTest.Run r = CliTest.run(all);
        assertThat(r.code()).as(r.err()).isZero();
        return Files.readString(out);
    }

    @Test
    void theMarginFigureDrawsLogitAndMarginLossesOverTheMargin() throws Exception {
        String s = svg("m", "bce_with_logits", "hinge", "zero_one", "--margin");
        assertThat(s).contains("<polyline");
        // without --margin too: the three share the margin variable
        svg("m2", "bce_with_logits", "hinge", "zero_one", "cross_entropy");
        CliUxTest.userError(CliTest.run("plot", "mse", "hinge", "--margin"), "--margin plots classifiers");
    }

    @Test
    void onTheMarginAxisBceWithLogitsIsTheLogisticLoss() {
        // the margin axis feeds each loss its own convention: soft_margin(m, +1) = bce_with_logits(m, 1)
        for (double m : new double[] {-3, -0.5, 0, 2}) {
            double soft = Losses.create("soft_margin").compute(PlotCommand.inputs(PlotCommand.Axis.MARGIN, m)).value();
            double bce = Losses.create("bce_with_logits").compute(PlotCommand.inputs(PlotCommand.Axis.LOGIT, m)).value();
            double ce = Losses.create("cross_entropy").compute(PlotCommand.inputs(PlotCommand.Axis.TWO_CLASS, m)).value();
            assertThat(bce).isCloseTo(soft, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(ce).isCloseTo(soft, org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    @Test
    void diceAndKlDivArePlottable() throws Exception {
        svg("d", "dice", "jaccard", "tversky", "combo");
        svg("k", "kl_div", "reverse_kl_div", "js_div");
        CliUxTest.userError(CliTest.run("plot", "triplet", "--out", dir.resolve("t.png").toString()),
                "triplet is not one: its inputs are");
    }

    @Test
    void theKlGradientIsTheDerivativeAlongQ() {
        // chain rule through (log q, log(1 − q)) against a finite difference of the value
        double q = 0.3;
        double h = 1e-6;
        var kl = Losses.create("kl_div");
        double up = kl.compute(PlotCommand.inputs(PlotCommand.Axis.DISTRIBUTION, q + h)).value();
        double down = kl.compute(PlotCommand.inputs(PlotCommand.Axis.DISTRIBUTION, q - h)).value();
        double g = PlotCommand.gradient(PlotCommand.Axis.DISTRIBUTION,
                kl.compute(PlotCommand.inputs(PlotCommand.Axis.DISTRIBUTION, q)).grad("input"), q);
        assertThat(g).isCloseTo((up - down) / (2 * h), org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void sweepDrawsOneLossAtSeveralOptionValues() throws Exception {
        String s = svg("s", "focal", "--sweep", "gamma=0,1,2,5");
        assertThat(s.split("<polyline", -1).length - 1).as("4 curves on each of 2 charts (and legend lines)")
                .isGreaterThanOrEqualTo(8);
        CliUxTest.userError(CliTest.run("plot", "focal", "mse", "--sweep", "gamma=0,1"), "name one loss");
        CliUxTest.userError(CliTest.run("plot", "huber", "--sweep", "gamma=0,1"), "huber has no option gamma");
        CliUxTest.userError(CliTest.run("plot", "focal", "--sweep", "gamma=0,0"), "each value once");
        CliUxTest.userError(CliTest.run("plot", "focal", "--sweep", "gamma=0,1", "-o", "gamma=2"), "give it once");
        CliUxTest.userError(CliTest.run("plot", "focal", "--sweep", "gamma=-1,1"), "gamma");
    }

    @Test
    void aFourCurveSvgIsSmallValidXmlWithATitle() throws Exception {
        String s = svg("four", "mse", "mae", "huber", "log_cosh");
        assertThat(s.length()).as("bytes (1.37 MB before)").isLessThan(400_000);
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        assertThat(f.newDocumentBuilder().parse(dir.resolve("four.svg").toFile())).isNotNull();
        XYChart c = Charts.lineChart("t", "x", "y", List.of(new Charts.Series("a", new double[] {0, 1, 2},
                new double[] {0, 1, 4})), 400, 300);
        assertThat(c.getTitle()).isEqualTo("t");
        assertThat(c.getStyler().getLegendPosition()).isEqualTo(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
    }

    @Test
    void curvesAreMovedOffTheEquallySpacedGridSoXChartPicksRoundTicks() {
        Charts.Series s = Charts.offGrid(new Charts.Series("a", new double[] {0, 1, 2, 3}, new double[] {0, 2, 4, 6}));
        assertThat(s.x()).containsExactly(0, 0.5, 1, 2, 3);
        assertThat(s.y()).containsExactly(0, 1, 2, 4, 6);
    }

    @Test
    void compactMergesConnectedSegmentsAndRounds() {
        String in = "<svg>\n<line style=\"a\" x1=\"0.123\" x2=\"1.26\" y1=\"2\" y2=\"3\"/>\n"
                + "<line style=\"a\" x1=\"1.26\" x2=\"2\" y1=\"3\" y2=\"4.449\"/>\n"
                + "<line style=\"b\" x1=\"9\" x2=\"9\" y1=\"0\" y2=\"1\"/>\n</svg>";
        assertThat(Charts.compact(in)).isEqualTo("<svg>\n<polyline style=\"a\" points=\"0.1,2 1.3,3 2,4.4\"/>\n"
                + "<polyline style=\"b\" points=\"9,0 9,1\"/>\n</svg>");
    }

    @Test
    void everyOneVariableViewOfTheCoreHasAnAxisAndNoAxisIsUnused() {
        // plot's axis comes from LossInfo.variable(), not from a list of loss names
        for (org.losses4j.LossInfo.Variable v : org.losses4j.LossInfo.Variable.values()) {
            if (v != org.losses4j.LossInfo.Variable.NONE) {
                assertThat(PlotCommand.Axis.valueOf(v.name()).label).isNotBlank();
            }
        }
        assertThat(PlotCommand.Axis.values()).hasSize(org.losses4j.LossInfo.Variable.values().length - 1);
        // every elementwise loss, margin classifier and region loss has one; coupled losses refuse
        for (org.losses4j.LossInfo info : Losses.catalog()) {
            if (info.layout() == org.losses4j.LossInfo.Layout.ELEMENT) {
                assertThat(info.variable()).as(info.name()).isNotEqualTo(org.losses4j.LossInfo.Variable.NONE);
            }
        }
        assertThat(PlotCommand.axisOf(Losses.info("perceptron"))).isEqualTo(PlotCommand.Axis.MARGIN);
        assertThat(PlotCommand.axisOf(Losses.info("tweedie"))).isEqualTo(PlotCommand.Axis.LOG_MEAN);
        assertThat(PlotCommand.axisOf(Losses.info("mse"))).isEqualTo(PlotCommand.Axis.RESIDUAL);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PlotCommand.axisOf(Losses.info("ctc")))
                .isInstanceOf(UserError.class).hasMessageContaining("ctc is not one");
    }

    @Test
    void theHelpStatesThePointsDefault() {
        assertThat(CliTest.run("plot", "--help").out()).contains("samples per curve (default 401)");
    }
}
