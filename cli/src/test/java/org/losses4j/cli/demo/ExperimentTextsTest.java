package org.losses4j.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every demo experiment has its title, quoted claim and setup in experiments.properties, read as UTF-8. */
class ExperimentTextsTest {
    @Test
    void everyExperimentHasItsTexts() {
        assertThat(DemoCommand.experiments()).hasSize(7);
        for (Experiment e : DemoCommand.experiments()) {
            assertThat(e.title()).as(e.getClass().getSimpleName()).isNotBlank().doesNotContain("\\");
            assertThat(e.claim()).as(e.getClass().getSimpleName()).contains("\"");
            assertThat(e.setup()).as(e.getClass().getSimpleName()).startsWith("Data: ").contains("Optimiser: ");
        }
        assertThat(new ImbalancedBinary().title()).contains("α = 0.25");
    }
}
