package org.losses4j.tribuo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The README example trains a classifier that separates the blobs, the rare one included. */
class TribuoExampleTest {
    @Test
    void exampleTrains() {
        double[] r = TribuoExample.run();
        assertThat(r[0]).isGreaterThan(0.85);
        assertThat(r[1]).isGreaterThan(0.5);
    }
}
