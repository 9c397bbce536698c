package org.losses4j.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The README example runs and its training lowers the focal loss. */
class Dl4jExampleTest {
    @Test
    void exampleTrains() {
        double[] s = Dl4jExample.run();
        assertThat(s[1]).isLessThan(0.5 * s[0]);
    }
}
