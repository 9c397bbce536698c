package org.losses4j.cli.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One demo experiment: a seed document's claim, tested by training small models with several losses. */
interface Experiment {
    /** A short title, e.g. "Regression with 10% gross outliers". */
    String title();

    /** The seed documents' claim this experiment tests, quoted. */
    String claim();

    /** The data, the model and the optimiser, in a sentence or two (sizes of the full run). */
    String setup();

    /** Trains and measures; {@code quick} uses less data and fewer epochs. */
    Outcome run(long seed, boolean quick, Progress progress);

    /** Progress reporting for long runs. */
    interface Progress {
        void step(String what);
    }

    /** The measured table, training curves, and whether the claim was borne out (and why). */
    final class Outcome {
        final List<String> metrics;
        final Map<String, double[]> rows = new LinkedHashMap<>();
        final Map<String, double[]> curves = new LinkedHashMap<>();
        final List<String> higherIsBetter = new ArrayList<>();
        /** Metrics that are counts, printed without decimals. */
        final List<String> counts = new ArrayList<>();
        String curveLabel = "training loss";
        /** How the verdict follows from the table: the rule, stated before the numbers are in. */
        String rule = "";
        boolean borneOut;
        String verdict = "";

        Outcome(String... metrics) {
            this.metrics = List.of(metrics);
        }

        void row(String name, double... values) {
            rows.put(name, values);
        }

        void curve(String name, double[] values) {
            curves.put(name, values);
        }

        void verdict(boolean borne, String why) {
            borneOut = borne;
            verdict = why;
        }

        /** The metric's value as text. */
        String format(int metric, double v) {
            return counts.contains(metrics.get(metric)) && v == Math.rint(v) ? Long.toString((long) v) : Train.fmt(v);
        }

        double get(String row, int metric) {
            return rows.get(row)[metric];
        }
    }
}
