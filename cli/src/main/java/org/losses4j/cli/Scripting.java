package org.losses4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/**
 * The scripting options shared by describe, list and recommend: {@code --json} prints one JSON
 * document on stdout instead of text; {@code --quiet} prints only the essential result (names)
 * and no informational lines on stderr.
 */
final class Scripting {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--json", description = "print JSON on stdout (for scripts) instead of text")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "print only the result (names), nothing on stderr")
    boolean quiet;

    /** Prints a JSON document (a map, list, record...). */
    static void printJson(PrintWriter out, Object doc) {
        try {
            out.println(JSON.writeValueAsString(doc));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    /** An informational line on stderr, unless {@code --quiet} or {@code --json}. */
    void info(PrintWriter err, String line) {
        if (!quiet && !json) {
            err.println(line);
            err.flush();
        }
    }
}
