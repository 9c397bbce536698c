package org.losses4j.cli.demo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.losses4j.cli.Charts;

/** The demo's self-contained HTML report: tables, verdicts and training curves as inline SVG images. */
final class Report {
    private Report() {
    }

    static String html(List<DemoCommand.Done> done, long seed, boolean quick) throws java.io.IOException {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<title>losses4j demo report</title>\n<style>\n")
                .append("body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}\n")
                .append("table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;padding:.25em .6em;")
                .append("text-align:right}td:first-child,th:first-child{text-align:left}\n")
                .append(".yes{color:#176117;font-weight:bold}.no{color:#a11;font-weight:bold}")
                .append("blockquote{color:#555;border-left:3px solid #ccc;margin:.5em 0;padding-left:1em}\n")
                .append("img.chart{max-width:100%;border:1px solid #eee}.setup{color:#333}.rule{font-style:italic}\n")
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
        h.append("<p id=\"summary\">The seeds' claim held in ").append(borne).append(" of ").append(done.size())
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
            if (!o.curves.isEmpty()) {
                h.append("<img class=\"chart\" alt=\"training curves of experiment ").append(d.index())
                        .append("\" src=\"data:image/svg+xml;base64,").append(chart(o)).append("\">\n");
            }
            h.append("</section>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    /** Points per drawn curve at most: the report stays small (a few hundred KB of SVG per chart). */
    static final int MAX_POINTS = 300;

    private static String chart(Experiment.Outcome o) throws java.io.IOException {
        List<Charts.Series> curves = new ArrayList<>();
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
            curves.add(new Charts.Series(c.getKey(), x, y));
        }
        XYChart chart = Charts.lineChart("training curves", "step", "(" + o.curveLabel + " − its minimum) / its"
                + " value at step 1", curves, 760, 360);
        String svg = Charts.svg(List.of(chart));
        return Base64.getEncoder().encodeToString(svg.getBytes(StandardCharsets.UTF_8));
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
