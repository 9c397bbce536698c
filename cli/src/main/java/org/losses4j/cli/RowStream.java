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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rows of a CSV or float .npy file read a chunk at a time, so that files of millions of rows
 * are evaluated in bounded memory. Errors name the file, line and column.
 */
abstract class RowStream implements Closeable {
    /** The most values one streamed row may hold (8 MiB as float64); a wider row is refused with its size. */
    static final int MAX_ROW = 1 << 20;
    /** The longest CSV line a stream reads (32 characters a value of a row of {@link #MAX_ROW}). */
    static final int MAX_LINE = 32 * MAX_ROW;

    /** The input as messages name it ({@code data.csv:y_pred}, {@code arrays.npz:pred}, {@code stdin}). */
    final String path;
    private final long totalBytes;
    private final Counting counting;
    private final Closeable resource;

    private RowStream(String path, Counting counting, long totalBytes, Closeable resource) {
        this.path = path;
        this.totalBytes = totalBytes;
        this.counting = counting;
        this.resource = resource;
    }

    /** Values per row. */
    abstract int cols();

    /** Reads up to {@code maxRows} rows into {@code dst} (row-major); 0 at the end. */
    abstract int read(double[] dst, int maxRows) throws IOException;

    /** Fraction of the file's bytes consumed so far. */
    double progress() {
        return totalBytes == 0 ? 1 : Math.min(1, (double) counting.count / totalBytes);
    }

    static RowStream open(Source p) {
        return open(p, false);
    }

    /**
     * With {@code labels}, every CSV cell must be an integer (class labels). An .npz member is
     * read through the archive (progress: its uncompressed bytes).
     */
    static RowStream open(Source p, boolean labels) {
        p.checkSelectable();
        Source.Member m = p.npz() ? p.member() : null;
        boolean opened = false;
        try {
            if (m != null) {
                RowStream r = new Npy(m.name(), new Counting(m.in()), m.size() < 0 ? 0 : m.size(), m, labels);
                opened = true;
                return r;
            }
            Counting in = new Counting(Files.newInputStream(p.file()));
            if (p.extension().equals(".npy")) {
                return new Npy(p.shown(), in, Files.size(p.file()), null, labels);
            }
            return new Csv(p, in, labels);
        } catch (NoSuchFileException e) {
            throw new UserError(p.shown() + ": no such file");
        } catch (IOException e) {
            throw new UserError(p.shown() + ": cannot read: " + e.getMessage());
        } finally {
            if (m != null && !opened) {
                try {
                    m.close();
                } catch (IOException e) {
                    // reporting the first error
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        counting.close();
        if (resource != null) {
            resource.close();
        }
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

        Csv(Source p, Counting in, boolean labels) throws IOException {
            super(p.shown(), in, Files.size(p.file()), null);
            reader = new TensorFiles.Lines(p.shown(), p.separator(), in, MAX_LINE, MAX_ROW);
            rows = new CsvRows(p.shown(), p.separator(), labels, p.select());
            pending = next();
            if (pending == null) {
                throw new UserError(p + ": no data rows");
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

        Npy(String p, Counting raw, long size, Closeable resource, boolean labels) throws IOException {
            super(p, raw, size, resource);
            in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16));
            header = TensorFiles.NpyHeader.read(p, resource == null ? size : -1, in, Long.MAX_VALUE / 8);
            int[] s = header.shape;
            if (header.fortran && s.length > 1) {
                throw new UserError(p + ": a Fortran-order .npy is not stored row by row: leave out --stream"
                        + " (it is read whole) or save it in C order");
            }
            long c = 1;
            for (int i = 1; i < s.length; i++) {
                c *= s[i];
                if (c > MAX_ROW) {
                    throw new UserError(p + ": .npy shape " + Arrays.toString(s) + " has rows of more than "
                            + MAX_ROW + " values (the most one streamed row may hold)");
                }
            }
            if (c == 0) {
                throw new UserError(p + ": .npy shape " + Arrays.toString(s) + " has rows of no values");
            }
            if (s.length == 0 || s[0] == 0) {
                throw new UserError(p + ": no data rows (.npy shape " + Arrays.toString(s) + ")");
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
                throw new UserError(path + ": .npy data is truncated");
            }
            ByteBuffer bb = ByteBuffer.wrap(bytes).order(header.order);
            long first = header.elements - remaining;
            for (int i = 0; i < n; i++) {
                dst[i] = header.get(path, bb);
                if (labels && !label(dst[i])) {
                    throw new UserError(path + ": element " + (first + i) + " = " + dst[i]
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
        private final String path;
        private final boolean labels;
        private final char sep;
        /** The column chosen ({@code data.csv:y_pred}, {@code data.csv:2}), or null for all. */
        private final String select;
        /** The 0-based index of the chosen column, once the first line has been read; -1 for all. */
        private int chosen = -1;
        /** Cells per row of the file. */
        private int fileCols = -1;
        /** Values per row read: the file's columns, or 1 for a chosen column. */
        int cols = -1;
        int lineNo;
        /** The cells of the last row parsed. */
        double[] row = new double[16];

        CsvRows(String path, char sep, boolean labels, String select) {
            this.path = path;
            this.labels = labels;
            this.sep = sep;
            this.select = select;
        }

        /**
         * Parses one line into {@link #row}: the number of values, or -1 for the header. With a
         * chosen column only its cell is parsed (the others may hold ids or text), and every row
         * must still have the file's number of cells.
         */
        int parse(String line) {
            lineNo++;
            int cells = 1;
            for (int i = line.indexOf(sep); i >= 0; i = line.indexOf(sep, i + 1)) {
                cells++;
            }
            // a column chosen by name needs a header: the first line is then the header, whatever it holds
            boolean byName = select != null && !number(select);
            if (lineNo == 1 && (byName || header(line))) {
                fileCols = cells;
                choose(line, true);
                cols = select == null ? cells : 1;
                return -1;
            }
            if (lineNo == 1) {
                fileCols = cells;
                choose(line, false);
            }
            if (fileCols >= 0 && cells != fileCols) {
                throw new UserError(path + ":" + lineNo + ": row has " + cells + " columns, expected " + fileCols
                        + (line.isBlank() ? " (an empty line; write NA or NaN for missing values)" : ""));
            }
            if (row.length < cells) {
                row = new double[Math.max(cells, 2 * row.length)];
            }
            int start = 0;
            int out = 0;
            for (int c = 0; c < cells; c++) {
                int end = line.indexOf(sep, start);
                if (end < 0) {
                    end = line.length();
                }
                if (chosen >= 0 && c != chosen) {
                    start = end + 1;
                    continue;
                }
                String s = line.substring(start, end).trim();
                start = end + 1;
                double v;
                try {
                    v = TensorFiles.parseNumber(s);
                } catch (NumberFormatException e) {
                    throw new UserError(path + ":" + lineNo + ":" + (c + 1) + ": '" + TensorFiles.shown(s, 40)
                            + "' is not a number");
                }
                if (labels && !label(v)) {
                    throw new UserError(path + ":" + lineNo + ":" + (c + 1) + ": '" + TensorFiles.shown(s, 40)
                            + "' is not an integer class label" + (Double.isNaN(v) ? " (a missing value)" : ""));
                }
                row[out++] = v;
            }
            fileCols = cells;
            cols = out;
            return out;
        }

        private static boolean number(String s) {
            return s.matches("[0-9]+");
        }

        /**
         * Resolves the chosen column on the first line: by name among the header's cells (quotes
         * around a name ignored), or by number, counted from 1 (as the column of every
         * {@code file:line:column} message).
         */
        private void choose(String first, boolean isHeader) {
            if (select == null) {
                return;
            }
            List<String> names = new ArrayList<>();
            for (String c : first.split(java.util.regex.Pattern.quote(String.valueOf(sep)), -1)) {
                String t = c.trim();
                names.add(t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t);
            }
            String there = isHeader ? "its columns: " + TensorFiles.shown(String.join(", ", names), 200)
                    : "no header row";
            if (number(select)) {
                long k = select.length() > 9 ? Long.MAX_VALUE : Long.parseLong(select);
                if (k < 1 || k > fileCols) {
                    throw new UserError(path + " has no column " + TensorFiles.shown(select, 20) + " (columns are"
                            + " numbered from 1 to " + fileCols + "; " + there + ")");
                }
                chosen = (int) k - 1;
                return;
            }
            chosen = names.indexOf(select);
            if (chosen < 0) {
                throw new UserError(path + " has no column '" + TensorFiles.shown(select, 60) + "' ("
                        + there + "; a column may also be given by number, from 1)");
            }
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
