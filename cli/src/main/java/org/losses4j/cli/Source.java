package org.losses4j.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * One input argument of {@code eval}: a whole file, one column of a CSV file
 * ({@code data.csv:y_pred} by header name, {@code data.csv:3} by number, counted from 1 as
 * in the {@code file:line:column} of every error message), one array of a NumPy {@code .npz}
 * archive ({@code arrays.npz:pred}, with or without {@code .npy}), or standard input
 * ({@code -}, also {@code -:y_pred}).
 *
 * <p>The text after the last colon is a selection only when the whole argument is not an
 * existing file: a file that exists wins ({@code a:b.csv} on disk is that file;
 * {@code a:b.csv:y} is column y of it). Standard input is copied to a temporary file as it is
 * read (its format told by its first bytes: the .npy or zip magic, else CSV), so that it can
 * be read twice (the streamed eval's second pass, the label check); {@link #close} deletes it.
 *
 * @param file   the file on disk that is read (for standard input: the temporary copy)
 * @param select the column (CSV) or member (.npz) chosen, or null for the whole file
 * @param shown  the file as messages name it: as given, or {@code stdin}
 * @param stdin  whether this is standard input
 */
record Source(Path file, String select, String shown, boolean stdin) implements AutoCloseable {
    /** The argument that means standard input. */
    static final String STDIN = "-";

    /** The extensions an input may have: the format follows the extension. */
    private static final List<String> KNOWN = List.of(".csv", ".tsv", ".txt", ".npy", ".npz");

    /** A whole file. */
    static Source of(Path p) {
        return new Source(p, null, p.toString(), false);
    }

    /** Whether an argument names standard input ({@code -} or {@code -:SELECTION}). */
    static boolean isStdin(String raw) {
        return raw.equals(STDIN) || raw.startsWith(STDIN + ":");
    }

    /** Parses an argument by the rules above; standard input is read (copied) here. */
    static Source parse(String raw) {
        if (isStdin(raw)) {
            return stdin(raw.equals(STDIN) ? null : raw.substring(2));
        }
        if (exists(raw)) {
            return of(Path.of(raw));
        }
        for (int i = raw.lastIndexOf(':'); i > 0; i = raw.lastIndexOf(':', i - 1)) {
            if (exists(raw.substring(0, i))) {
                return selection(raw.substring(0, i), raw.substring(i + 1), raw);
            }
        }
        // nothing exists: a selection when the part before the last colon looks like a data file,
        // so that "missing.csv:y" is reported as missing.csv
        int i = raw.lastIndexOf(':');
        if (i > 0 && known(raw.substring(0, i))) {
            return selection(raw.substring(0, i), raw.substring(i + 1), raw);
        }
        try {
            return of(Path.of(raw));
        } catch (InvalidPathException e) {
            throw new UserError(raw + ": not a valid file name (" + e.getReason() + ")");
        }
    }

    private static Source selection(String file, String select, String raw) {
        if (select.isEmpty()) {
            throw new UserError(raw + ": nothing after the colon (give a column or an .npz member, or leave"
                    + " out the colon)");
        }
        Path p = Path.of(file);
        return new Source(p, select, p.toString(), false);
    }

    private static boolean exists(String s) {
        try {
            return Files.exists(Path.of(s));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static boolean known(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return KNOWN.stream().anyMatch(n::endsWith);
    }

    /** Standard input copied to a temporary file named by its format: .npy, .npz or .csv. */
    private static Source stdin(String select) {
        if (select != null && select.isEmpty()) {
            throw new UserError("-: nothing after the colon (give a column or an .npz member)");
        }
        try {
            InputStream in = new BufferedInputStream(System.in);
            in.mark(8);
            byte[] head = in.readNBytes(6);
            in.reset();
            String ext = head.length == 6 && (head[0] & 0xff) == 0x93 && new String(head, 1, 5,
                    java.nio.charset.StandardCharsets.ISO_8859_1).equals("NUMPY") ? ".npy"
                    : head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4 ? ".npz"
                    : ".csv";
            Path tmp = Files.createTempFile("losses-stdin-", ext);
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return new Source(tmp, select, "stdin", true);
        } catch (IOException e) {
            throw new UserError("stdin: cannot read: " + e.getMessage());
        }
    }

    /** The file's name, lower case, to tell its format by. */
    String extension() {
        String n = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot);
    }

    boolean csv() {
        return extension().equals(".csv") || extension().equals(".tsv") || extension().equals(".txt");
    }

    boolean npz() {
        return extension().equals(".npz");
    }

    /** The CSV separator: tab for .tsv, else comma. */
    char separator() {
        return extension().equals(".tsv") ? '\t' : ',';
    }

    /** The argument as the user gave it, for messages about the whole input. */
    @Override
    public String toString() {
        return select == null ? shown : shown + ":" + select;
    }

    /** Refuses a selection the file's format has no use for (a column of an .npy file). */
    void checkSelectable() {
        if (select != null && !csv() && !npz()) {
            throw new UserError(this + ": a selection after the colon chooses a column of a CSV file or an"
                    + " array of an .npz archive; " + shown + " is neither");
        }
    }

    /** Deletes the temporary copy of standard input. */
    @Override
    public void close() {
        if (stdin) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // deleted at exit
            }
        }
    }

    /**
     * An .npy array inside an .npz archive, open for reading; closing it closes the archive.
     *
     * @param name the array as messages name it ({@code arrays.npz:pred})
     * @param size the array's bytes (uncompressed), or -1 when the archive does not say
     */
    record Member(ZipFile zip, String name, InputStream in, long size) implements java.io.Closeable {
        @Override
        public void close() throws IOException {
            zip.close();
        }
    }

    /**
     * Opens the chosen member of an .npz archive: {@link #select} with or without {@code .npy};
     * with no selection the archive's only array. Errors name the arrays there are.
     */
    Member member() {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new UserError(shown + ": no such file");
        } catch (ZipException e) {
            throw new UserError(shown + ": not an .npz archive (not a zip file: " + e.getMessage() + ")");
        } catch (IOException e) {
            throw new UserError(shown + ": cannot read: " + e.getMessage());
        }
        try {
            List<String> names = new ArrayList<>();
            ZipEntry chosen = null;
            ZipEntry first = null;
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements();) {
                ZipEntry e = en.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                names.add(arrayName(e.getName()));
                first = first == null ? e : first;
                if (select != null && (e.getName().equals(select) || e.getName().equals(select + ".npy"))) {
                    chosen = e;
                }
            }
            if (select == null) {
                if (names.size() != 1) {
                    zip.close();
                    throw new UserError(shown + " holds " + (names.isEmpty() ? "no arrays" : names.size()
                            + " arrays (" + String.join(", ", names) + "): choose one, e.g. " + shown + ":"
                            + (names.isEmpty() ? "NAME" : names.get(0))));
                }
                chosen = first;
            }
            if (chosen == null) {
                zip.close();
                throw new UserError(shown + " has no array '" + TensorFiles.shown(select, 60) + "' (it holds: "
                        + (names.isEmpty() ? "nothing" : String.join(", ", names)) + ")");
            }
            return new Member(zip, shown + ":" + arrayName(chosen.getName()), zip.getInputStream(chosen),
                    chosen.getSize());
        } catch (ZipException e) {
            closeQuietly(zip);
            throw new UserError(shown + ": damaged .npz archive: " + e.getMessage());
        } catch (IOException e) {
            closeQuietly(zip);
            throw new UserError(shown + ": cannot read: " + e.getMessage());
        }
    }

    /** An archive member's name as numpy's {@code np.load} names the array: without {@code .npy}. */
    private static String arrayName(String entry) {
        return TensorFiles.shown(entry.endsWith(".npy") ? entry.substring(0, entry.length() - 4) : entry, 60);
    }

    private static void closeQuietly(ZipFile z) {
        try {
            z.close();
        } catch (IOException e) {
            // reporting the first error
        }
    }
}
