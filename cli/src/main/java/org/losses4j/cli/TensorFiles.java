package org.losses4j.cli;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.losses4j.DType;
import org.losses4j.Tensor;

/**
 * Reads and writes tensors as CSV (one row per sample, optional header row) or NumPy
 * {@code .npy} (float32, float64, int64, C order), chosen by the file extension. Every
 * malformed input is a {@link UserError} naming the file, line and column.
 */
final class TensorFiles {
    /** Refuse NPY headers declaring more elements than this (a hostile header must not exhaust memory). */
    static final long MAX_ELEMENTS = 1L << 28;

    private TensorFiles() {
    }

    /** Reads a file; {@code labels} asks for int64 (integer values only). */
    static Tensor read(Path p, boolean labels) {
        return read(Source.of(p), labels);
    }

    /** Reads a whole file, a CSV column or an .npz member; {@code labels} asks for int64 (integers only). */
    static Tensor read(Source src, boolean labels) {
        src.checkSelectable();
        try {
            if (src.npz()) {
                try (Source.Member m = src.member()) {
                    return labelsIf(labels, m.name(), readNpy(m.name(), m.in(), m.size()));
                }
            }
            if (src.extension().equals(".npy")) {
                return labelsIf(labels, src.shown(), readNpy(src.file(), src.shown()));
            }
            if (src.csv()) {
                return readCsv(src, labels);
            }
        } catch (NoSuchFileException e) {
            throw new UserError(src.shown() + ": no such file");
        } catch (IOException e) {
            throw new UserError(src.shown() + ": cannot read: " + e.getMessage());
        }
        throw new UserError(src.shown() + ": unknown file type (use .csv, .tsv, .txt, .npy or .npz)");
    }

    private static Tensor labelsIf(boolean labels, String name, Tensor t) {
        return labels && t.dtype() != DType.INT64 ? toLabels(name, t) : t;
    }

    static Tensor toLabels(Object p, Tensor t) {
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) {
            double v = t.getDouble(i);
            if (!RowStream.label(v)) {
                throw new UserError(p + ": element " + i + " = " + v + " is not an integer label");
            }
            out[i] = (long) v;
        }
        return Tensor.ofLabels(out, t.shape());
    }

    /** The rank of a regular .npy file's (or .npz member's) shape; 0 for anything else (CSV is read as rows). */
    static int npyRank(Source src) {
        Path p = src.file();
        if (!Files.isRegularFile(p) || src.csv()) {
            return 0;
        }
        try {
            if (src.npz()) {
                try (Source.Member m = src.member(); DataInputStream in = new DataInputStream(m.in())) {
                    return NpyHeader.read(m.name(), -1, in, Long.MAX_VALUE / 8).shape.length;
                }
            }
            try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(p)))) {
                return NpyHeader.read(p, in, Long.MAX_VALUE / 8).shape.length;
            }
        } catch (IOException | UserError e) {
            return 0; // the reader reports it
        }
    }

    /** Refuse CSV lines longer than this (a file without line breaks must not exhaust memory). */
    static final int MAX_LINE = 1 << 28;

    /**
     * Reads CSV by the rules of {@link RowStream.CsvRows} (header, missing values); with
     * {@code labels} every cell must be an integer and the result is int64. Values go straight
     * into one growing flat array (8 bytes a cell, no per-row objects); at most
     * {@link #MAX_ELEMENTS} values and lines of at most {@link #MAX_LINE} characters.
     */
    static Tensor readCsv(Source src, boolean labels) throws IOException {
        double[] flat = new double[256];
        int size = 0;
        int rows = 0;
        String p = src.shown();
        try (InputStream in = Files.newInputStream(src.file())) {
            Lines lines = new Lines(p, src.separator(), in, MAX_LINE, MAX_LINE);
            RowStream.CsvRows csv = new RowStream.CsvRows(p, src.separator(), labels, src.select());
            String line;
            while ((line = lines.next(csv.lineNo + 1)) != null) {
                int cells = csv.parse(line);
                if (cells < 0) {
                    continue;
                }
                if ((long) size + cells > MAX_ELEMENTS) {
                    throw new UserError(p + ":" + csv.lineNo + ": more than " + MAX_ELEMENTS + " values");
                }
                if (size + cells > flat.length) {
                    flat = Arrays.copyOf(flat, (int) Math.min(MAX_ELEMENTS, Math.max((long) size + cells,
                            2L * flat.length)));
                }
                System.arraycopy(csv.row, 0, flat, size, cells);
                size += cells;
                rows++;
            }
            if (rows == 0) {
                throw new UserError(src + ": no data rows");
            }
            int cols = csv.cols;
            int[] shape = cols == 1 ? new int[] {rows} : new int[] {rows, cols};
            if (labels) {
                long[] l = new long[size];
                for (int i = 0; i < size; i++) {
                    l[i] = (long) flat[i];
                }
                return Tensor.ofLabels(l, shape);
            }
            return Tensor.of(size == flat.length ? flat : Arrays.copyOf(flat, size), shape);
        }
    }

    /**
     * Text from a file as shown in a one-line message: control characters (line breaks, escape
     * sequences) written as {@code \\uXXXX}, at most {@code max} characters.
     */
    static String shown(String s, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < max; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.length() < max || s.length() <= max ? sb.toString() : sb + "...";
    }

    /**
     * Lines of UTF-8 text ended by \n, \r\n or \r (as {@link BufferedReader#readLine}), a byte
     * order mark at the start skipped; refusing bytes that are not UTF-8 (naming the byte
     * offset), a line longer than {@code maxLine} characters, and (for a CSV row) a line with
     * more than {@code maxCells} comma- or tab-separated cells, before holding it whole.
     */
    static final class Lines {
        private final String path;
        private final InputStream in;
        private final int maxLine;
        private final int maxCells;
        private final char sep;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        private final ByteBuffer bytes = ByteBuffer.allocate(8192);
        private final CharBuffer chars = CharBuffer.allocate(8192);
        /** Bytes decoded and dropped from {@link #bytes} before its current start. */
        private long base;
        private boolean eof;
        private boolean started;
        private boolean skipLf;

        Lines(Path path, InputStream in, int maxLine, int maxCells) {
            this(path.toString(), separator(path), in, maxLine, maxCells);
        }

        /** Lines of a file named {@code path} in messages, cells separated by {@code sep}. */
        Lines(String path, char sep, InputStream in, int maxLine, int maxCells) {
            this.path = path;
            this.in = in;
            this.maxLine = maxLine;
            this.maxCells = maxCells;
            this.sep = sep;
            bytes.limit(0);
            chars.limit(0);
        }

        /** Decodes more characters into {@link #chars}; false at the end of the input. */
        private boolean fill(int lineNo) throws IOException {
            chars.clear();
            while (chars.position() == 0) {
                if (!eof && bytes.remaining() < 16) {
                    base += bytes.position();
                    bytes.compact();
                    int n = in.read(bytes.array(), bytes.position(), bytes.capacity() - bytes.position());
                    if (n < 0) {
                        eof = true;
                    } else {
                        bytes.position(bytes.position() + n);
                    }
                    bytes.flip();
                }
                CoderResult r = decoder.decode(bytes, chars, eof);
                // the text before a bad byte is read first, so that the error names the line it is on
                if (r.isError() && chars.position() == 0) {
                    throw new UserError(path + ":" + lineNo + ": not UTF-8 text (byte offset "
                            + (base + bytes.position()) + ")");
                }
                if (eof && chars.position() == 0) {
                    chars.flip();
                    return false;
                }
            }
            chars.flip();
            if (!started) {
                started = true;
                if (chars.get(0) == '\uFEFF') {
                    chars.get();
                }
            }
            return true;
        }

        String next(int lineNo) throws IOException {
            StringBuilder sb = null;
            long cells = 1;
            while (true) {
                if (!chars.hasRemaining() && !fill(lineNo)) {
                    return sb == null ? null : sb.toString();
                }
                if (skipLf) {
                    skipLf = false;
                    if (chars.get(chars.position()) == '\n') {
                        chars.get();
                        continue;
                    }
                }
                char[] buf = chars.array();
                int pos = chars.position();
                int len = chars.limit();
                int i = pos;
                while (i < len && buf[i] != '\n' && buf[i] != '\r') {
                    if (buf[i] == sep && ++cells > maxCells) {
                        throw new UserError(path + ":" + lineNo + ": row has more than " + maxCells
                                + " values (the most one row may hold here)");
                    }
                    i++;
                }
                if (sb == null) {
                    sb = new StringBuilder();
                }
                if ((long) sb.length() + (i - pos) > maxLine) {
                    throw new UserError(path + ":" + lineNo + ": line longer than " + maxLine + " characters");
                }
                sb.append(buf, pos, i - pos);
                if (i < len) {
                    skipLf = buf[i] == '\r';
                    chars.position(i + 1);
                    return sb.toString();
                }
                chars.position(len);
            }
        }
    }

    /** Cells that are a missing value (pandas' defaults), read as NaN. */
    private static final java.util.Set<String> MISSING = java.util.Set.of("", "na", "n/a", "nan", "-nan", "null",
            "none", "#n/a", "<na>");

    /** Whether a (trimmed) cell is a missing-value marker: empty, NA, N/A, NaN, null, None, #N/A, <NA>. */
    static boolean missing(String s) {
        return MISSING.contains(s.toLowerCase(Locale.ROOT));
    }

    /** A number, infinity, or NaN for a missing value; else NumberFormatException. */
    static double parseNumber(String s) {
        if (missing(s)) {
            return Double.NaN;
        }
        switch (s.toLowerCase(Locale.ROOT)) {
            case "inf":
            case "+inf":
            case "infinity":
            case "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf":
            case "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                if (s.endsWith("d") || s.endsWith("D") || s.endsWith("f") || s.endsWith("F")) {
                    throw new NumberFormatException(s);
                }
                return Double.parseDouble(s);
        }
    }

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern KEY = Pattern.compile("'([^']*)'\\s*:");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** A parsed .npy header: element kind ({@code f4}, {@code f8}, {@code i8}), byte order, shape. */
    static final class NpyHeader {
        final String kind;
        final ByteOrder order;
        final int[] shape;
        final long elements;
        final int width;
        /** Column-major data (numpy's {@code fortran_order}). */
        final boolean fortran;

        private NpyHeader(String kind, ByteOrder order, int[] shape, long elements, int width, boolean fortran) {
            this.fortran = fortran;
            this.kind = kind;
            this.order = order;
            this.shape = shape;
            this.elements = elements;
            this.width = width;
        }

        /** Floating data (float16, float32, float64); else integers or bool, read as int64. */
        boolean floating() {
            return kind.charAt(0) == 'f';
        }

        /** The next element of {@code bb} (in this header's byte order) as a double. */
        double get(String p, ByteBuffer bb) {
            switch (kind) {
                case "f2":
                    return half(bb.getShort());
                case "f4":
                    return bb.getFloat();
                case "f8":
                    return bb.getDouble();
                default:
                    return getLong(p, bb);
            }
        }

        /** The next integer (or bool) element of {@code bb}; a uint64 above int64's range is refused. */
        long getLong(String p, ByteBuffer bb) {
            switch (kind) {
                case "i1":
                    return bb.get();
                case "u1":
                case "b1":
                    return Byte.toUnsignedLong(bb.get());
                case "i2":
                    return bb.getShort();
                case "u2":
                    return Short.toUnsignedLong(bb.getShort());
                case "i4":
                    return bb.getInt();
                case "u4":
                    return Integer.toUnsignedLong(bb.getInt());
                default:
                    long v = bb.getLong();
                    if (kind.equals("u8") && v < 0) {
                        throw new UserError(p + ": uint64 value " + Long.toUnsignedString(v)
                                + " is beyond int64");
                    }
                    return v;
            }
        }

        /**
         * Reads the magic and header from {@code in}; refuses headers declaring more than
         * {@code maxElements} elements or more data than the file holds.
         */
        static NpyHeader read(Path p, DataInputStream in, long maxElements) throws IOException {
            return read(p.toString(), Files.isRegularFile(p) ? Files.size(p) : -1, in, maxElements);
        }

        /**
         * As {@link #read(Path, DataInputStream, long)} for data named {@code p} in messages, of
         * {@code size} bytes in all (header included), or -1 when that is not known.
         */
        static NpyHeader read(String p, long size, DataInputStream in, long maxElements) throws IOException {
            byte[] magic = new byte[8];
            in.readFully(magic);
            if (magic[0] != (byte) 0x93 || magic[1] != 'N' || magic[2] != 'U' || magic[3] != 'M' || magic[4] != 'P'
                    || magic[5] != 'Y') {
                throw new UserError(p + ": not a NumPy .npy file (bad magic)");
            }
            int major = magic[6];
            int headerLen;
            if (major == 1) {
                headerLen = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
            } else if (major == 2 || major == 3) {
                headerLen = Integer.reverseBytes(in.readInt());
                if (headerLen < 0 || headerLen > 1 << 20) {
                    throw new UserError(p + ": .npy header length " + headerLen + " is not plausible");
                }
            } else {
                throw new UserError(p + ": unsupported .npy version " + major);
            }
            byte[] hb = new byte[headerLen];
            in.readFully(hb);
            String header = new String(hb, StandardCharsets.ISO_8859_1);
            Matcher d = DESCR.matcher(header);
            Matcher o = ORDER.matcher(header);
            Matcher s = SHAPE.matcher(header);
            if (!d.find() || !o.find() || !s.find()) {
                throw new UserError(p + ": .npy header is malformed: " + shown(header.trim(), 120));
            }
            java.util.Set<String> keys = new java.util.HashSet<>();
            for (Matcher k = KEY.matcher(header); k.find();) {
                if (!keys.add(k.group(1))) {
                    throw new UserError(p + ": .npy header has the key '" + shown(k.group(1), 40)
                            + "' twice (which one numpy reads is not what a reader should guess)");
                }
            }
            boolean fortran = o.group(1).equals("True");
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
                    throw new UserError(p + ": .npy shape '" + shown(s.group(1), 60) + "' is malformed");
                }
                if (v < 0) {
                    throw new UserError(p + ": .npy shape has a negative dimension " + v);
                }
                // each dimension first (n·v must not overflow, and every dimension must fit an int)
                if (v > Math.min(maxElements, Integer.MAX_VALUE)) {
                    throw new UserError(p + ": .npy shape (" + shown(s.group(1), 60)
                            + ") has a dimension of more than " + Math.min(maxElements, Integer.MAX_VALUE));
                }
                try {
                    n = Math.multiplyExact(n, v);
                } catch (ArithmeticException e) {
                    n = Long.MAX_VALUE;
                }
                if (n > maxElements) {
                    throw new UserError(p + ": .npy shape (" + shown(s.group(1), 60) + ") declares more than "
                            + maxElements + " elements");
                }
                dims.add((int) v);
            }
            int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
            ByteOrder order = descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            String kind = descr.replaceAll("^[<>|=]", "");
            if (!kind.matches("f[248]|i[1248]|u[1248]|b1")) {
                throw new UserError(p + ": .npy dtype '" + shown(descr, 40) + "' is not one of float16, float32,"
                        + " float64, int8-int64, uint8-uint64, bool");
            }
            int width = kind.charAt(1) - '0';
            if (size >= 0 && n > (size - (major == 1 ? 10 : 12) - headerLen) / width) {
                throw new UserError(p + ": .npy data is truncated (shape needs " + n * width + " bytes)");
            }
            return new NpyHeader(kind, order, shape, n, width, fortran);
        }
    }

    static Tensor readNpy(Path p) throws IOException {
        return readNpy(p, p.toString());
    }

    private static Tensor readNpy(Path p, String shown) throws IOException {
        try (InputStream raw = Files.newInputStream(p)) {
            return readNpy(shown, raw, Files.isRegularFile(p) ? Files.size(p) : -1);
        }
    }

    /** Reads .npy data of {@code size} bytes (-1: not known) named {@code p} in messages. */
    static Tensor readNpy(String p, InputStream raw, long size) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw))) {
            NpyHeader h = NpyHeader.read(p, size, in, MAX_ELEMENTS);
            int[] shape = h.shape;
            ByteOrder order = h.order;
            String kind = h.kind;
            long n = h.elements;
            int width = h.width;
            long bytes = n * width;
            // read in chunks straight into the result (no byte[] of the whole data: 2^28 doubles are 2 GiB)
            int len = (int) n;
            float[] f4 = kind.equals("f4") || kind.equals("f2") ? new float[len] : null;
            double[] f8 = kind.equals("f8") ? new double[len] : null;
            long[] i8 = h.floating() ? null : new long[len];
            int[] at = h.fortran && shape.length > 1 ? cOrder(shape) : null;
            byte[] chunk = new byte[1 << 16];
            for (int done = 0; done < len;) {
                int want = (int) Math.min((long) (len - done) * width, chunk.length);
                try {
                    in.readFully(chunk, 0, want);
                } catch (java.io.EOFException e) {
                    throw new UserError(p + ": .npy data is truncated (shape needs " + bytes + " bytes)");
                }
                ByteBuffer bb = ByteBuffer.wrap(chunk, 0, want).order(order);
                int k = want / width;
                for (int i = done; i < done + k; i++) {
                    int j = at == null ? i : at[i];
                    if (f4 != null) {
                        f4[j] = (float) h.get(p, bb);
                    } else if (f8 != null) {
                        f8[j] = bb.getDouble();
                    } else {
                        i8[j] = h.getLong(p, bb);
                    }
                }
                done += k;
            }
            return f4 != null ? Tensor.of(f4, shape) : f8 != null ? Tensor.of(f8, shape) : Tensor.ofLabels(i8, shape);
        } catch (java.io.EOFException e) {
            throw new UserError(p + ": .npy file ends inside its header");
        }
    }

    /**
     * Writes a tensor as .npy (by extension) or CSV (rows = first dimension; tab-separated for
     * .tsv), through {@link OutputFiles}: a temporary file moved into place when complete.
     */
    static void write(Path p, Tensor t) {
        write(p, t, p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy"));
    }

    /** Writes a tensor as .npy whatever the file's name. */
    static void writeNpy(Path p, Tensor t) {
        write(p, t, true);
    }

    private static void write(Path p, Tensor t, boolean npy) {
        try (OutputFiles.Sink s = OutputFiles.open(p)) {
            if (npy) {
                writeNpy(s, t);
            } else {
                writeCsv(s, t, separator(p));
            }
            s.commit();
        }
    }

    /** For column-major data of {@code shape}: the row-major index of each element in file order. */
    private static int[] cOrder(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        int[] stride = new int[shape.length];
        for (int k = shape.length - 1, st = 1; k >= 0; st *= shape[k], k--) {
            stride[k] = st;
        }
        int[] idx = new int[shape.length];
        int[] at = new int[n];
        for (int f = 0; f < n; f++) {
            int c = 0;
            for (int k = 0; k < shape.length; k++) {
                c += idx[k] * stride[k];
            }
            at[f] = c;
            for (int k = 0; k < shape.length && ++idx[k] == shape[k]; k++) {
                idx[k] = 0;
            }
        }
        return at;
    }

    /** An IEEE half-precision value (the bits of numpy's float16) as a float, exactly. */
    static float half(short bits) {
        int e = (bits >> 10) & 0x1f;
        int m = bits & 0x3ff;
        float v = e == 0 ? m * 0x1p-24f : e == 31 ? (m == 0 ? Float.POSITIVE_INFINITY : Float.NaN)
                : (1 + m / 1024f) * (float) Math.scalb(1.0, e - 15);
        return bits < 0 ? -v : v;
    }

    /** The CSV separator of a file name: tab for .tsv, else comma. */
    static char separator(Path p) {
        return p.toString().toLowerCase(Locale.ROOT).endsWith(".tsv") ? '\t' : ',';
    }

    private static void writeCsv(OutputFiles.Sink s, Tensor t, char sep) {
        csvLines(t, sep, line -> s.write((line + System.lineSeparator()).getBytes(StandardCharsets.UTF_8)));
    }

    /** A tensor as CSV lines (rows = first dimension), each handed to {@code out} without its line break. */
    static void csvLines(Tensor t, char sep, java.util.function.Consumer<String> out) {
        int rows = t.rank() == 0 ? 1 : t.dim(0);
        int cols = rows == 0 ? 0 : t.size() / rows;
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < rows; r++) {
            sb.setLength(0);
            for (int c = 0; c < cols; c++) {
                if (c > 0) {
                    sb.append(sep);
                }
                double v = t.getDouble(r * cols + c);
                sb.append(t.dtype() == DType.INT64 ? Long.toString((long) v)
                        : t.dtype() == DType.FLOAT32 ? Float.toString((float) v) : Double.toString(v));
            }
            out.accept(sb.toString());
        }
    }

    /**
     * The magic, version and header of a version 1.0 .npy file of {@code descr} ({@code <f8} ...)
     * and {@code shape} (the text between the parentheses), padded to 64 bytes as numpy does.
     */
    static byte[] npyHeader(String descr, String shape) {
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shape + "), }";
        int pad = (64 - (10 + header.length() + 1) % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        ByteBuffer hb = ByteBuffer.allocate(10 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
        hb.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        hb.put(header.getBytes(StandardCharsets.ISO_8859_1));
        return hb.array();
    }

    /** The shape as a .npy header writes it: {@code 3,} for one dimension, {@code 2, 3} for two. */
    static String npyShape(int... shape) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            sb.append(i > 0 ? ", " : "").append(shape[i]);
        }
        return shape.length == 1 ? sb + "," : sb.toString();
    }

    private static void writeNpy(OutputFiles.Sink s, Tensor t) {
        String descr = t.dtype() == DType.FLOAT32 ? "<f4" : t.dtype() == DType.FLOAT64 ? "<f8" : "<i8";
        s.write(npyHeader(descr, npyShape(t.shape())));
        int width = t.dtype() == DType.FLOAT32 ? 4 : 8;
        ByteBuffer bb = ByteBuffer.allocate(t.size() * width).order(ByteOrder.LITTLE_ENDIAN);
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
        s.write(bb.array());
    }
}
