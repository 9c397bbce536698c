package org.losses4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small text and file helpers shared by the commands. */
public final class Text {
    private Text() {
    }

    /** "1 experiment", "7 experiments". */
    public static String count(long n, String singular) {
        return count(n, singular, singular + "s");
    }

    /** "1 family", "8 families". */
    public static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }

    /**
     * Refuses (a user error) an output path that cannot be written: its folder missing or not a
     * folder or not writable, or the path itself a folder. Called before any work is done.
     */
    public static void checkWritable(Path out, String option) {
        Path abs = out.toAbsolutePath();
        Path parent = abs.getParent();
        if (Files.isDirectory(abs)) {
            throw new UserError(option + " " + out + ": is a directory");
        }
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UserError(option + " " + out + ": no such directory " + parent);
        }
        if (parent != null && !Files.isWritable(parent) && !Files.isWritable(abs)) {
            throw new UserError(option + " " + out + ": the directory " + parent + " is not writable");
        }
    }

    /** A failure writing an output file as a user error (one line). */
    public static UserError writeFailed(Path out, IOException e) {
        String why = e.getMessage() == null || e.getMessage().equals(out.toString()) ? e.getClass().getSimpleName()
                : e.getMessage();
        return new UserError("cannot write " + out + ": " + why);
    }
}
