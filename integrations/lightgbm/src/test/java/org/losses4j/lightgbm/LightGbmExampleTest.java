package org.losses4j.lightgbm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The README example runs, and the Huber booster fits the clean signal despite the outliers. */
class LightGbmExampleTest {
    @Test
    void exampleTrains() {
        double[] r = LightGbmExample.run();
        assertThat(r[1]).isLessThan(0.3 * r[0]);
    }
}
