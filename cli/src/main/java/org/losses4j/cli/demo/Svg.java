package org.losses4j.cli.demo;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Small inline SVG figures for the demo report (HTML5 inline svg: no namespace, no URL in the
 * page), written by hand so that they stay a few KB
 * each: x–y plots (lines, points, bars) with at most about six ticks per axis and the legend
 * beside the plot area, never over it. Each line carries its exact values in {@code data-y} so
 * a test can read back what was drawn.
 */
final class Svg {
    private Svg() {
    }

    /** Saturated, distinguishable series colours (the first four are the losses of most experiments). */
    static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
        "#17becf"};
    static final String DATA = "#9a9a9a";

    static String colour(int i) {
        return COLOURS[i % COLOURS.length];
    }

    private enum Kind { LINE, DASHED, POINTS, BARS }

    private record Item(Kind kind, String name, double[] x, double[] y, String colour, boolean legend) {
    }

    /** One x–y plot. */
    static final class Plot {
        private final String title;
        private final String xLabel;
        private final String yLabel;
        private final List<Item> items = new ArrayList<>();
        private int width = 720;
        private int height = 300;
        private boolean legend = true;
        private boolean logY;
        private double[] xRange;
        private double[] yRange;
        private String cls = "figure";
        private String attrs = "";

        Plot(String title, String xLabel, String yLabel) {
            this.title = title;
            this.xLabel = xLabel;
            this.yLabel = yLabel;
        }

        /** The svg element's class and extra attributes (e.g. {@code data-exp="3"}). */
        Plot tag(String cssClass, String attributes) {
            cls = cssClass;
            attrs = attributes;
            return this;
        }

        Plot size(int w, int h) {
            width = w;
            height = h;
            return this;
        }

        Plot noLegend() {
            legend = false;
            return this;
        }

        /** A logarithmic y axis (used only if every y value is positive). */
        Plot logY() {
            logY = true;
            return this;
        }

        Plot xRange(double lo, double hi) {
            xRange = new double[] {lo, hi};
            return this;
        }

        Plot yRange(double lo, double hi) {
            yRange = new double[] {lo, hi};
            return this;
        }

        Plot line(String name, double[] x, double[] y, String colour) {
            items.add(new Item(Kind.LINE, name, x, y, colour, true));
            return this;
        }

        Plot dashed(String name, double[] x, double[] y, String colour) {
            items.add(new Item(Kind.DASHED, name, x, y, colour, true));
            return this;
        }

        /** Dots; {@code name} null leaves them out of the legend. */
        Plot points(String name, double[] x, double[] y, String colour) {
            items.add(new Item(Kind.POINTS, name, x, y, colour, name != null));
            return this;
        }

        /** Vertical bars from 0 to each y. */
        Plot bars(String name, double[] x, double[] y, String colour) {
            items.add(new Item(Kind.BARS, name, x, y, colour, true));
            return this;
        }

        String render() {
            return render(0, 0);
        }

        /** The plot as an svg element placed at (x, y) (inside another svg, or 0, 0 on its own). */
        String render(int atX, int atY) {
            boolean log = logY && items.stream().allMatch(it -> it.kind != Kind.BARS
                    && java.util.Arrays.stream(it.y).allMatch(v -> v > 0));
            double[] xr = xRange != null ? xRange : pad(range(true, false), false);
            double[] yr = yRange != null ? (log ? new double[] {Math.log10(yRange[0]), Math.log10(yRange[1])} : yRange)
                    : pad(range(false, log), log);
            int left = 62;
            int right = legend ? 190 : 12;
            int top = title.isEmpty() ? 12 : 28;
            int bottom = 40;
            double pw = width - left - right;
            double ph = height - top - bottom;
            Axis ax = new Axis(xr[0], xr[1], left, left + pw, false);
            Axis ay = new Axis(yr[0], yr[1], top + ph, top, log);
            String clip = "c" + Integer.toHexString(System.identityHashCode(this));
            StringBuilder s = new StringBuilder();
            s.append("<svg class=\"").append(cls).append('"').append(attrs)
                    .append(atX != 0 || atY != 0 ? " x=\"" + atX + "\" y=\"" + atY + "\"" : "")
                    .append(" width=\"").append(width).append("\" height=\"").append(height)
                    .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                    .append("\" font-family=\"sans-serif\" font-size=\"11\">");
            s.append("<defs><clipPath id=\"").append(clip).append("\"><rect x=\"").append(left).append("\" y=\"")
                    .append(top).append("\" width=\"").append(f(pw)).append("\" height=\"").append(f(ph))
                    .append("\"/></clipPath></defs>");
            s.append("<rect x=\"").append(left).append("\" y=\"").append(top).append("\" width=\"").append(f(pw))
                    .append("\" height=\"").append(f(ph)).append("\" fill=\"#fff\" stroke=\"#999\"/>");
            if (!title.isEmpty()) {
                s.append(text(left + pw / 2, 17, "middle", title, "font-size=\"13\" font-weight=\"bold\""));
            }
            for (double t : ax.ticks()) {
                double px = ax.px(t);
                s.append("<line x1=\"").append(f(px)).append("\" y1=\"").append(f(top + ph)).append("\" x2=\"")
                        .append(f(px)).append("\" y2=\"").append(f(top + ph + 4)).append("\" stroke=\"#666\"/>")
                        .append(text(px, top + ph + 15, "middle", tick(t), ""));
            }
            for (double t : ay.ticks()) {
                double py = ay.px(t);
                s.append("<line x1=\"").append(left).append("\" y1=\"").append(f(py)).append("\" x2=\"")
                        .append(f(left + pw)).append("\" y2=\"").append(f(py)).append("\" stroke=\"#eee\"/>")
                        .append(text(left - 5, py + 4, "end", tick(log ? Math.pow(10, t) : t), ""));
            }
            s.append(text(left + pw / 2, height - 6, "middle", xLabel, ""));
            s.append("<text x=\"13\" y=\"").append(f(top + ph / 2)).append("\" text-anchor=\"middle\" transform=\"rotate(-90 13 ")
                    .append(f(top + ph / 2)).append(")\">").append(Report.esc(yLabel)).append("</text>");
            s.append("<g clip-path=\"url(#").append(clip).append(")\">");
            for (Item it : items) {
                draw(s, it, ax, ay, log);
            }
            s.append("</g>");
            if (legend) {
                int ly = top + 8;
                for (Item it : items) {
                    if (!it.legend) {
                        continue;
                    }
                    double lx = left + pw + 12;
                    if (it.kind == Kind.POINTS) {
                        s.append("<circle cx=\"").append(f(lx + 10)).append("\" cy=\"").append(ly).append("\" r=\"3\" fill=\"")
                                .append(it.colour).append("\"/>");
                    } else {
                        s.append("<line x1=\"").append(f(lx)).append("\" y1=\"").append(ly).append("\" x2=\"")
                                .append(f(lx + 20)).append("\" y2=\"").append(ly).append("\" stroke=\"").append(it.colour)
                                .append("\" stroke-width=\"").append(it.kind == Kind.BARS ? 6 : 2).append('"')
                                .append(it.kind == Kind.DASHED ? " stroke-dasharray=\"5 3\"" : "").append("/>");
                    }
                    s.append(text(lx + 26, ly + 4, "start", it.name, ""));
                    ly += 17;
                }
            }
            return s.append("</svg>").toString();
        }

        private static void draw(StringBuilder s, Item it, Axis ax, Axis ay, boolean log) {
            String name = it.name == null ? "" : Report.esc(it.name);
            switch (it.kind) {
                case LINE, DASHED -> {
                    s.append("<polyline class=\"series\" data-name=\"").append(name).append("\" data-y=\"");
                    for (int i = 0; i < it.y.length; i++) {
                        s.append(i == 0 ? "" : " ").append(it.y[i]);
                    }
                    s.append("\" fill=\"none\" stroke=\"").append(it.colour).append("\" stroke-width=\"2\"")
                            .append(it.kind == Kind.DASHED ? " stroke-dasharray=\"5 3\"" : "").append(" points=\"");
                    String sep = "";
                    for (int i = 0; i < it.x.length; i++) {
                        if (Double.isFinite(it.y[i])) { // a diverged value is in data-y, not drawn
                            s.append(sep).append(f(ax.px(it.x[i]))).append(',')
                                    .append(f(ay.px(log ? Math.log10(it.y[i]) : it.y[i])));
                            sep = " ";
                        }
                    }
                    s.append("\"/>");
                }
                case POINTS -> {
                    s.append("<g class=\"points\" data-name=\"").append(name).append("\" fill=\"").append(it.colour)
                            .append("\" fill-opacity=\"0.7\">");
                    for (int i = 0; i < it.x.length; i++) {
                        s.append("<circle cx=\"").append(f(ax.px(it.x[i]))).append("\" cy=\"")
                                .append(f(ay.px(log ? Math.log10(it.y[i]) : it.y[i]))).append("\" r=\"2\"/>");
                    }
                    s.append("</g>");
                }
                case BARS -> {
                    s.append("<g class=\"bars\" data-name=\"").append(name).append("\" stroke=\"").append(it.colour)
                            .append("\" stroke-width=\"6\">");
                    for (int i = 0; i < it.x.length; i++) {
                        s.append("<line x1=\"").append(f(ax.px(it.x[i]))).append("\" y1=\"").append(f(ay.px(0)))
                                .append("\" x2=\"").append(f(ax.px(it.x[i]))).append("\" y2=\"").append(f(ay.px(it.y[i])))
                                .append("\"/>");
                    }
                    s.append("</g>");
                }
                default -> throw new IllegalStateException();
            }
        }

        private double[] range(boolean x, boolean log) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (Item it : items) {
                for (double v : x ? it.x : it.y) {
                    if (Double.isFinite(v)) {
                        lo = Math.min(lo, log ? Math.log10(v) : v);
                        hi = Math.max(hi, log ? Math.log10(v) : v);
                    }
                }
                if (!x && it.kind == Kind.BARS) {
                    lo = Math.min(lo, 0);
                    hi = Math.max(hi, 0);
                }
            }
            return lo <= hi ? new double[] {lo, hi} : new double[] {0, 1};
        }
    }

    private static double[] pad(double[] r, boolean log) {
        double span = r[1] - r[0];
        if (span == 0) {
            span = log ? 1 : Math.max(1e-9, Math.abs(r[0]) * 0.2);
        }
        return new double[] {r[0] - 0.04 * span, r[1] + 0.04 * span};
    }

    /** A linear or log10 axis from data (or log10 data) lo..hi to pixels p0..p1. */
    private record Axis(double lo, double hi, double p0, double p1, boolean log) {
        double px(double v) {
            return p0 + (v - lo) / (hi - lo) * (p1 - p0);
        }

        /** At most about six ticks: 1, 2 or 5 × 10^k apart; on a log axis decades (and 2, 5 within few). */
        List<Double> ticks() {
            List<Double> t = new ArrayList<>();
            if (log) {
                int d0 = (int) Math.floor(lo);
                int d1 = (int) Math.ceil(hi);
                double[] mult = d1 - d0 <= 3 ? new double[] {1, 2, 5} : new double[] {1};
                int every = Math.max(1, (d1 - d0 + 5) / 6);
                for (int d = d0; d <= d1; d += every) {
                    for (double m : mult) {
                        double v = d + Math.log10(m);
                        if (v >= lo && v <= hi) {
                            t.add(v);
                        }
                    }
                }
                if (t.size() < 3 && mult.length > 1) { // within about a decade: more steps
                    t.clear();
                    for (int d = d0; d <= d1; d++) {
                        for (double m : new double[] {1, 1.5, 2, 3, 5, 7}) {
                            double v = d + Math.log10(m);
                            if (v >= lo && v <= hi) {
                                t.add(v);
                            }
                        }
                    }
                }
                return t;
            }
            double raw = (hi - lo) / 5;
            double mag = Math.pow(10, Math.floor(Math.log10(raw)));
            double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
            for (double v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
                t.add(Math.abs(v) < step * 1e-9 ? 0 : v);
            }
            return t;
        }
    }

    static String tick(double v) {
        return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String text(double x, double y, String anchor, String s, String extra) {
        return "<text x=\"" + f(x) + "\" y=\"" + f(y) + "\" text-anchor=\"" + anchor + "\""
                + (extra.isEmpty() ? "" : " " + extra) + ">" + Report.esc(s) + "</text>";
    }

    /** Several plots or panels side by side in one svg element. */
    static String row(String cssClass, String attributes, int width, int height, List<String> placed) {
        StringBuilder s = new StringBuilder("<svg class=\"").append(cssClass)
                .append('"').append(attributes).append(" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"11\">");
        placed.forEach(s::append);
        return s.append("</svg>").toString();
    }

    /** Evenly spaced values lo..hi, n of them. */
    static double[] linspace(double lo, double hi, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * i / (n - 1);
        }
        return v;
    }
}
