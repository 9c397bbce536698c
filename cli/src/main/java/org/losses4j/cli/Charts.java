package org.losses4j.cli;

import de.erichseifert.vectorgraphics2d.Document;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Line charts with XChart, written as PNG or SVG, several charts stacked on one page. */
public final class Charts {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** One curve. */
    public record Series(String name, double[] x, double[] y) {
    }

    /** Saturated, distinguishable series colours (the Tableau 10 palette, darker half first). */
    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf),
        new Color(0x7f7f7f), new Color(0xbcbd22)};

    /** A line chart of the given curves: legend beside the plot, a few ticks, thick saturated lines. */
    public static XYChart lineChart(String title, String xLabel, String yLabel, List<Series> series, int w, int h) {
        XYChart c = new XYChartBuilder().width(w).height(h).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        org.knowm.xchart.style.XYStyler st = c.getStyler();
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setLegendBorderColor(Color.WHITE);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBorderVisible(false);
        st.setPlotGridLinesVisible(true);
        st.setPlotGridLinesColor(new Color(0xe4e4e4));
        st.setMarkerSize(0);
        st.setDecimalPattern("#0.##");
        st.setXAxisMaxLabelCount(8);
        st.setXAxisTickMarkSpacingHint(100);
        c.getStyler().setYAxisTickMarkSpacingHint(60);
        st.setSeriesColors(PALETTE);
        st.setChartTitleFont(st.getChartTitleFont().deriveFont(java.awt.Font.BOLD, 15f));
        for (Series s : series) {
            Series d = offGrid(s);
            XYSeries xy = c.addSeries(d.name(), d.x(), d.y());
            xy.setMarker(SeriesMarkers.NONE);
            xy.setLineWidth(2.2f);
        }
        return c;
    }

    /**
     * The curve with the midpoint of its first segment added (on the segment, so the drawing is
     * the same): XChart puts a tick at every k-th x value when the x values are equally spaced,
     * crowding the axis with labels such as −2.61, −2.22; off that grid it picks round ticks.
     */
    static Series offGrid(Series s) {
        int n = s.x().length;
        if (n < 2) {
            return s;
        }
        double[] x = new double[n + 1];
        double[] y = new double[n + 1];
        x[0] = s.x()[0];
        y[0] = s.y()[0];
        x[1] = (s.x()[0] + s.x()[1]) / 2;
        y[1] = (s.y()[0] + s.y()[1]) / 2;
        System.arraycopy(s.x(), 1, x, 2, n - 1);
        System.arraycopy(s.y(), 1, y, 2, n - 1);
        return new Series(s.name(), x, y);
    }

    /** Refuses, before any work, an output that is not .png/.svg or cannot be written. */
    static void checkOutput(Path out, String option) {
        Text.checkWritable(out, option);
        String n = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!n.endsWith(".svg") && !n.endsWith(".png")) {
            throw new UserError(option + " " + out + ": use a .png or .svg file name");
        }
    }

    /** Writes charts stacked vertically to .png or .svg (by extension). */
    static void write(Path out, List<XYChart> charts) {
        checkOutput(out, "--out");
        byte[] bytes;
        try {
            if (out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".svg")) {
                bytes = svg(charts).getBytes(StandardCharsets.UTF_8);
            } else {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                ImageIO.write(png(charts), "png", b);
                bytes = b.toByteArray();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // a temporary file moved into place when complete: a failed write leaves the old file as it was
        try (OutputFiles.Sink sink = OutputFiles.open(out)) {
            sink.write(bytes);
            sink.commit();
        }
    }

    static BufferedImage png(List<XYChart> charts) {
        int w = charts.stream().mapToInt(XYChart::getWidth).max().orElse(1);
        int h = charts.stream().mapToInt(XYChart::getHeight).sum();
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        paint(g, charts);
        g.dispose();
        return img;
    }

    /** A self-contained SVG document of the charts. */
    public static String svg(List<XYChart> charts) throws IOException {
        int w = charts.stream().mapToInt(XYChart::getWidth).max().orElse(1);
        int h = charts.stream().mapToInt(XYChart::getHeight).sum();
        VectorGraphics2D g = new VectorGraphics2D();
        paint(g, charts);
        Document doc = new SVGProcessor().getDocument(g.getCommands(), new PageSize(0, 0, w, h));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        doc.writeTo(bytes);
        return compact(bytes.toString(StandardCharsets.UTF_8));
    }

    private static final java.util.regex.Pattern LINE = java.util.regex.Pattern.compile(
            "<line style=\"([^\"]*)\" x1=\"([-0-9.E]+)\" x2=\"([-0-9.E]+)\" y1=\"([-0-9.E]+)\" y2=\"([-0-9.E]+)\"/>");
    private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile("(-?\\d+\\.\\d{2,})");

    /**
     * A smaller SVG with the same drawing: runs of connected {@code <line>} segments of one style
     * (a curve, which XChart draws segment by segment) become one {@code <polyline>}, and
     * coordinates are rounded to 0.1 px.
     */
    static String compact(String svg) {
        StringBuilder out = new StringBuilder(svg.length() / 4);
        String[] lines = svg.split("\n", -1);
        String style = null;
        StringBuilder points = null;
        String lastX = null;
        String lastY = null;
        for (int i = 0; i < lines.length; i++) {
            String t = lines[i].strip();
            java.util.regex.Matcher m = LINE.matcher(t);
            boolean isLine = m.matches();
            boolean continues = isLine && points != null && m.group(1).equals(style) && m.group(2).equals(lastX)
                    && m.group(4).equals(lastY);
            if (points != null && !continues) {
                out.append("<polyline style=\"").append(style).append("\" points=\"").append(points).append("\"/>\n");
                points = null;
            }
            if (isLine) {
                if (points == null) {
                    style = m.group(1);
                    points = new StringBuilder(round(m.group(2))).append(',').append(round(m.group(4)));
                }
                points.append(' ').append(round(m.group(3))).append(',').append(round(m.group(5)));
                lastX = m.group(3);
                lastY = m.group(5);
                continue;
            }
            out.append(roundAll(lines[i])).append(i + 1 < lines.length ? "\n" : "");
        }
        return out.toString();
    }

    private static String roundAll(String s) {
        return DECIMAL.matcher(s).replaceAll(r -> round(r.group(1)));
    }

    private static String round(String number) {
        double v = Math.round(Double.parseDouble(number) * 10) / 10.0;
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static void paint(Graphics2D g, List<XYChart> charts) {
        int y = 0;
        for (XYChart c : charts) {
            Graphics2D sub = (Graphics2D) g.create(0, y, c.getWidth(), c.getHeight());
            c.paint(sub, c.getWidth(), c.getHeight());
            sub.dispose();
            y += c.getHeight();
        }
    }
}
