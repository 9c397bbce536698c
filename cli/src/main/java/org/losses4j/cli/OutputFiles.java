package org.losses4j.cli;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Every file the CLI writes goes through here. {@link #check} validates an output path before
 * any input is opened (its directory exists and is writable, its extension is one the command
 * writes, it is not a directory, it is not one of the inputs, also through a symbolic or hard
 * link); {@link #open} writes to a temporary file {@code .NAME.RANDOM.tmp} in the same
 * directory that replaces the target (an atomic rename) only on {@link Sink#commit}, so a run
 * that fails leaves an existing file as it was and no partial file behind. An output that
 * exists and is not a regular file ({@code /dev/stdout}, a pipe) is written in place.
 */
public final class OutputFiles {
    /** The extensions a tensor output may have (the format follows the extension). */
    static final List<String> TENSOR_EXTENSIONS = List.of(".csv", ".tsv", ".txt", ".npy");

    private final Map<String, Path> inputs = new LinkedHashMap<>();
    private final Map<String, Path> outputs = new LinkedHashMap<>();

    /** Declares an input, named as the user gave it ({@code --input p.csv}); null is ignored. */
    OutputFiles input(String option, Path p) {
        if (p != null) {
            inputs.put(option + " " + p, p);
        }
        return this;
    }

    /**
     * Checks one output (null is ignored) against the rules above and the inputs and outputs
     * declared so far; {@code extensions} empty allows any name.
     */
    OutputFiles output(String option, Path p, List<String> extensions) {
        if (p == null) {
            return this;
        }
        String what = option + " " + p;
        String name = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!extensions.isEmpty() && extensions.stream().noneMatch(name::endsWith)) {
            throw new UserError(what + ": unknown file type (use " + String.join(", ", extensions) + ")");
        }
        Path dir = p.toAbsolutePath().getParent();
        if (dir != null && !Files.exists(dir)) {
            throw new UserError(what + ": no such directory " + dir);
        }
        if (dir != null && !Files.isDirectory(dir)) {
            throw new UserError(what + ": " + dir + " is not a directory");
        }
        if (Files.isDirectory(p)) {
            throw new UserError(what + " is a directory");
        }
        boolean exists = Files.exists(p);
        Path writeDir = exists ? target(p).toAbsolutePath().getParent() : dir;
        boolean regular = !exists || Files.isRegularFile(p);
        if (regular && writeDir != null && !Files.isWritable(writeDir)) {
            throw new UserError(what + ": directory " + writeDir + " is not writable");
        }
        if (exists && !Files.isWritable(p)) {
            throw new UserError(what + ": file is not writable");
        }
        List<Map.Entry<String, Path>> earlier = new ArrayList<>(inputs.entrySet());
        earlier.addAll(outputs.entrySet());
        for (Map.Entry<String, Path> e : earlier) {
            if (same(p, e.getValue())) {
                String role = inputs.containsKey(e.getKey()) ? "an input" : "another output";
                throw new UserError(what + " is the same file as " + e.getKey() + ": refusing to overwrite "
                        + role);
            }
        }
        outputs.put(what, p);
        return this;
    }

    private static boolean same(Path a, Path b) {
        if (!Files.exists(a) || !Files.exists(b)) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** The file a path names: a symbolic link's target, so that the link stays a link. */
    private static Path target(Path p) {
        try {
            return Files.isSymbolicLink(p) ? p.toRealPath() : p;
        } catch (IOException e) {
            return p;
        }
    }

    /** Opens an output checked by {@link #output}: a temporary file, moved into place on commit. */
    public static Sink open(Path p) {
        Path target = target(p);
        try {
            if (Files.exists(target) && !Files.isRegularFile(target)) {
                return new Sink(p, target, null, Files.newOutputStream(target));
            }
            Path dir = target.toAbsolutePath().getParent();
            Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(
                    ThreadLocalRandom.current().nextLong() >>> 1) + ".tmp");
            OutputStream o = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return new Sink(p, target, tmp, o);
        } catch (IOException e) {
            throw cannotWrite(p, e);
        }
    }

    static UserError cannotWrite(Path p, IOException e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException) {
            m = "no such directory";
        } else if (e instanceof java.nio.file.AccessDeniedException) {
            m = "permission denied";
        }
        return new UserError(p + ": cannot write: " + m);
    }

    /**
     * An output being written: {@link #stream()} buffers; {@link #commit} completes it (and
     * reports a write error, a full disk, as a user error); {@link #close} without a commit
     * removes the temporary file.
     */
    public static final class Sink implements Closeable {
        private final Path shown;
        private final Path target;
        private final Path tmp;
        private final OutputStream out;
        private boolean done;

        private Sink(Path shown, Path target, Path tmp, OutputStream raw) {
            this.shown = shown;
            this.target = target;
            this.tmp = tmp;
            this.out = new BufferedOutputStream(raw, 1 << 16);
        }

        OutputStream stream() {
            return out;
        }

        /** Writes bytes, a write error becoming a user error naming the file. */
        public void write(byte[] b) {
            try {
                out.write(b);
            } catch (IOException e) {
                throw cannotWrite(shown, e);
            }
        }

        public void commit() {
            try {
                out.close();
                done = true;
                if (tmp != null) {
                    if (Files.exists(target)) {
                        try {
                            Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
                        } catch (UnsupportedOperationException | IOException e) {
                            // permissions are kept where the file system has them
                        }
                    }
                    try {
                        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            } catch (IOException e) {
                throw cannotWrite(shown, e);
            } finally {
                if (tmp != null && Files.exists(tmp, LinkOption.NOFOLLOW_LINKS)) {
                    deleteQuietly(tmp);
                }
            }
        }

        @Override
        public void close() {
            if (done) {
                return;
            }
            done = true;
            try {
                out.close();
            } catch (IOException e) {
                // the run failed already; its error is the one reported
            }
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }

        private static void deleteQuietly(Path p) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // nothing more can be done
            }
        }
    }

    /**
     * Flushes what a command printed on standard output and fails (exit 2) if it could not be
     * written: a full disk ({@code > /dev/full}) or a closed pipe must not pass for success.
     */
    static void flushStdout(PrintWriter o) {
        o.flush();
        if (o.checkError() || System.out.checkError()) {
            throw new UserError("cannot write to standard output (disk full or pipe closed)");
        }
    }
}
