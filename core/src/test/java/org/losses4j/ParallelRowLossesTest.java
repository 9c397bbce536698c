package org.losses4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.losses4j.kernels.Parallel;

/**
 * Triplet (rows) and CTC (samples) split their work into chunks fixed by the problem size:
 * value and gradients bit-identical for 1, 2 and 3 threads, and the same as a loop over
 * the samples one at a time (each sample alone in its own call, then summed in order).
 */
class ParallelRowLossesTest {
    @AfterEach
    void oneThreadAgain() {
        Parallel.setThreads(1);
    }

    private static float[] gauss(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    @Test
    void tripletBitIdenticalFor1To3Threads() {
        int rows = 1500;
        int d = 100; // 655 rows per chunk: 3 chunks, the last one short
        SplittableRandom r = new SplittableRandom(5);
        float[] a = gauss(r, rows * d);
        float[] p = gauss(r, rows * d);
        float[] n = gauss(r, rows * d);
        for (String distance : new String[] {"euclidean", "cosine"}) {
            for (String red : new String[] {"mean", "none"}) {
                Loss loss = Losses.create("triplet", Map.of("distance", distance, "reduction", red, "swap", true));
                LossResult first = null;
                for (int t = 1; t <= 3; t++) {
                    Parallel.setThreads(t);
                    Inputs in = Inputs.of("anchor", Tensor.of(a, rows, d)).with("positive", Tensor.of(p, rows, d))
                            .with("negative", Tensor.of(n, rows, d));
                    LossResult res = loss.compute(in);
                    String at = "triplet " + distance + " " + red + " threads=" + t;
                    if (first == null) {
                        first = res;
                        continue;
                    }
                    assertEquals(Double.doubleToRawLongBits(first.value()), Double.doubleToRawLongBits(res.value()), at);
                    for (String g : new String[] {"anchor", "positive", "negative"}) {
                        assertArrayEquals(first.grad(g).f32(), res.grad(g).f32(), at + " grad " + g);
                    }
                    if (red.equals("none")) {
                        assertArrayEquals(first.terms().f32(), res.terms().f32(), at + " terms");
                    }
                }
            }
        }
    }

    @Test
    void ctcBitIdenticalFor1To3ThreadsAndEqualToOneSampleAtATime() {
        int t = 60;
        int batch = 19; // 3 samples per chunk: 7 chunks, the last one short
        int c = 7;
        int s = 12;
        SplittableRandom r = new SplittableRandom(9);
        for (boolean f32 : new boolean[] {true, false}) {
            double[] lp = new double[t * batch * c];
            for (int i = 0; i < t * batch; i++) {
                double sum = 0;
                for (int j = 0; j < c; j++) {
                    lp[i * c + j] = r.nextGaussian() * 2;
                    sum += Math.exp(lp[i * c + j]);
                }
                for (int j = 0; j < c; j++) {
                    lp[i * c + j] -= Math.log(sum);
                }
            }
            long[] targets = new long[batch * s];
            for (int i = 0; i < targets.length; i++) {
                targets[i] = 1 + r.nextInt(c - 1);
            }
            long[] inLen = new long[batch];
            long[] tgLen = new long[batch];
            for (int i = 0; i < batch; i++) {
                inLen[i] = t - r.nextInt(20);
                tgLen[i] = r.nextInt(s + 1);
            }
            Tensor lpT = f32 ? Tensor.of(toFloat(lp), t, batch, c) : Tensor.of(lp, t, batch, c);
            Inputs in = Inputs.of("log_probs", lpT).with("targets", Tensor.ofLabels(targets, batch, s))
                    .with("input_lengths", Tensor.ofLabels(inLen, batch))
                    .with("target_lengths", Tensor.ofLabels(tgLen, batch));
            for (String red : new String[] {"mean", "sum"}) {
                Loss loss = Losses.create("ctc", Map.of("reduction", red));
                LossResult first = null;
                for (int th = 1; th <= 3; th++) {
                    Parallel.setThreads(th);
                    LossResult res = loss.compute(in);
                    String at = "ctc f32=" + f32 + " " + red + " threads=" + th;
                    if (first == null) {
                        first = res;
                        continue;
                    }
                    assertEquals(Double.doubleToRawLongBits(first.value()), Double.doubleToRawLongBits(res.value()), at);
                    assertEquals(0, compare(first.grad("log_probs"), res.grad("log_probs")), at + " gradient");
                }
            }
            // the terms of reduction none equal the per-sample losses computed alone
            Parallel.setThreads(2);
            Tensor terms = Losses.create("ctc", Map.of("reduction", "none")).compute(in).terms();
            for (int k = 0; k < batch; k++) {
                double[] one = new double[t * c];
                for (int tt = 0; tt < t; tt++) {
                    System.arraycopy(lp, (tt * batch + k) * c, one, tt * c, c);
                }
                long[] tg = java.util.Arrays.copyOfRange(targets, k * s, (k + 1) * s);
                Tensor oneT = f32 ? Tensor.of(toFloat(one), t, 1, c) : Tensor.of(one, t, 1, c);
                double alone = Losses.create("ctc", Map.of("reduction", "sum")).compute(Inputs.of("log_probs", oneT)
                        .with("targets", Tensor.ofLabels(tg, 1, s))
                        .with("input_lengths", Tensor.ofLabels(new long[] {inLen[k]}, 1))
                        .with("target_lengths", Tensor.ofLabels(new long[] {tgLen[k]}, 1))).value();
                assertEquals(alone, terms.getDouble(k), Math.abs(alone) * 1e-6, "sample " + k);
            }
        }
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    private static int compare(Tensor a, Tensor b) {
        for (int i = 0; i < a.size(); i++) {
            if (Double.doubleToRawLongBits(a.getDouble(i)) != Double.doubleToRawLongBits(b.getDouble(i))) {
                return 1;
            }
        }
        return 0;
    }
}
