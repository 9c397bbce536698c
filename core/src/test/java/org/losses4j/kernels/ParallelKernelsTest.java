package org.losses4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossException;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/** The fixed, size-based split: results bit-identical for 1, 2 and 3 threads. */
class ParallelKernelsTest {
    @AfterEach
    void oneThreadAgain() {
        Parallel.setThreads(1);
    }

    @Test
    void valueAndGradientBitIdenticalFor1To3Threads() {
        int n = 5 * Parallel.CHUNK + 4321;
        SplittableRandom r = new SplittableRandom(7);
        float[] x = new float[n];
        float[] yGauss = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextGaussian() * 2);
            yGauss[i] = (float) r.nextGaussian();
        }
        float[] yb = new float[n];
        for (int i = 0; i < n; i++) {
            yb[i] = r.nextInt(3) == 0 ? (float) r.nextDouble() : r.nextInt(2);
        }
        for (String name : new String[] {"mse", "huber", "bce_with_logits"}) {
            float[] y = name.startsWith("bce") ? yb : yGauss;
            for (String red : new String[] {"mean", "sum"}) {
                Loss loss = Losses.create(name, Map.of("reduction", red));
                long bits = 0;
                float[] g1 = null;
                for (int t = 1; t <= 3; t++) {
                    Parallel.setThreads(t);
                    float[] g = new float[n];
                    double v = loss.compute(Inputs.of(Tensor.vector(x), Tensor.vector(y))
                            .gradInto("input", Tensor.vector(g))).value();
                    double vo = loss.value(Inputs.of(Tensor.vector(x), Tensor.vector(y))).value();
                    String at = name + " " + red + " threads=" + t;
                    assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(vo), at + " value-only");
                    if (t == 1) {
                        bits = Double.doubleToRawLongBits(v);
                        g1 = g;
                    } else {
                        assertEquals(bits, Double.doubleToRawLongBits(v), at + ": value differs from 1 thread");
                        assertArrayEquals(g1, g, at + ": gradient differs from 1 thread");
                    }
                }
            }
        }
    }

    @Test
    void crossEntropyRowsBitIdenticalFor1To3Threads() {
        int rows = 700;
        int c = 1000; // rows of 65 per chunk: 11 chunks
        SplittableRandom r = new SplittableRandom(11);
        float[] x = new float[rows * c];
        long[] y = new long[rows];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 3);
        }
        for (int i = 0; i < rows; i++) {
            y[i] = i % 17 == 0 ? -100 : r.nextInt(c);
        }
        for (double eps : new double[] {0, 0.1}) {
            Loss loss = Losses.create("cross_entropy", Map.of("label_smoothing", eps));
            long bits = 0;
            float[] g1 = null;
            for (int t = 1; t <= 3; t++) {
                Parallel.setThreads(t);
                float[] g = new float[x.length];
                Inputs in = Inputs.of(Tensor.of(x, rows, c), Tensor.ofLabels(y, rows));
                double v = loss.compute(Inputs.of(Tensor.of(x, rows, c), Tensor.ofLabels(y, rows))
                        .gradInto("input", Tensor.of(g, rows, c))).value();
                double vo = loss.value(in).value();
                String at = "cross_entropy eps=" + eps + " threads=" + t;
                assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(vo), at + " value-only");
                if (t == 1) {
                    bits = Double.doubleToRawLongBits(v);
                    g1 = g;
                } else {
                    assertEquals(bits, Double.doubleToRawLongBits(v), at + ": value differs from 1 thread");
                    assertArrayEquals(g1, g, at + ": gradient differs from 1 thread");
                }
            }
        }
    }

    @Test
    void everyChunkRunsExactlyOnceAndTheCombineIsInChunkOrder() {
        Parallel.setThreads(3);
        int n = 10 * Parallel.CHUNK + 1;
        AtomicIntegerArray seen = new AtomicIntegerArray(Parallel.chunks(n, Parallel.CHUNK));
        Set<String> threadNames = ConcurrentHashMap.newKeySet();
        // partial sums chosen so that the addition order matters in float64
        double s = Parallel.sumChunks(n, (from, to) -> {
            int c = from / Parallel.CHUNK;
            seen.incrementAndGet(c);
            threadNames.add(Thread.currentThread().getName());
            assertEquals(Math.min(n, from + Parallel.CHUNK), to);
            return c % 2 == 0 ? 1e16 : 1.0 + c;
        });
        double want = 0;
        for (int c = 0; c < seen.length(); c++) {
            assertEquals(1, seen.get(c), "chunk " + c);
            want += c % 2 == 0 ? 1e16 : 1.0 + c;
        }
        assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(s));
        assertTrue(threadNames.size() >= 1);
    }

    @Test
    void aFailingChunkFailsTheCallAndThreadsMustBePositive() {
        Parallel.setThreads(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Parallel.forChunks(8 * Parallel.CHUNK, Parallel.CHUNK, (c, from, to) -> {
                    if (c == 5) {
                        throw new IllegalArgumentException("chunk 5");
                    }
                }));
        assertEquals("chunk 5", e.getMessage());
        LossException bad = assertThrows(LossException.class, () -> Parallel.setThreads(0));
        assertTrue(bad.getMessage().contains("threads = 0"), bad.getMessage());
    }

    /**
     * setThreads while other threads compute: every call completes with its exact result (a pool
     * that a running call submits to must not be shut down under it: that threw
     * RejectedExecutionException), for chunked sums and for a loss.
     */
    @Test
    void setThreadsWhileOtherThreadsComputeLosesNoCall() throws Exception {
        int n = 64 * Parallel.CHUNK;
        int m = 3 * Parallel.CHUNK + 17;
        float[] x = new float[m];
        float[] y = new float[m];
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < m; i++) {
            x[i] = (float) r.nextGaussian();
            y[i] = (float) r.nextGaussian();
        }
        Loss mse = Losses.create("mse");
        Inputs in = Inputs.of(Tensor.vector(x), Tensor.vector(y));
        Parallel.setThreads(1);
        long want = Double.doubleToRawLongBits(mse.compute(in).value());
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        Thread[] workers = new Thread[4];
        for (int w = 0; w < workers.length; w++) {
            boolean loss = w == 0;
            workers[w] = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        if (loss) {
                            assertEquals(want, Double.doubleToRawLongBits(mse.compute(in).value()), "mse value");
                        } else {
                            // each chunk's partial is its length: the sum is n exactly
                            assertEquals(n, Parallel.sumChunks(n, (from, to) -> to - from), 0.0, "sum over chunks");
                        }
                        calls.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            workers[w].start();
        }
        try {
            for (int k = 2; k <= 48 && failure.get() == null; k++) {
                Parallel.setThreads(k);
                Thread.sleep(2);
                Parallel.setThreads(1 + k % 3);
                Thread.sleep(1);
            }
        } finally {
            stop.set(true);
            for (Thread t : workers) {
                t.join(60_000);
            }
        }
        if (failure.get() != null) {
            throw new AssertionError("a call failed while setThreads ran: " + failure.get(), failure.get());
        }
        assertTrue(calls.get() > 0);
    }
}
