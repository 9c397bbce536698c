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

    /** A line chart of the given curves. */
    public static XYChart lineChart(String title, String xLabel, String yLabel, List<Series> series, int w, int h) {
        XYChart c = new XYChartBuilder().width(w).height(h).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotGridLinesVisible(true);
        c.getStyler().setMarkerSize(0);
        c.getStyler().setDecimalPattern("#0.###");
        c.getStyler().setXAxisMaxLabelCount(12);
        c.getStyler().setXAxisTickMarkSpacingHint(70);
        for (Series s : series) {
            XYSeries xy = c.addSeries(s.name(), s.x(), s.y());
            xy.setMarker(SeriesMarkers.NONE);
        }
        return c;
    }

    /** Refuses, before any work, an output that is not .png/.svg or cannot be written. */
    static void checkOutput(Path out, String option) {
        Text.checkWritable(out, option);
        String n = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!n.endsWith(".svg") && !n.endsWith(".png")) {
            throw new Main.UserError(option + " " + out + ": use a .png or .svg file name");
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
        try {
            Files.write(out, bytes);
        } catch (IOException e) {
            throw Text.writeFailed(out, e);
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
        return bytes.toString(StandardCharsets.UTF_8);
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
