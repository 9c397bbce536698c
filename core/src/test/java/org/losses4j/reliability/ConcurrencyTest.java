package org.losses4j.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.losses4j.DType;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/**
 * One loss object shared by 8 threads, each making many calls with different inputs (float64
 * and float32, value-only and with gradients, into fresh and caller-provided gradient
 * buffers), gives bit for bit the results of the same calls made one after another. Every
 * catalog loss, with non-default options where it has them.
 */
class ConcurrencyTest {
    static final int THREADS = 8;
    static final int INPUTS = 24;
    static final int ROUNDS = 3;
    static ExecutorService pool;

    @BeforeAll
    static void start() {
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }

    /** What one call returned, copied into plain arrays. */
    record Outcome(long value, double[] terms, Map<String, double[]> grads, String error) {
        static Outcome of(LossResult r) {
            Map<String, double[]> g = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : r.grads().entrySet()) {
                g.put(e.getKey() + ":" + e.getValue().dtype().label(), e.getValue().toDoubleArray());
            }
            return new Outcome(Double.doubleToRawLongBits(r.value()), r.isUnreduced() ? r.terms().toDoubleArray() : null,
                    g, null);
        }

        boolean same(Outcome o) {
            if (value != o.value || !Arrays.equals(terms, o.terms) || !String.valueOf(error).equals(String.valueOf(o.error))
                    || !grads.keySet().equals(o.grads.keySet())) {
                return false;
            }
            for (Map.Entry<String, double[]> e : grads.entrySet()) {
                if (!Arrays.equals(e.getValue(), o.grads.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** One call kind: i selects the inputs; mode 0 compute, 1 value only, 2 compute into caller buffers. */
    static Outcome call(Loss loss, Inputs in, int mode) {
        switch (mode) {
            case 1:
                return Outcome.of(loss.value(in));
            case 2: {
                Inputs b = in;
                for (LossInfo.InputSpec s : loss.info().inputs()) {
                    Tensor t = in.get(s.name());
                    if (s.differentiable() && t != null && t.dtype() != DType.INT64) {
                        b = b.gradInto(s.name(), Tensor.zeros(t.dtype(), t.shape()));
                    }
                }
                return Outcome.of(loss.compute(b));
            }
            default:
                return Outcome.of(loss.compute(in));
        }
    }

    @TestFactory
    Stream<DynamicTest> sharedLossObjectGivesSequentialResults() {
        List<DynamicTest> out = new ArrayList<>();
        for (LossInfo info : Losses.catalog()) {
            out.add(DynamicTest.dynamicTest(info.name(), () -> check(info.name())));
        }
        return out.stream();
    }

    private static void check(String name) throws Exception {
        // non-default options: the last value of each option's pool (its default for fixed ones)
        Map<String, Object> opts = new LinkedHashMap<>(Fixtures.baseOptions(name));
        for (var s : Losses.info(name).options()) {
            List<Object> p = CatalogPropertiesTest.pool(name, s);
            Object v = p.get(p.size() - 1);
            if (!"<null>".equals(v)) {
                opts.put(s.name(), v);
            }
        }
        Loss loss = Losses.create(name, opts);
        List<Inputs> inputs = new ArrayList<>();
        Random r = new Random(name.hashCode());
        for (int i = 0; i < INPUTS; i++) {
            Inputs in = Fixtures.valid(name, opts, new Random(r.nextLong()), 1 + i % 5);
            inputs.add(i % 2 == 0 ? in : Fixtures.toFloat32(in));
        }
        List<Inputs> pristine = new ArrayList<>();
        for (Inputs in : inputs) {
            pristine.add(Fixtures.copy(in));
        }
        // sequential reference
        Outcome[][] expected = new Outcome[INPUTS][3];
        for (int i = 0; i < INPUTS; i++) {
            for (int mode = 0; mode < 3; mode++) {
                expected[i][mode] = call(loss, inputs.get(i), mode);
            }
        }
        // the same calls from 8 threads at once, each in its own shuffled order
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long seed = 1000L * t + name.length();
            futures.add(pool.submit(() -> {
                List<Integer> order = new ArrayList<>();
                for (int k = 0; k < INPUTS * 3; k++) {
                    order.add(k);
                }
                go.await();
                Random tr = new Random(seed);
                for (int round = 0; round < ROUNDS; round++) {
                    Collections.shuffle(order, tr);
                    for (int k : order) {
                        int i = k / 3;
                        int mode = k % 3;
                        Outcome o = call(loss, inputs.get(i), mode);
                        if (!o.same(expected[i][mode])) {
                            return "input " + i + " mode " + mode + ": value " + Double.longBitsToDouble(o.value())
                                    + " vs sequential " + Double.longBitsToDouble(expected[i][mode].value());
                        }
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<String> f : futures) {
            String err = f.get(120, TimeUnit.SECONDS);
            if (err != null) {
                fail(name + opts + ": concurrent result differs from sequential: " + err);
            }
        }
        // no call modified its inputs
        for (int i = 0; i < INPUTS; i++) {
            for (String k : inputs.get(i).tensors().keySet()) {
                assertTrue(Arrays.equals(pristine.get(i).get(k).toDoubleArray(), inputs.get(i).get(k).toDoubleArray()),
                        name + ": input " + i + " " + k + " was modified");
            }
        }
    }
}
