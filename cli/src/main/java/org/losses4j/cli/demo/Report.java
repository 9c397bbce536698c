package org.losses4j.cli.demo;

import java.util.List;
import java.util.Map;

/**
 * The demo's self-contained HTML report: per experiment its table and verdict, the test metric per
 * step, a figure of what each model learned, and the training curves, all as small inline SVG.
 */
final class Report {
    private Report() {
    }

    static String html(List<DemoCommand.Done> done, long seed, boolean quick) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<title>losses4j demo report</title>\n<style>\n")
                .append("body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}\n")
                .append("table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;padding:.25em .6em;")
                .append("text-align:right}td:first-child,th:first-child{text-align:left}\n")
                .append(".yes{color:#176117;font-weight:bold}.no{color:#a11;font-weight:bold}")
                .append("blockquote{color:#555;border-left:3px solid #ccc;margin:.5em 0;padding-left:1em}\n")
                .append("svg{max-width:100%;height:auto}figure{margin:1em 0}figcaption{color:#444;font-size:90%}\n")
                .append(".setup{color:#333}.rule{font-style:italic}\n")
                .append("</style></head><body>\n")
                .append("<h1>losses4j demo</h1>\n<p id=\"meta\">losses4j ").append(esc(org.losses4j.cli.Main.version()))
                .append(", ").append(java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).withNano(0))
                .append(", Java ").append(esc(System.getProperty("java.version"))).append(". Seed ").append(seed)
                .append(quick ? ", quick run" : ", full run")
                .append(". Every number below was measured in this run; nothing is asserted that was not. Each"
                        + " verdict follows from the table by the rule printed above it.</p>\n");
        h.append("<nav id=\"toc\"><h2>Contents</h2><ol>\n");
        for (DemoCommand.Done d : done) {
            h.append("<li><a href=\"#exp").append(d.index()).append("\">").append(esc(d.experiment().title()))
                    .append("</a> — ").append(d.outcome().borneOut ? "borne out" : "not borne out").append("</li>\n");
        }
        h.append("</ol></nav>\n");
        long borne = done.stream().filter(d -> d.outcome().borneOut).count();
        h.append("<p id=\"summary\">The claim from the loss literature held in ").append(borne).append(" of ").append(done.size())
                .append(" experiments.</p>\n");
        for (DemoCommand.Done d : done) {
            Experiment.Outcome o = d.outcome();
            h.append("<section class=\"experiment\" id=\"exp").append(d.index()).append("\">\n<h2>")
                    .append(d.index()).append(". ").append(esc(d.experiment().title())).append("</h2>\n<blockquote>")
                    .append(esc(d.experiment().claim())).append("</blockquote>\n<p class=\"setup\">")
                    .append(esc(d.experiment().setup())).append("</p>\n<table><tr><th>loss</th>");
            for (String m : o.metrics) {
                h.append("<th>").append(esc(m)).append("</th>");
            }
            h.append("</tr>\n");
            for (Map.Entry<String, double[]> r : o.rows.entrySet()) {
                h.append("<tr><td>").append(esc(r.getKey())).append("</td>");
                for (int m = 0; m < o.metrics.size(); m++) {
                    h.append("<td>").append(o.format(m, r.getValue()[m])).append("</td>");
                }
                h.append("</tr>\n");
            }
            h.append("</table>\n");
            if (!o.rule.isEmpty()) {
                h.append("<p class=\"rule\">Rule: ").append(esc(o.rule)).append(".</p>\n");
            }
            h.append("<p>Verdict: <span class=\"").append(o.borneOut ? "yes\">borne out" : "no\">not borne out")
                    .append("</span>: ").append(esc(o.verdict)).append("</p>\n");
            if (!o.testCurves.isEmpty()) {
                h.append("<figure>").append(testChart(d.index(), o)).append("<figcaption>").append(esc(o.testMetric))
                        .append(" on the test data, measured every few steps while training (the last point is the"
                                + " table's value).</figcaption></figure>\n");
            }
            if (!o.figure.isEmpty()) {
                h.append("<figure class=\"learned\" id=\"learned").append(d.index()).append("\">").append(o.figure)
                        .append("<figcaption>What each model learned: ").append(esc(o.figureCaption))
                        .append("</figcaption></figure>\n");
            }
            if (!o.curves.isEmpty()) {
                h.append("<figure>").append(trainingChart(d.index(), o)).append("<figcaption>Training loss, each"
                        + " loss on its own scale (1 at step 1, 0 at its lowest value): how fast each objective"
                        + " converged, not which model is better.</figcaption></figure>\n");
            }
            h.append("</section>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    /** Points per drawn training curve at most: the report stays small. */
    static final int MAX_POINTS = 300;

    /** The test metric per step, one line per loss; each line's data-y holds the values exactly. */
    static String testChart(int index, Experiment.Outcome o) {
        Svg.Plot p = new Svg.Plot(o.testMetric + " during training", "step", o.testMetric)
                .tag("chart test-metric", " data-exp=\"" + index + "\" data-metric=\"" + esc(o.testMetric) + "\"");
        if (o.testLog) {
            p.logY();
        }
        for (Map.Entry<String, double[][]> c : o.testCurves.entrySet()) {
            p.line(c.getKey(), c.getValue()[0], c.getValue()[1], o.colour(c.getKey()));
        }
        return p.render();
    }

    private static String trainingChart(int index, Experiment.Outcome o) {
        Svg.Plot p = new Svg.Plot("training curves", "step", "(" + o.curveLabel + " − min) / value at step 1")
                .tag("chart training", " data-exp=\"" + index + "\"").size(720, 260);
        for (Map.Entry<String, double[]> c : o.curves.entrySet()) {
            double[] v = c.getValue();
            double min = Double.POSITIVE_INFINITY;
            for (double t : v) {
                min = Math.min(min, t);
            }
            double span = v[0] - min;
            int every = Math.max(1, (v.length + MAX_POINTS - 1) / MAX_POINTS);
            int n = (v.length - 1) / every + 1;
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                int step = i * every;
                x[i] = step + 1;
                // each loss on its own scale, whatever its sign: 1 at step 1, 0 at its lowest value
                y[i] = span > 0 ? (v[step] - min) / span : 0;
            }
            p.line(c.getKey(), x, y, o.colour(c.getKey()));
        }
        return p.render();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
