package org.losses4j.djl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The README example runs under EasyTrain.fit: the loss falls and the blobs are separated. */
class DjlExampleTest {
    @Test
    void exampleTrains() throws Exception {
        double[] r = DjlExample.run();
        assertThat(r[1]).isLessThan(0.8 * r[0]);
        assertThat(r[2]).isGreaterThan(0.85);
    }
}
