package org.losses4j.probabilistic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.losses4j.ErrorKind;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossException;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/** Inputs outside the domain, mismatched shapes and bad options are refused, each for its own reason. */
class DivergenceRefusalTest {
    private static Loss loss(String name, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return Losses.create(name, m);
    }

    private static void refused(ThrowingCallable call, ErrorKind kind, String... messageParts) {
        assertThatThrownBy(call).isInstanceOf(LossException.class)
                .satisfies(e -> assertThat(((LossException) e).kind()).isEqualTo(kind))
                .hasMessageContainingAll(messageParts);
    }

    private static Inputs pair(double[] x, double[] t, int... shape) {
        return DivergenceData.pair(x, t, shape);
    }

    private static final double[] LOGQ = {Math.log(0.2), Math.log(0.8), Math.log(0.5), Math.log(0.5)};

    @Test
    void probabilitiesOutsideUnitIntervalAreRefused() {
        for (String name : new String[] {"kl_div", "reverse_kl_div", "js_div"}) {
            refused(() -> loss(name).compute(pair(LOGQ, new double[] {0.5, 1.5, 0.5, 0.5}, 2, 2)), ErrorKind.OUT_OF_DOMAIN,
                    "target[0, 1] = 1.5", "outside [0, 1]");
            refused(() -> loss(name).compute(pair(LOGQ, new double[] {0.5, 0.5, -1e-3, 1}, 2, 2)), ErrorKind.OUT_OF_DOMAIN,
                    "target[1, 0] = -0.001");
            refused(() -> loss(name).value(pair(LOGQ, new double[] {0.5, 0.5, Double.NEGATIVE_INFINITY, 1}, 2, 2)),
                    ErrorKind.OUT_OF_DOMAIN, "target[1, 0] = -Infinity");
            // a log-probability above 0 is a probability above 1
            refused(() -> loss(name).compute(pair(new double[] {-1, -1, 0.25, -1}, new double[] {0.5, 0.5, 0.5, 0.5}, 2, 2)),
                    ErrorKind.OUT_OF_DOMAIN, "input[1, 0] = 0.25", "log-probability");
            refused(() -> loss(name).compute(pair(new double[] {Double.POSITIVE_INFINITY, -1}, new double[] {0.5, 0.5}, 1, 2)),
                    ErrorKind.OUT_OF_DOMAIN, "input[0, 0] = Infinity");
        }
        for (String name : new String[] {"kl_div", "reverse_kl_div"}) {
            refused(() -> loss(name, "log_target", true).compute(pair(LOGQ, new double[] {-1, 0.1, -1, -1}, 2, 2)),
                    ErrorKind.OUT_OF_DOMAIN, "target[0, 1] = 0.1", "log-probability");
        }
    }

    @Test
    void boundaryValuesAndNaNAreAccepted() {
        // 0 and 1 are probabilities, 0 and −∞ log-probabilities; NaN propagates instead of being refused
        assertThat(loss("kl_div").value(pair(new double[] {0, Double.NEGATIVE_INFINITY}, new double[] {1, 0}, 1, 2))
                .value()).isEqualTo(0.0);
        assertThat(loss("js_div").value(pair(new double[] {Double.NaN, -1}, new double[] {0.5, 0.5}, 1, 2)).value())
                .isNaN();
        assertThat(loss("reverse_kl_div", "log_target", true)
                .value(pair(new double[] {-1, -1}, new double[] {Double.NaN, 0}, 1, 2)).value()).isNaN();
    }

    @Test
    void mismatchedShapesAreRefused() {
        for (String name : new String[] {"kl_div", "reverse_kl_div", "js_div"}) {
            refused(() -> loss(name).compute(Inputs.of(Tensor.of(LOGQ, 2, 2), Tensor.of(new double[] {1, 0, 1, 0}, 4))),
                    ErrorKind.SHAPE_MISMATCH, "target shape [4] != input shape [2, 2]");
            refused(() -> loss(name).compute(Inputs.of(Tensor.scalar(-1), Tensor.scalar(0.5))), ErrorKind.SHAPE_MISMATCH,
                    "batch dimension");
        }
    }

    @Test
    void emptyBatchesAreRefusedForMeansButSumToZero() {
        Inputs empty = pair(new double[0], new double[0], 0, 3);
        for (String name : new String[] {"kl_div", "reverse_kl_div", "js_div"}) {
            refused(() -> loss(name).value(empty), ErrorKind.EMPTY_INPUT, "input [0, 3] is empty");
            refused(() -> loss(name, "reduction", "mean").value(empty), ErrorKind.EMPTY_INPUT, "empty");
            assertThat(loss(name, "reduction", "sum").value(empty).value()).isEqualTo(0.0);
        }
        refused(() -> loss("gaussian_kl").value(Inputs.of("mu", Tensor.of(new double[0], 0, 2))
                .with("logvar", Tensor.of(new double[0], 0, 2))), ErrorKind.EMPTY_INPUT, "mu");
        refused(() -> loss("perplexity").value(Inputs.of(Tensor.of(new double[0], 0, 3), Tensor.labels())),
                ErrorKind.EMPTY_INPUT, "input");
    }

    @Test
    void badOptionsAreRefused() {
        refused(() -> loss("kl_div", "reduction", "avg"), ErrorKind.INVALID_OPTION, "reduction", "batchmean");
        refused(() -> loss("js_div", "log_target", true), ErrorKind.UNKNOWN_OPTION, "log_target");
        refused(() -> loss("gaussian_kl", "reduction", "batchmean"), ErrorKind.INVALID_OPTION, "one of mean, sum, none");
        refused(() -> loss("perplexity", "reduction", "sum"), ErrorKind.UNKNOWN_OPTION, "reduction");
        refused(() -> loss("perplexity", "ignore_index", 1.5), ErrorKind.INVALID_OPTION, "integer");
        refused(() -> loss("vae", "reconstruction", "l1"), ErrorKind.INVALID_OPTION, "bce, bce_with_logits, mse");
        refused(() -> loss("vae", "beta", -0.5), ErrorKind.INVALID_OPTION, "beta", "in [0, 1e15]");
    }

    @Test
    void wrongDtypesAndMissingInputsAreRefused() {
        refused(() -> loss("kl_div").compute(Inputs.of(Tensor.of(LOGQ, 2, 2), Tensor.ofLabels(new long[] {0, 1, 0, 1}, 2, 2))),
                ErrorKind.INVALID_DTYPE, "target");
        refused(() -> loss("perplexity").compute(Inputs.of(Tensor.of(LOGQ, 2, 2), Tensor.vector(new double[] {0, 1}))),
                ErrorKind.INVALID_DTYPE, "target must be int64");
        refused(() -> loss("vae").compute(Inputs.of("recon", Tensor.of(new double[] {0.5}, 1, 1))
                .with("target", Tensor.of(new double[] {0.5}, 1, 1)).with("mu", Tensor.of(new double[] {0}, 1, 1))),
                ErrorKind.MISSING_INPUT, "logvar");
    }

    @Test
    void perplexityLabelsAndShapesAreChecked() {
        Tensor x = Tensor.of(new double[] {-1, -1, -1, -1, -1, -1}, 2, 3);
        refused(() -> loss("perplexity").compute(Inputs.of(x, Tensor.labels(0, 3))), ErrorKind.LABEL_OUT_OF_RANGE,
                "target[1] = 3 is outside [0, 3) classes");
        refused(() -> loss("perplexity").compute(Inputs.of(x, Tensor.labels(-1, 0))), ErrorKind.LABEL_OUT_OF_RANGE,
                "target[0] = -1");
        assertThat(loss("perplexity", "ignore_index", -1).value(Inputs.of(x, Tensor.labels(-1, 0))).value())
                .isCloseTo(Math.E, org.assertj.core.api.Assertions.within(1e-15));
        refused(() -> loss("perplexity").compute(Inputs.of(x, Tensor.labels(0, 1, 2))), ErrorKind.SHAPE_MISMATCH,
                "target shape [3] must be [2]");
        Tensor x3 = Tensor.of(new double[12], 2, 3, 2);
        refused(() -> loss("perplexity").compute(Inputs.of(x3, Tensor.ofLabels(new long[6], 2, 3))),
                ErrorKind.SHAPE_MISMATCH, "target shape [2, 3] must be [2, 2]");
        refused(() -> loss("perplexity").compute(Inputs.of(Tensor.of(new double[3], 3), Tensor.labels(0))),
                ErrorKind.SHAPE_MISMATCH, "input must have rank 2 or 3");
        refused(() -> loss("perplexity").compute(Inputs.of(Tensor.of(new double[] {-1, 0.5, -1, -1}, 2, 2),
                Tensor.labels(0, 0))), ErrorKind.OUT_OF_DOMAIN, "input[0, 1] = 0.5", "log-probability");
    }

    @Test
    void gaussianKlShapesAreChecked() {
        refused(() -> loss("gaussian_kl").compute(Inputs.of("mu", Tensor.of(new double[4], 2, 2))
                .with("logvar", Tensor.of(new double[4], 4))), ErrorKind.SHAPE_MISMATCH, "logvar shape [4] != mu shape [2, 2]");
        refused(() -> loss("gaussian_kl").compute(Inputs.of("mu", Tensor.of(new double[4], 4))
                .with("logvar", Tensor.of(new double[4], 4))), ErrorKind.SHAPE_MISMATCH, "mu must have rank 2");
    }

    @Test
    void vaeDomainsAndShapesAreChecked() {
        Tensor mu = Tensor.of(new double[2], 2, 1);
        Inputs base = Inputs.of("mu", mu).with("logvar", mu);
        Tensor ok = Tensor.of(new double[] {0.5, 0.5, 0.5, 0.5}, 2, 2);
        Tensor big = Tensor.of(new double[] {0.5, 0.5, 0.5, 1.25}, 2, 2);
        Tensor neg = Tensor.of(new double[] {0.5, -0.1, 0.5, 0.5}, 2, 2);
        // bce: recon and target must be probabilities
        refused(() -> loss("vae").compute(base.with("recon", big).with("target", ok)), ErrorKind.OUT_OF_DOMAIN,
                "recon[1, 1] = 1.25 is outside [0, 1]");
        refused(() -> loss("vae").compute(base.with("recon", ok).with("target", big)), ErrorKind.OUT_OF_DOMAIN,
                "target[1, 1] = 1.25");
        // bce_with_logits: any logits, target in [0, 1]
        assertThat(loss("vae", "reconstruction", "bce_with_logits").value(base.with("recon", big).with("target", ok))
                .value()).isFinite();
        refused(() -> loss("vae", "reconstruction", "bce_with_logits").compute(base.with("recon", ok).with("target", neg)),
                ErrorKind.OUT_OF_DOMAIN, "target[0, 1] = -0.1");
        // mse: any values
        assertThat(loss("vae", "reconstruction", "mse").value(base.with("recon", big).with("target", neg)).value())
                .isFinite();
        // shapes
        refused(() -> loss("vae").compute(base.with("recon", ok).with("target", Tensor.of(new double[] {0.5, 0.5}, 2, 1))),
                ErrorKind.SHAPE_MISMATCH, "target shape [2, 1] != recon shape [2, 2]");
        refused(() -> loss("vae").compute(Inputs.of("mu", Tensor.of(new double[3], 3, 1)).with("logvar",
                Tensor.of(new double[3], 3, 1)).with("recon", ok).with("target", ok)), ErrorKind.SHAPE_MISMATCH,
                "mu shape [3, 1] has batch size 3 but recon shape [2, 2] has 2");
        refused(() -> loss("vae").compute(Inputs.of("mu", mu).with("logvar", Tensor.of(new double[4], 2, 2))
                .with("recon", ok).with("target", ok)), ErrorKind.SHAPE_MISMATCH, "logvar shape [2, 2] != mu shape [2, 1]");
    }
}
