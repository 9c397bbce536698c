package org.losses4j.cli;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Rows of a CSV or float .npy file read a chunk at a time, so that files of millions of rows
 * are evaluated in bounded memory. Errors name the file, line and column.
 */
abstract class RowStream implements Closeable {
    /** The most values one streamed row may hold (8 MiB as float64); a wider row is refused with its size. */
    static final int MAX_ROW = 1 << 20;
    /** The longest CSV line a stream reads (32 characters a value of a row of {@link #MAX_ROW}). */
    static final int MAX_LINE = 32 * MAX_ROW;

    final Path path;
    private final long totalBytes;
    private final Counting counting;

    private RowStream(Path path, Counting counting) throws IOException {
        this.path = path;
        this.totalBytes = Files.size(path);
        this.counting = counting;
    }

    /** Values per row. */
    abstract int cols();

    /** Reads up to {@code maxRows} rows into {@code dst} (row-major); 0 at the end. */
    abstract int read(double[] dst, int maxRows) throws IOException;

    /** Fraction of the file's bytes consumed so far. */
    double progress() {
        return totalBytes == 0 ? 1 : Math.min(1, (double) counting.count / totalBytes);
    }

    static RowStream open(Path p) {
        return open(p, false);
    }

    /** With {@code labels}, every CSV cell must be an integer (class labels). */
    static RowStream open(Path p, boolean labels) {
        try {
            String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
            Counting in = new Counting(Files.newInputStream(p));
            if (n.endsWith(".npy")) {
                return new Npy(p, in, labels);
            }
            return new Csv(p, in, labels);
        } catch (NoSuchFileException e) {
            throw new Main.UserError(p + ": no such file");
        } catch (IOException e) {
            throw new Main.UserError(p + ": cannot read: " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        counting.close();
    }

    /** Counts the bytes read, for the progress bar. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int r = super.read(b, off, len);
            if (r > 0) {
                count += r;
            }
            return r;
        }
    }

    private static final class Csv extends RowStream {
        private final TensorFiles.Lines reader;
        private final CsvRows rows;
        private double[] pending;

        Csv(Path p, Counting in, boolean labels) throws IOException {
            super(p, in);
            reader = new TensorFiles.Lines(p, in, MAX_LINE, MAX_ROW);
            rows = new CsvRows(p, labels);
            pending = next();
            if (pending == null) {
                throw new Main.UserError(p + ": no data rows");
            }
        }

        private double[] next() throws IOException {
            String line;
            while ((line = reader.next(rows.lineNo + 1)) != null) {
                int n = rows.parse(line);
                if (n >= 0) {
                    return Arrays.copyOf(rows.row, n);
                }
            }
            return null;
        }

        @Override
        int cols() {
            return rows.cols;
        }

        @Override
        int read(double[] dst, int maxRows) throws IOException {
            int c = rows.cols;
            int k = 0;
            while (k < maxRows && pending != null) {
                System.arraycopy(pending, 0, dst, k * c, c);
                k++;
                pending = next();
            }
            return k;
        }
    }

    private static final class Npy extends RowStream {
        private final DataInputStream in;
        private final TensorFiles.NpyHeader header;
        private final int cols;
        private final boolean labels;
        private long remaining;

        Npy(Path p, Counting raw, boolean labels) throws IOException {
            super(p, raw);
            in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16));
            header = TensorFiles.NpyHeader.read(p, in, Long.MAX_VALUE / 8);
            int[] s = header.shape;
            if (header.fortran && s.length > 1) {
                throw new Main.UserError(p + ": a Fortran-order .npy is not stored row by row: leave out --stream"
                        + " (it is read whole) or save it in C order");
            }
            long c = 1;
            for (int i = 1; i < s.length; i++) {
                c *= s[i];
                if (c > MAX_ROW) {
                    throw new Main.UserError(p + ": .npy shape " + Arrays.toString(s) + " has rows of more than "
                            + MAX_ROW + " values (the most one streamed row may hold)");
                }
            }
            if (c == 0) {
                throw new Main.UserError(p + ": .npy shape " + Arrays.toString(s) + " has rows of no values");
            }
            if (s.length == 0 || s[0] == 0) {
                throw new Main.UserError(p + ": no data rows (.npy shape " + Arrays.toString(s) + ")");
            }
            cols = (int) c;
            this.labels = labels;
            remaining = header.elements;
        }

        @Override
        int cols() {
            return cols;
        }

        @Override
        int read(double[] dst, int maxRows) throws IOException {
            long n = Math.min(remaining, (long) maxRows * cols);
            int width = header.width;
            byte[] bytes = new byte[(int) n * width];
            try {
                in.readFully(bytes);
            } catch (java.io.EOFException e) {
                throw new Main.UserError(path + ": .npy data is truncated");
            }
            ByteBuffer bb = ByteBuffer.wrap(bytes).order(header.order);
            long first = header.elements - remaining;
            for (int i = 0; i < n; i++) {
                dst[i] = header.get(path, bb);
                if (labels && !label(dst[i])) {
                    throw new Main.UserError(path + ": element " + (first + i) + " = " + dst[i]
                            + " is not an integer class label");
                }
            }
            remaining -= n;
            return (int) (n / cols);
        }
    }

    /**
     * CSV line parsing shared by the whole-file reader and the stream. The rules: the first line
     * is a header when every cell of it is a name (not a number, not empty, not a missing-value
     * marker such as NA or NaN); every other line is a row, a blank line a row of one missing
     * value; a missing value (empty, NA, N/A, NaN, null, None) is NaN, refused as a class label.
     */
    static final class CsvRows {
        private final Path path;
        private final boolean labels;
        private final char sep;
        int cols = -1;
        int lineNo;
        /** The cells of the last row parsed. */
        double[] row = new double[16];

        CsvRows(Path path, boolean labels) {
            this.path = path;
            this.labels = labels;
            this.sep = TensorFiles.separator(path);
        }

        /** Parses one line into {@link #row}: the number of cells, or -1 for the header. */
        int parse(String line) {
            lineNo++;
            int cells = 1;
            for (int i = line.indexOf(sep); i >= 0; i = line.indexOf(sep, i + 1)) {
                cells++;
            }
            if (lineNo == 1 && header(line)) {
                cols = cells;
                return -1;
            }
            if (cols >= 0 && cells != cols) {
                throw new Main.UserError(path + ":" + lineNo + ": row has " + cells + " columns, expected " + cols
                        + (line.isBlank() ? " (an empty line; write NA or NaN for missing values)" : ""));
            }
            if (row.length < cells) {
                row = new double[Math.max(cells, 2 * row.length)];
            }
            int start = 0;
            for (int c = 0; c < cells; c++) {
                int end = line.indexOf(sep, start);
                if (end < 0) {
                    end = line.length();
                }
                String s = line.substring(start, end).trim();
                start = end + 1;
                double v;
                try {
                    v = TensorFiles.parseNumber(s);
                } catch (NumberFormatException e) {
                    throw new Main.UserError(path + ":" + lineNo + ":" + (c + 1) + ": '" + TensorFiles.shown(s, 40)
                            + "' is not a number");
                }
                if (labels && !label(v)) {
                    throw new Main.UserError(path + ":" + lineNo + ":" + (c + 1) + ": '" + TensorFiles.shown(s, 40)
                            + "' is not an integer class label" + (Double.isNaN(v) ? " (a missing value)" : ""));
                }
                row[c] = v;
            }
            cols = cells;
            return cells;
        }

        /** True when every cell is a name: not a number and not a missing-value marker. */
        private boolean header(String line) {
            int start = 0;
            while (start <= line.length()) {
                int end = line.indexOf(sep, start);
                if (end < 0) {
                    end = line.length();
                }
                String s = line.substring(start, end).trim();
                if (TensorFiles.missing(s)) {
                    return false;
                }
                try {
                    TensorFiles.parseNumber(s);
                    return false;
                } catch (NumberFormatException e) {
                    // a name
                }
                start = end + 1;
            }
            return true;
        }
    }

    /** Whether a value read as a class label is one: an integer within int64's range (NaN is not). */
    static boolean label(double v) {
        return v == Math.rint(v) && Math.abs(v) < 0x1p63;
    }
}
