package org.losses4j.xgboost;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The README example runs and its robust fit ignores the outliers. */
class XgboostExampleTest {
    @Test
    void exampleRuns() throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            XgboostExample.main(new String[0]);
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(": (-?[0-9.]+) \\(clean target (-?[0-9.]+)\\)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        assertThat(Math.abs(Double.parseDouble(m.group(1)) - Double.parseDouble(m.group(2)))).isLessThan(0.5);
    }
}
