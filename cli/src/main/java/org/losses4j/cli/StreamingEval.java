package org.losses4j.cli;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Tensor;

/**
 * {@code eval} of an elementwise loss over files of any length in bounded memory: prediction,
 * target (and weight) rows are read a chunk at a time, each chunk is evaluated with reduction
 * {@code sum} through the public API, and the sums, counts, gradients and per-sample terms are
 * combined or written out as they come. {@code mean} divides the total by the number of
 * elements, as the elementwise losses define it; gradients of {@code mean} are scaled by 1/N,
 * with N counted in a first pass over the input when a gradient is written. Computation is in
 * float64.
 */
final class StreamingEval {
    /** Elements per chunk (a chunk's arrays stay well inside the CPU caches' reach). */
    static final int CHUNK = 1 << 16;

    private StreamingEval() {
    }

    /** Runs between the first and the second pass: tests change an input there. */
    static Runnable betweenPasses = () -> { };

    /**
     * True for losses evaluated chunk by chunk, as their {@link LossInfo#layout()} allows: one term
     * per element (extra inputs: only a per-element weight, streamed too) or per row of dimension 0
     * (extra inputs such as class weights read whole), with a reduction option, and the inputs
     * {@code input} and {@code target}, so that the sum over a file is the sum over its chunks.
     * Region losses (dice ...), per-image and whole-batch losses are not.
     */
    static boolean supports(LossInfo info, Map<String, ?> extra) {
        boolean inputTarget = info.inputs().size() >= 2 && info.inputs().get(0).name().equals("input")
                && info.inputs().get(1).name().equals("target");
        boolean element = info.layout() == LossInfo.Layout.ELEMENT && extra.keySet().stream().allMatch("weight"::equals);
        return info.reducible() && inputTarget && (element || info.layout() == LossInfo.Layout.ROW);
    }

    /**
     * Evaluates the loss over the files chunk by chunk ({@code chunkRows} rows at a time; 0 for
     * {@link #CHUNK} elements a chunk) and returns its value; writes gradients and per-sample
     * terms when given paths (checked by {@link OutputFiles} beforehand). When a second pass is
     * needed (the 1/N of a mean gradient, the row count of an .npy output), every input must be
     * the same file with the same size, modification time and row count in both passes.
     */
    static double run(LossInfo info, Map<String, Object> opts, Source input, Source target, Map<String, Source> extra,
            boolean labels, Path gradOut, Path perSample, int chunkRows, PrintWriter err) throws IOException {
        String red = String.valueOf(opts.getOrDefault("reduction", defaultReduction(info)));
        boolean mean = red.equals("mean") || red.equals("batchmean");
        Map<String, Object> sumOpts = new LinkedHashMap<>(opts);
        sumOpts.put("reduction", "sum");
        Loss sum = info.create(sumOpts);
        Map<String, Object> noneOpts = new LinkedHashMap<>(opts);
        noneOpts.put("reduction", "none");
        Loss none = perSample == null ? null : info.create(noneOpts);
        boolean elementwise = info.layout() == LossInfo.Layout.ELEMENT;
        Source weight = elementwise ? extra.get("weight") : null;
        Map<String, Tensor> whole = new LinkedHashMap<>();
        if (!elementwise) {
            for (Map.Entry<String, Source> e : extra.entrySet()) {
                LossInfo.InputSpec s = info.inputs().stream().filter(i -> i.name().equals(e.getKey())).findFirst()
                        .orElse(null);
                whole.put(e.getKey(), TensorFiles.read(e.getValue(), s != null && s.integerType() != null));
            }
        }
        Pass p = new Pass(sum, input, target, weight, whole, labels, red.equals("batchmean"), chunkRows, err);
        // a mean gradient needs the total divisor first, an .npy output the row count: a first pass
        boolean first = (gradOut != null && mean) || isNpy(gradOut) || isNpy(perSample);
        double[] r1 = first ? p.run(null, null, 1, null) : null;
        if (first) {
            betweenPasses.run();
        }
        if (r1 != null && r1[2] == 0) {
            throw new UserError(input + ": no data rows");
        }
        long rows = r1 == null ? -1 : (long) r1[2];
        int cols = p.cols;
        try (Writer g = gradOut == null ? null : Writer.open(gradOut, rows, cols);
                Writer t = perSample == null ? null : Writer.open(perSample, rows, elementwise ? cols : 1)) {
            double scale = gradOut != null && mean ? 1.0 / r1[1] : 1.0;
            double[] r = p.run(g, t == null ? null : none, scale, t);
            if (r[2] == 0) {
                throw new UserError(input + ": no data rows");
            }
            if (r1 != null && (r1[2] != r[2] || r1[1] != r[1])) {
                throw new UserError(p.files.get(0) + " changed while it was being read: " + (long) r1[2]
                        + " rows in the first pass, " + (long) r[2] + " in the second");
            }
            if (g != null) {
                g.commit();
            }
            if (t != null) {
                t.commit();
            }
            return mean ? r[0] / r[1] : r[0];
        }
    }

    private static boolean isNpy(Path p) {
        return p != null && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy");
    }

    /** The loss's default reduction ("mean" when it has none). */
    static String defaultReduction(LossInfo info) {
        return info.reducible() ? info.options().stream().filter(o -> o.name().equals("reduction")).findFirst()
                .orElseThrow().defaultText() : "mean";
    }

    /** A file's identity and state, compared before and after each pass to see it did not change. */
    record Snapshot(Object key, long size, FileTime modified) {
        static Snapshot of(Path p) {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                return new Snapshot(a.fileKey(), a.size(), a.lastModifiedTime());
            } catch (IOException e) {
                throw new UserError(p + ": cannot read: " + e.getMessage());
            }
        }
    }

    /** Passes over the same files: each reads them from the start and checks they did not change. */
    private static final class Pass {
        final Loss sum;
        final List<Source> files = new ArrayList<>();
        final List<Snapshot> snapshots = new ArrayList<>();
        final Source input;
        final Source target;
        final Source weight;
        final Map<String, Tensor> whole;
        final boolean labels;
        final boolean batchmean;
        final int chunkRows;
        final PrintWriter err;
        int cols;

        Pass(Loss sum, Source input, Source target, Source weight, Map<String, Tensor> whole, boolean labels,
                boolean batchmean, int chunkRows, PrintWriter err) {
            this.sum = sum;
            this.input = input;
            this.target = target;
            this.weight = weight;
            this.whole = whole;
            this.labels = labels;
            this.batchmean = batchmean;
            this.chunkRows = chunkRows;
            this.err = err;
            for (Source p : weight == null ? List.of(input, target) : List.of(input, target, weight)) {
                files.add(p);
                snapshots.add(Snapshot.of(p.file()));
            }
        }

        /** Fails (exit 2) when a file's size, modification time or identity is not what it was. */
        void unchanged() {
            for (int i = 0; i < files.size(); i++) {
                Snapshot now = Snapshot.of(files.get(i).file());
                Snapshot then = snapshots.get(i);
                if (!now.equals(then)) {
                    throw new UserError(files.get(i).shown() + " changed while it was being read (" + then.size()
                            + " bytes, modified " + then.modified() + "; now " + now.size() + " bytes, modified "
                            + now.modified() + "): evaluate a file nothing writes to");
                }
            }
        }

        /** One pass: {sum, divisor, rows}; writes gradients and terms when given writers. */
        double[] run(Writer g, Loss none, double scale, Writer t) throws IOException {
            unchanged();
            double[] result;
            try (RowStream xs = RowStream.open(input); RowStream ys = RowStream.open(target, labels);
                    RowStream ws = weight == null ? null : RowStream.open(weight)) {
                result = run(xs, ys, ws, g, none, scale, t);
            }
            unchanged();
            return result;
        }

        private double[] run(RowStream xs, RowStream ys, RowStream ws, Writer g, Loss none, double scale, Writer t)
                throws IOException {
            cols = xs.cols();
            int tcols = ys.cols();
            if (!labels) {
                sameCols(xs, ys);
            }
            if (ws != null) {
                sameCols(xs, ws);
            }
            int rowsPerChunk = chunkRows > 0 ? chunkRows : Math.max(1, CHUNK / cols);
            double[] xb = new double[rowsPerChunk * cols];
            double[] yb = new double[rowsPerChunk * tcols];
            double[] wb = ws == null ? null : new double[xb.length];
            double total = 0;
            double divisor = 0;
            long rows = 0;
            ProgressBar progress = new ProgressBar(err, "eval");
            while (true) {
                int rx = xs.read(xb, rowsPerChunk);
                int ry = ys.read(yb, rowsPerChunk);
                int rw = ws == null ? rx : ws.read(wb, rowsPerChunk);
                if (rx != ry || rx != rw) {
                    Source shorter = rx > ry ? target : rx < ry ? input : weight;
                    throw new UserError(shorter + " has fewer rows than the other inputs (after row "
                            + (rows + Math.min(rx, Math.min(ry, rw))) + ")");
                }
                if (rx == 0) {
                    break;
                }
                int len = rx * cols;
                int[] shape = cols == 1 ? new int[] {rx} : new int[] {rx, cols};
                Tensor y;
                if (labels) {
                    // one label per row, or a row of labels (multilabel_margin's padded class lists)
                    long[] l = new long[rx * tcols];
                    for (int i = 0; i < l.length; i++) {
                        l[i] = (long) yb[i];
                    }
                    y = tcols == 1 ? Tensor.ofLabels(l, rx) : Tensor.ofLabels(l, rx, tcols);
                } else {
                    y = Tensor.of(Arrays.copyOf(yb, len), shape);
                }
                Inputs in = Inputs.of(Tensor.of(Arrays.copyOf(xb, len), shape), y);
                if (wb != null) {
                    in = in.with("weight", Tensor.of(Arrays.copyOf(wb, len), shape));
                }
                for (Map.Entry<String, Tensor> e : whole.entrySet()) {
                    in = in.with(e.getKey(), e.getValue());
                }
                LossResult r = g == null ? sum.value(in) : sum.compute(in);
                if (Double.isNaN(r.divisor())) {
                    throw new UserError(sum.name() + " does not report its divisor: it cannot be streamed");
                }
                total += r.value();
                // batchmean divides by the batch size N (dim 0: the rows), mean by what the loss reports
                divisor += batchmean ? rx : r.divisor();
                if (g != null) {
                    g.write(r.grad("input").f64(), rx, scale);
                }
                if (t != null) {
                    t.write(none.value(in).terms().f64(), rx, 1.0);
                }
                rows += rx;
                progress.update(xs.progress(), rows);
            }
            progress.done();
            return new double[] {total, divisor, rows};
        }
    }

    private static void sameCols(RowStream a, RowStream b) {
        if (a.cols() != b.cols()) {
            throw new UserError(b.path + " has " + b.cols() + " columns but " + a.path + " has " + a.cols());
        }
    }

    /** Writes rows as they come, to a temporary file moved into place on {@link #commit}. */
    private abstract static class Writer implements Closeable {
        final OutputFiles.Sink sink;

        Writer(OutputFiles.Sink sink) {
            this.sink = sink;
        }

        /** Writes the values of {@code rows} rows (values per row: their length / rows). */
        abstract void write(double[] values, int rows, double scale);

        void commit() {
            sink.commit();
        }

        @Override
        public void close() {
            sink.close();
        }

        /** CSV, or .npy with the row count and columns known up front (from a first pass). */
        static Writer open(Path p, long rows, int cols) {
            OutputFiles.Sink o = OutputFiles.open(p);
            if (isNpy(p)) {
                o.write(TensorFiles.npyHeader("<f8", cols == 1 ? rows + "," : rows + ", " + cols));
                return new Writer(o) {
                    @Override
                    void write(double[] v, int rows, double scale) {
                        ByteBuffer bb = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
                        for (double d : v) {
                            bb.putDouble(d * scale);
                        }
                        o.write(bb.array());
                    }
                };
            }
            char sep = TensorFiles.separator(p);
            return new Writer(o) {
                @Override
                void write(double[] v, int rows, double scale) {
                    int cols = v.length / rows;
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < v.length; i++) {
                        sb.append(v[i] * scale).append((i + 1) % cols == 0 ? '\n' : sep);
                    }
                    o.write(sb.toString().getBytes(StandardCharsets.UTF_8));
                }
            };
        }
    }
}
