package org.losses4j.probabilistic;

import java.util.List;
import org.losses4j.LossInfo;

/** kl_div, reverse_kl_div, js_div, perplexity, gaussian_kl, vae. */
final class DivergenceLosses {
    private DivergenceLosses() {
    }

    static List<LossInfo> all() {
        return List.of(KlDiv.INFO, ReverseKlDiv.INFO, JsDiv.INFO, Perplexity.INFO, GaussianKl.INFO, Vae.INFO);
    }
}
