package org.losses4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    @Test
    void theLineShowsFractionRowsRateAndEta() {
        String s = ProgressBar.line("eval", 0.25, 2_500_000, 2.0);
        assertThat(s).contains("eval [======>").contains(" 25%").contains("2,500,000 rows")
                .contains("1.3M rows/s").endsWith("ETA 0:06");
        assertThat(ProgressBar.line("eval", 1, 10, 1)).contains("[========================]").endsWith("ETA -:--");
        assertThat(ProgressBar.line("eval", Double.NaN, 0, 0)).contains("  0%").contains("0 rows/s");
        assertThat(ProgressBar.clock(3725)).isEqualTo("1:02:05");
    }

    @Test
    void nothingIsDrawnWhenStderrIsNotATerminal() throws Exception {
        StringWriter w = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(w), "eval", false);
        Thread.sleep(1100);
        bar.update(0.5, 100);
        bar.done();
        assertThat(w.toString()).isEmpty();
    }

    @Test
    void onATerminalTheBarIsRedrawnInPlaceAndCleared() throws Exception {
        StringWriter w = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(w), "eval", true);
        bar.update(0.1, 10);
        assertThat(w.toString()).as("nothing in the first second").isEmpty();
        Thread.sleep(1100);
        bar.update(0.5, 100);
        assertThat(w.toString()).startsWith("\r  eval [").contains("100 rows").doesNotContain("\n");
        bar.done();
        assertThat(w.toString()).endsWith("\r").doesNotContain("\n");
    }

    @Test
    void theLauncherPropertyDecides() {
        String old = System.getProperty(ProgressBar.TTY_PROPERTY);
        try {
            System.setProperty(ProgressBar.TTY_PROPERTY, "false");
            assertThat(ProgressBar.stderrIsTerminal()).isFalse();
            System.setProperty(ProgressBar.TTY_PROPERTY, "true");
            assertThat(ProgressBar.stderrIsTerminal()).isTrue();
        } finally {
            if (old == null) {
                System.clearProperty(ProgressBar.TTY_PROPERTY);
            } else {
                System.setProperty(ProgressBar.TTY_PROPERTY, old);
            }
        }
    }
}
