package org.losses4j.cli.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One demo experiment: a claim from the loss literature, tested by training small models with several losses. */
interface Experiment {
    /** A short title, e.g. "Regression with 10% gross outliers" (experiments.properties). */
    default String title() {
        return Texts.of(this, "title");
    }

    /** The claim this experiment tests, quoted from the loss literature (experiments.properties). */
    default String claim() {
        return Texts.of(this, "claim");
    }

    /** The data, the model and the optimiser, in a sentence or two, sizes of the full run (experiments.properties). */
    default String setup() {
        return Texts.of(this, "setup");
    }

    /** The experiments' texts, kept apart from their code in experiments.properties beside this class. */
    final class Texts {
        private static final java.util.Properties TEXT = load();

        private Texts() {
        }

        static String of(Experiment e, String what) {
            String key = e.getClass().getSimpleName() + "." + what;
            String v = TEXT.getProperty(key);
            if (v == null) {
                throw new IllegalStateException("experiments.properties has no " + key);
            }
            return v;
        }

        private static java.util.Properties load() {
            java.util.Properties p = new java.util.Properties();
            try (java.io.InputStream in = Experiment.class.getResourceAsStream("experiments.properties")) {
                p.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return p;
        }
    }

    /** Trains and measures; {@code quick} uses less data and fewer epochs. */
    Outcome run(long seed, boolean quick, Progress progress);

    /** Progress reporting for long runs. */
    interface Progress {
        void step(String what);
    }

    /** The test metric measured at at most 61 evenly spaced steps of a training run and after its last step. */
    final class Trace {
        private final int every;
        private final double[] steps;
        private final double[] values;
        private int n;

        Trace(int totalSteps) {
            every = Math.max(1, (totalSteps + 59) / 60);
            steps = new double[totalSteps / every + 2];
            values = new double[steps.length];
        }

        /** Called before each step: measures the metric before step 0 and every few steps. */
        void before(int step, java.util.function.DoubleSupplier metric) {
            if (step % every == 0) {
                add(step, metric.getAsDouble());
            }
        }

        /** Measures the trained model after its last step; the value is the one the table reports. */
        double last(int totalSteps, java.util.function.DoubleSupplier metric) {
            return add(totalSteps, metric.getAsDouble());
        }

        private double add(int step, double v) {
            steps[n] = step;
            values[n++] = v;
            return v;
        }
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
        /** The metric (one of {@link #metrics}) measured on the test data during training. */
        String testMetric;
        /** Whether that metric is drawn on a log axis (it spans decades while training). */
        boolean testLog;
        /** Per loss: {steps, test metric after that many steps}; the last is the table's value. */
        final Map<String, double[][]> testCurves = new LinkedHashMap<>();
        /** What the models learned, as an SVG figure (fits, boundaries, masks, embeddings), and its caption. */
        String figure = "";
        String figureCaption = "";
        /** How the verdict follows from the table: the rule, stated before the numbers are in. */
        String rule = "";
        boolean borneOut;
        String verdict = "";

        Outcome(String... metrics) {
            this.metrics = List.of(metrics);
        }

        /** The colour of a trained loss, the same in every figure of the experiment. */
        String colour(String loss) {
            int i = new java.util.ArrayList<>(curves.keySet()).indexOf(loss);
            return Svg.colour(Math.max(0, i));
        }

        void row(String name, double... values) {
            rows.put(name, values);
        }

        void curve(String name, double[] values) {
            curves.put(name, values);
        }

        /** The test metric charted per step (a column of the table) and the figure of what the models learned. */
        void shows(int metric, boolean log, String svg, String caption) {
            testMetric = metrics.get(metric);
            testLog = log;
            figure = svg;
            figureCaption = caption;
        }

        void testCurve(String name, Trace t) {
            testCurves.put(name, new double[][] {
                java.util.Arrays.copyOf(t.steps, t.n), java.util.Arrays.copyOf(t.values, t.n)});
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
