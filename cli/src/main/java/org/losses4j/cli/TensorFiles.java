package org.losses4j.cli;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.losses4j.DType;
import org.losses4j.Tensor;

/**
 * Reads and writes tensors as CSV (one row per sample, optional header row) or NumPy
 * {@code .npy} (float32, float64, int64, C order), chosen by the file extension. Every
 * malformed input is a {@link Main.UserError} naming the file, line and column.
 */
final class TensorFiles {
    /** Refuse NPY headers declaring more elements than this (a hostile header must not exhaust memory). */
    static final long MAX_ELEMENTS = 1L << 28;

    private TensorFiles() {
    }

    /** Reads a file; {@code labels} asks for int64 (integer values only). */
    static Tensor read(Path p, boolean labels) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (n.endsWith(".npy")) {
                Tensor t = readNpy(p);
                if (labels && t.dtype() != DType.INT64) {
                    return toLabels(p, t);
                }
                return t;
            }
            if (n.endsWith(".csv") || n.endsWith(".txt") || n.endsWith(".tsv")) {
                return readCsv(p, labels);
            }
        } catch (NoSuchFileException e) {
            throw new Main.UserError(p + ": no such file");
        } catch (IOException e) {
            throw new Main.UserError(p + ": cannot read: " + e.getMessage());
        }
        throw new Main.UserError(p + ": unknown file type (use .csv or .npy)");
    }

    private static Tensor toLabels(Path p, Tensor t) {
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) {
            double v = t.getDouble(i);
            if (v != Math.rint(v) || Double.isInfinite(v) || Double.isNaN(v)) {
                throw new Main.UserError(p + ": element " + i + " = " + v + " is not an integer label");
            }
            out[i] = (long) v;
        }
        return Tensor.ofLabels(out, t.shape());
    }

    static Tensor readCsv(Path p) throws IOException {
        return readCsv(p, false);
    }

    /** Reads CSV; with {@code labels} every cell must be an integer and the result is int64. */
    static Tensor readCsv(Path p, boolean labels) throws IOException {
        List<double[]> rows = new ArrayList<>();
        RowStream.CsvRows parser = new RowStream.CsvRows(p, labels);
        try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                double[] row = parser.parse(line);
                if (row != null) {
                    rows.add(row);
                }
            }
        }
        if (rows.isEmpty()) {
            throw new Main.UserError(p + ": no data rows");
        }
        int cols = parser.cols;
        double[] flat = new double[rows.size() * cols];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, flat, i * cols, cols);
        }
        int[] shape = cols == 1 ? new int[] {rows.size()} : new int[] {rows.size(), cols};
        if (labels) {
            long[] l = new long[flat.length];
            for (int i = 0; i < l.length; i++) {
                l[i] = (long) flat[i];
            }
            return Tensor.ofLabels(l, shape);
        }
        return Tensor.of(flat, shape);
    }

    static double parseNumber(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "nan":
                return Double.NaN;
            case "inf":
            case "+inf":
            case "infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf":
            case "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                if (s.isEmpty() || s.endsWith("d") || s.endsWith("D") || s.endsWith("f") || s.endsWith("F")) {
                    throw new NumberFormatException(s);
                }
                return Double.parseDouble(s);
        }
    }

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** A parsed .npy header: element kind ({@code f4}, {@code f8}, {@code i8}), byte order, shape. */
    static final class NpyHeader {
        final String kind;
        final ByteOrder order;
        final int[] shape;
        final long elements;

        private NpyHeader(String kind, ByteOrder order, int[] shape, long elements) {
            this.kind = kind;
            this.order = order;
            this.shape = shape;
            this.elements = elements;
        }

        int width() {
            return kind.equals("f4") ? 4 : 8;
        }

        /**
         * Reads the magic and header from {@code in}; refuses headers declaring more elements than
         * {@code maxElements} or more data than the file holds.
         */
        static NpyHeader read(Path p, DataInputStream in, long maxElements) throws IOException {
            byte[] magic = new byte[8];
            try {
                in.readFully(magic);
            } catch (java.io.EOFException e) {
                throw new Main.UserError(p + ": not a NumPy .npy file (too short)");
            }
            if (magic[0] != (byte) 0x93 || magic[1] != 'N' || magic[2] != 'U' || magic[3] != 'M' || magic[4] != 'P'
                    || magic[5] != 'Y') {
                throw new Main.UserError(p + ": not a NumPy .npy file (bad magic)");
            }
            int major = magic[6];
            int headerLen;
            if (major == 1) {
                headerLen = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
            } else if (major == 2 || major == 3) {
                headerLen = Integer.reverseBytes(in.readInt());
                if (headerLen < 0 || headerLen > 1 << 20) {
                    throw new Main.UserError(p + ": .npy header length " + headerLen + " is not plausible");
                }
            } else {
                throw new Main.UserError(p + ": unsupported .npy version " + major);
            }
            byte[] hb = new byte[headerLen];
            in.readFully(hb);
            String header = new String(hb, StandardCharsets.ISO_8859_1);
            Matcher d = DESCR.matcher(header);
            Matcher o = ORDER.matcher(header);
            Matcher s = SHAPE.matcher(header);
            if (!d.find() || !o.find() || !s.find()) {
                throw new Main.UserError(p + ": .npy header is malformed: " + header.trim());
            }
            if (o.group(1).equals("True")) {
                throw new Main.UserError(p + ": Fortran-order .npy arrays are not supported (save with C order)");
            }
            String descr = d.group(1);
            List<Integer> dims = new ArrayList<>();
            long n = 1;
            for (String part : s.group(1).split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                long v;
                try {
                    v = Long.parseLong(part.trim());
                } catch (NumberFormatException e) {
                    throw new Main.UserError(p + ": .npy shape '" + s.group(1) + "' is malformed");
                }
                if (v < 0 || v > Integer.MAX_VALUE) {
                    throw new Main.UserError(p + ": .npy shape has a dimension " + v + " outside [0, 2^31)");
                }
                n *= v;
                if (n > maxElements) {
                    throw new Main.UserError(p + ": .npy shape (" + s.group(1) + ") declares more than "
                            + maxElements + " elements");
                }
                dims.add((int) v);
            }
            int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
            ByteOrder order = descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            String kind = descr.replaceAll("^[<>|=]", "");
            if (!kind.equals("f4") && !kind.equals("f8") && !kind.equals("i8")) {
                throw new Main.UserError(p + ": .npy dtype '" + descr + "' is not float32, float64 or int64");
            }
            NpyHeader h = new NpyHeader(kind, order, shape, n);
            if (n * h.width() > Files.size(p)) {
                throw new Main.UserError(p + ": .npy data is truncated (shape needs " + n * h.width() + " bytes)");
            }
            return h;
        }
    }

    static Tensor readNpy(Path p) throws IOException {
        try (InputStream raw = Files.newInputStream(p); DataInputStream in = new DataInputStream(
                new java.io.BufferedInputStream(raw))) {
            NpyHeader h = NpyHeader.read(p, in, MAX_ELEMENTS);
            int[] shape = h.shape;
            ByteOrder order = h.order;
            String kind = h.kind;
            long n = h.elements;
            long bytes = n * h.width();
            byte[] data = new byte[(int) bytes];
            try {
                in.readFully(data);
            } catch (java.io.EOFException e) {
                throw new Main.UserError(p + ": .npy data is truncated (shape needs " + bytes + " bytes)");
            }
            ByteBuffer bb = ByteBuffer.wrap(data).order(order);
            int len = (int) n;
            switch (kind) {
                case "f4": {
                    float[] a = new float[len];
                    bb.asFloatBuffer().get(a);
                    return Tensor.of(a, shape);
                }
                case "f8": {
                    double[] a = new double[len];
                    bb.asDoubleBuffer().get(a);
                    return Tensor.of(a, shape);
                }
                default: {
                    long[] a = new long[len];
                    bb.asLongBuffer().get(a);
                    return Tensor.ofLabels(a, shape);
                }
            }
        } catch (java.io.EOFException e) {
            throw new Main.UserError(p + ": .npy file ends inside its header");
        }
    }

    /** Writes a tensor as .npy (by extension) or CSV (rows = first dimension). */
    static void write(Path p, Tensor t) {
        try {
            if (p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
                writeNpy(p, t);
            } else {
                writeCsv(p, t);
            }
        } catch (IOException e) {
            throw new Main.UserError(p + ": cannot write: " + e.getMessage());
        }
    }

    static void writeCsv(Path p, Tensor t) throws IOException {
        int rows = t.rank() == 0 ? 1 : t.dim(0);
        int cols = rows == 0 ? 0 : t.size() / rows;
        try (BufferedWriter w = Files.newBufferedWriter(p, StandardCharsets.UTF_8)) {
            StringBuilder sb = new StringBuilder();
            for (int r = 0; r < rows; r++) {
                sb.setLength(0);
                for (int c = 0; c < cols; c++) {
                    if (c > 0) {
                        sb.append(',');
                    }
                    double v = t.getDouble(r * cols + c);
                    sb.append(t.dtype() == DType.INT64 ? Long.toString((long) v)
                            : t.dtype() == DType.FLOAT32 ? Float.toString((float) v) : Double.toString(v));
                }
                w.write(sb.toString());
                w.newLine();
            }
        }
    }

    static void writeNpy(Path p, Tensor t) throws IOException {
        String descr = t.dtype() == DType.FLOAT32 ? "<f4" : t.dtype() == DType.FLOAT64 ? "<f8" : "<i8";
        StringBuilder shape = new StringBuilder();
        for (int d : t.shape()) {
            shape.append(d).append(", ");
        }
        String sh = t.rank() == 1 ? shape.toString().trim() : shape.length() == 0 ? ""
                : shape.substring(0, shape.length() - 2);
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + sh + "), }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        int width = t.dtype() == DType.FLOAT32 ? 4 : 8;
        ByteBuffer bb = ByteBuffer.allocate(10 + header.length() + t.size() * width).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        bb.putShort((short) header.length());
        bb.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < t.size(); i++) {
            switch (t.dtype()) {
                case FLOAT32:
                    bb.putFloat(t.f32()[i]);
                    break;
                case FLOAT64:
                    bb.putDouble(t.f64()[i]);
                    break;
                default:
                    bb.putLong(t.i64()[i]);
            }
        }
        try (OutputStream o = Files.newOutputStream(p)) {
            o.write(bb.array());
        }
    }
}
