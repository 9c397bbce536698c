package org.losses4j.cli;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Rows of a CSV or float .npy file read a chunk at a time, so that files of millions of rows
 * are evaluated in bounded memory. Errors name the file, line and column.
 */
abstract class RowStream implements Closeable {
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
            reader = new TensorFiles.Lines(new InputStreamReader(in, StandardCharsets.UTF_8));
            rows = new CsvRows(p, labels);
            pending = next();
            if (pending == null) {
                throw new Main.UserError(p + ": no data rows");
            }
        }

        private double[] next() throws IOException {
            String line;
            while ((line = reader.next(path, rows.lineNo + 1)) != null) {
                double[] row = rows.parse(line);
                if (row != null) {
                    return row;
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
        private long remaining;

        Npy(Path p, Counting raw, boolean labels) throws IOException {
            super(p, raw);
            in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16));
            header = TensorFiles.NpyHeader.read(p, in, Long.MAX_VALUE / 8);
            int[] s = header.shape;
            cols = s.length <= 1 ? 1 : (int) (header.elements / Math.max(1, s[0]));
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
            for (int i = 0; i < n; i++) {
                dst[i] = width == 4 ? bb.getFloat() : header.kind.equals("i8") ? bb.getLong() : bb.getDouble();
            }
            remaining -= n;
            return (int) (n / cols);
        }
    }

    /** CSV line parsing shared by the whole-file reader and the stream: header detection, errors. */
    static final class CsvRows {
        private final Path path;
        private final boolean labels;
        private final String sep;
        int cols = -1;
        int lineNo;
        private boolean seenData;

        CsvRows(Path path, boolean labels) {
            this.path = path;
            this.labels = labels;
            this.sep = path.toString().endsWith(".tsv") ? "\t" : ",";
        }

        /** The row of one line; null for a blank line or the header row. */
        double[] parse(String line) {
            lineNo++;
            if (line.isBlank()) {
                return null;
            }
            String[] cells = line.split(sep, -1);
            double[] row = new double[cells.length];
            for (int c = 0; c < cells.length; c++) {
                String s = cells[c].trim();
                try {
                    row[c] = TensorFiles.parseNumber(s);
                } catch (NumberFormatException e) {
                    if (!seenData && cols < 0 && c == 0) {
                        cols = cells.length; // a header row
                        return null;
                    }
                    throw new Main.UserError(path + ":" + lineNo + ":" + (c + 1) + ": '" + TensorFiles.shown(s, 40)
                            + "' is not a number");
                }
                if (labels && (row[c] != Math.rint(row[c]) || Double.isInfinite(row[c]))) {
                    throw new Main.UserError(path + ":" + lineNo + ":" + (c + 1) + ": '" + TensorFiles.shown(s, 40)
                            + "' is not an integer class label");
                }
            }
            if (cols < 0) {
                cols = cells.length;
            } else if (cells.length != cols) {
                throw new Main.UserError(path + ":" + lineNo + ": row has " + cells.length + " columns, expected "
                        + cols);
            }
            seenData = true;
            return row;
        }
    }
}
