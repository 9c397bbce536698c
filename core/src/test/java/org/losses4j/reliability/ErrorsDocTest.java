package org.losses4j.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.losses4j.ErrorKind;

/** docs/errors.md documents every {@link ErrorKind}: a section per kind, and the CLI exit codes. */
class ErrorsDocTest {
    static Path doc() {
        Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        return base.resolve("../docs/errors.md").normalize();
    }

    @Test
    void everyErrorKindHasASection() throws IOException {
        Path p = doc();
        assertTrue(Files.isRegularFile(p), p + " is missing");
        String text = Files.readString(p, StandardCharsets.UTF_8);
        for (ErrorKind k : ErrorKind.values()) {
            assertTrue(text.contains("## `" + k.label() + "`"), "docs/errors.md has no section for " + k.label());
            int at = text.indexOf("## `" + k.label() + "`");
            int next = text.indexOf("\n## ", at + 1);
            String section = text.substring(at, next < 0 ? text.length() : next);
            assertTrue(section.contains("- `"), "docs/errors.md: no example message for " + k.label());
        }
        assertTrue(text.contains("| 2 |") && text.contains("| 1 |") && text.contains("| 0 |"),
                "docs/errors.md gives the CLI exit codes");
        assertTrue(text.contains("invalid_argument"), "docs/errors.md names the conformance category");
    }
}
