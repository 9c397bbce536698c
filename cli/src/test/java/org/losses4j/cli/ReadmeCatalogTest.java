package org.losses4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's catalog table is the output of {@code ./losses list --markdown}, so a new loss
 * appears there by regenerating it, and the table can never list a loss the registry lacks or
 * describe one differently.
 */
class ReadmeCatalogTest {
    @Test
    void readmeCatalogTableIsTheGeneratedOne() throws Exception {
        CliTest.Run r = CliTest.run("list", "--markdown");
        assertThat(r.code()).as(r.err()).isZero();
        String table = r.out().strip();
        String readme = Files.readString(Path.of("../README.md"));
        int start = readme.indexOf("| loss | family | definition | options (default) |");
        assertThat(start).as("README has the catalog table").isPositive();
        int end = readme.indexOf("\n\n", start);
        String inReadme = (end < 0 ? readme.substring(start) : readme.substring(start, end)).strip();
        assertThat(inReadme).as("README's catalog table is out of date: replace it with the output of"
                + " ./losses list --markdown").isEqualTo(table);
    }
}
