package org.losses4j.segmentation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.losses4j.Workspace;

/** The sort of the Lovász losses: decreasing, stable (ties in index order), NaN first, at sizes around its runs. */
class LovaszExtensionTest {
    @Test
    void sortsDecreasingAndStablyWithNaNFirst() {
        Random r = new Random(1);
        for (int p : new int[] {0, 1, 2, 31, 32, 33, 63, 64, 65, 100, 1000, 4099}) {
            double[] key = new double[p];
            for (int i = 0; i < p; i++) {
                // few distinct values (many ties), some NaN and signed zeros
                int k = r.nextInt(12);
                key[i] = k == 0 ? Double.NaN : k == 1 ? -0.0 : k == 2 ? 0.0 : (k - 6) * 0.5;
            }
            // the expected order: a stable sort of the indices by Double.compare, decreasing
            Integer[] want = new Integer[p];
            for (int i = 0; i < p; i++) {
                want[i] = i;
            }
            Arrays.sort(want, Comparator.comparing((Integer i) -> key[i], (a, b) -> Double.compare(b, a)));
            try (Workspace ws = Workspace.acquire()) {
                LovaszExtension.Scratch s = new LovaszExtension.Scratch(ws, p);
                LovaszExtension.sortDecreasing(key, p, s.order, s.tmp, s.keys, s.keysTmp);
                for (int i = 0; i < p; i++) {
                    assertThat(s.order[i]).as("p = %d, rank %d", p, i).isEqualTo(want[i]);
                }
            }
        }
    }
}
