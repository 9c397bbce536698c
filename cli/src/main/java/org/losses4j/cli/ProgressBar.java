package org.losses4j.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on stderr for long runs: fraction done, rows done, rate and ETA,
 * redrawn in place with a carriage return at most ten times a second, shown only when stderr is
 * a terminal and only after the first second.
 * <pre>{@code ProgressBar bar = new ProgressBar(err, "eval");
 * ... bar.update(fractionOfInputRead, rowsDone); ...
 * bar.done();}</pre>
 */
public final class ProgressBar {
    /** Set by the {@code losses} launcher, which can see whether stderr is a terminal. */
    static final String TTY_PROPERTY = "losses.stderr.tty";

    private final PrintWriter err;
    private final String label;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int lastWidth;

    public ProgressBar(PrintWriter err, String label) {
        this(err, label, stderrIsTerminal());
    }

    ProgressBar(PrintWriter err, String label, boolean terminal) {
        this.err = err;
        this.label = label;
        this.terminal = terminal;
    }

    /**
     * Whether stderr is a terminal: the launcher's {@code -Dlosses.stderr.tty=true|false}; without
     * it (java -jar run by hand) whether the JVM has a console.
     */
    public static boolean stderrIsTerminal() {
        String p = System.getProperty(TTY_PROPERTY);
        return p != null ? Boolean.parseBoolean(p) : System.console() != null;
    }

    /** Redraws the bar (when due): {@code fraction} of the work in [0, 1], {@code rows} done so far. */
    public void update(double fraction, long rows) {
        long now = System.nanoTime();
        if (!terminal || now - start < 1_000_000_000L || now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        String s = line(label, fraction, rows, (now - start) / 1e9);
        err.print("\r" + s + " ".repeat(Math.max(0, lastWidth - s.length())));
        err.flush();
        lastWidth = s.length();
    }

    /** Clears the bar, if it was drawn. */
    public void done() {
        if (lastWidth > 0) {
            err.print("\r" + " ".repeat(lastWidth) + "\r");
            err.flush();
            lastWidth = 0;
        }
    }

    /** The bar's text, e.g. {@code eval [=========>          ]  45%  2,250,000 rows  1.5M rows/s  ETA 0:02}. */
    static String line(String label, double fraction, long rows, double seconds) {
        double f = Double.isFinite(fraction) ? Math.max(0, Math.min(1, fraction)) : 0;
        int w = 24;
        int filled = (int) (f * w);
        String bar = "=".repeat(filled) + (filled < w ? ">" + " ".repeat(w - filled - 1) : "");
        double rate = seconds > 0 ? rows / seconds : 0;
        String eta = f > 0 && f < 1 ? clock(seconds * (1 - f) / f) : "-:--";
        return String.format(Locale.ROOT, "  %s [%s] %3.0f%%  %,d rows  %s rows/s  ETA %s", label, bar, f * 100,
                rows, si(rate), eta);
    }

    /** 1234567 as "1.2M", 5300 as "5.3k". */
    static String si(double v) {
        if (v >= 1e9) {
            return String.format(Locale.ROOT, "%.1fG", v / 1e9);
        } else if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.1fM", v / 1e6);
        } else if (v >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }

    /** Seconds as m:ss, or h:mm:ss from an hour. */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
