package org.losses4j.cli;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
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

    /**
     * Losses with one independent term per row of dimension 0 (or per element), so that the
     * sum over a file is the sum over its chunks; region losses (dice ...) and ssim are not.
     */
    static final java.util.Set<String> ROW_LOSSES = java.util.Set.of("cross_entropy", "nll",
            "categorical_cross_entropy", "sparse_categorical_cross_entropy", "softmax_focal", "multiclass_hinge",
            "multi_margin", "zero_one", "kl_div", "reverse_kl_div", "js_div", "cosine_similarity", "box_iou");

    /**
     * True for losses evaluated chunk by chunk: elementwise ones (extra inputs: only a per-element
     * weight, streamed too) and the row losses (extra inputs such as class weights read whole),
     * all with a reduction option.
     */
    static boolean supports(LossInfo info, Map<String, Path> extra) {
        boolean reducible = info.options().stream().anyMatch(o -> o.name().equals("reduction"));
        boolean elementwise = info.elementwise() && extra.keySet().stream().allMatch("weight"::equals);
        return reducible && (elementwise || ROW_LOSSES.contains(info.name()));
    }

    static double run(LossInfo info, Map<String, Object> opts, Path input, Path target, Map<String, Path> extra,
            boolean labels, Path gradOut, Path perSample, PrintWriter err) throws IOException {
        String red = String.valueOf(opts.getOrDefault("reduction", "mean"));
        boolean mean = red.equals("mean") || red.equals("batchmean");
        Map<String, Object> sumOpts = new LinkedHashMap<>(opts);
        sumOpts.put("reduction", "sum");
        Loss sum = info.create(sumOpts);
        Map<String, Object> noneOpts = new LinkedHashMap<>(opts);
        noneOpts.put("reduction", "none");
        Loss none = perSample == null ? null : info.create(noneOpts);
        boolean elementwise = info.elementwise();
        Path weight = elementwise ? extra.get("weight") : null;
        Map<String, Tensor> whole = new LinkedHashMap<>();
        if (!elementwise) {
            for (Map.Entry<String, Path> e : extra.entrySet()) {
                LossInfo.InputSpec s = info.inputs().stream().filter(i -> i.name().equals(e.getKey())).findFirst()
                        .orElse(null);
                whole.put(e.getKey(), TensorFiles.read(e.getValue(), s != null && s.integerType() != null));
            }
        }
        // mean of a long input = Σ chunk sums / Σ chunk divisors; a mean gradient needs the total divisor first
        double divisor = Double.NaN;
        if (gradOut != null && mean) {
            divisor = pass(sum, input, target, weight, whole, labels, null, null, 1, null, err)[1];
        }
        long rows = gradOut != null || perSample != null ? countRows(input) : -1;
        try (RowStream xs = RowStream.open(input);
                Writer g = gradOut == null ? null : Writer.open(gradOut, rows, xs.cols());
                Writer t = perSample == null ? null : Writer.open(perSample, rows, elementwise ? xs.cols() : 1)) {
            double scale = gradOut != null && mean ? 1.0 / divisor : 1.0;
            double[] r = pass(sum, input, target, weight, whole, labels, g, t == null ? null : none, scale, t, err);
            if (r[2] == 0) {
                throw new Main.UserError(input + ": no data rows");
            }
            return mean ? r[0] / r[1] : r[0];
        }
    }

    /** One pass over the files: {sum, divisor, rows}; writes gradients and terms when given writers. */
    private static double[] pass(Loss sum, Path input, Path target, Path weight, Map<String, Tensor> whole,
            boolean labels, Writer g, Loss none, double scale, Writer t, PrintWriter err) throws IOException {
        try (RowStream xs = RowStream.open(input); RowStream ys = RowStream.open(target, labels);
                RowStream ws = weight == null ? null : RowStream.open(weight)) {
            int cols = xs.cols();
            int tcols = ys.cols();
            if (!labels) {
                sameCols(xs, ys);
            }
            if (ws != null) {
                sameCols(xs, ws);
            }
            int rowsPerChunk = Math.max(1, CHUNK / cols);
            double[] xb = new double[rowsPerChunk * cols];
            double[] yb = new double[rowsPerChunk * tcols];
            double[] wb = ws == null ? null : new double[xb.length];
            double total = 0;
            double divisor = 0;
            long rows = 0;
            Progress progress = new Progress(err, xs);
            while (true) {
                int rx = xs.read(xb, rowsPerChunk);
                int ry = ys.read(yb, rowsPerChunk);
                int rw = ws == null ? rx : ws.read(wb, rowsPerChunk);
                if (rx != ry || rx != rw) {
                    Path shorter = rx > ry ? target : rx < ry ? input : weight;
                    throw new Main.UserError(shorter + " has fewer rows than the other inputs (after row "
                            + (rows + Math.min(rx, Math.min(ry, rw))) + ")");
                }
                if (rx == 0) {
                    break;
                }
                int len = rx * cols;
                int[] shape = cols == 1 ? new int[] {rx} : new int[] {rx, cols};
                Tensor y;
                if (labels) {
                    long[] l = new long[rx];
                    for (int i = 0; i < rx; i++) {
                        l[i] = (long) yb[i];
                    }
                    y = Tensor.ofLabels(l, rx);
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
                    throw new Main.UserError(sum.name() + " does not report its divisor: it cannot be streamed");
                }
                total += r.value();
                divisor += r.divisor();
                if (g != null) {
                    g.write(r.grad("input").f64(), scale);
                }
                if (t != null) {
                    t.write(none.value(in).terms().f64(), 1.0);
                }
                rows += rx;
                progress.update();
            }
            progress.done();
            return new double[] {total, divisor, rows};
        }
    }

    private static void sameCols(RowStream a, RowStream b) {
        if (a.cols() != b.cols()) {
            throw new Main.UserError(b.path + " has " + b.cols() + " columns but " + a.path + " has " + a.cols());
        }
    }

    private static long countRows(Path p) throws IOException {
        try (RowStream s = RowStream.open(p)) {
            double[] buf = new double[Math.max(1, CHUNK / s.cols()) * s.cols()];
            long rows = 0;
            int r;
            while ((r = s.read(buf, buf.length / s.cols())) > 0) {
                rows += r;
            }
            return rows;
        }
    }

    /** A progress bar on stderr, shown only on a terminal and only after the first second. */
    private static final class Progress {
        private final PrintWriter err;
        private final RowStream source;
        private final long start = System.nanoTime();
        private final boolean terminal = System.console() != null;
        private boolean shown;

        Progress(PrintWriter err, RowStream source) {
            this.err = err;
            this.source = source;
        }

        void update() {
            if (!terminal || System.nanoTime() - start < 1_000_000_000L) {
                return;
            }
            double f = source.progress();
            int w = 40;
            int done = (int) (f * w);
            err.print("\r  eval [" + "=".repeat(done) + " ".repeat(w - done) + "] "
                    + String.format(Locale.ROOT, "%3.0f%%", f * 100));
            err.flush();
            shown = true;
        }

        void done() {
            if (shown) {
                err.print("\r" + " ".repeat(60) + "\r");
                err.flush();
            }
        }
    }

    /** Writes rows as they come: CSV, or .npy with the row count known up front. */
    private abstract static class Writer implements Closeable {
        abstract void write(double[] values, double scale) throws IOException;

        static Writer open(Path p, long rows, int cols) throws IOException {
            OutputStream o = new BufferedOutputStream(Files.newOutputStream(p), 1 << 16);
            if (p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
                String shape = cols == 1 ? rows + "," : rows + ", " + cols;
                String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + shape + "), }";
                int pad = (64 - (10 + header.length() + 1) % 64) % 64;
                header = header + " ".repeat(pad) + "\n";
                ByteBuffer hb = ByteBuffer.allocate(10 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
                hb.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
                hb.put(header.getBytes(StandardCharsets.ISO_8859_1));
                o.write(hb.array());
                return new Writer() {
                    @Override
                    void write(double[] v, double scale) throws IOException {
                        ByteBuffer bb = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
                        for (double d : v) {
                            bb.putDouble(d * scale);
                        }
                        o.write(bb.array());
                    }

                    @Override
                    public void close() throws IOException {
                        o.close();
                    }
                };
            }
            return new Writer() {
                @Override
                void write(double[] v, double scale) throws IOException {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < v.length; i++) {
                        sb.append(v[i] * scale).append((i + 1) % cols == 0 ? '\n' : ',');
                    }
                    o.write(sb.toString().getBytes(StandardCharsets.UTF_8));
                }

                @Override
                public void close() throws IOException {
                    o.close();
                }
            };
        }
    }
}
