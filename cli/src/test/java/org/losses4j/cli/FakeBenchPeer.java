package org.losses4j.cli;

/** A {@link BenchPeer} for the tests of {@code bench --peer}: sums its input, no gradient. */
public final class FakeBenchPeer implements BenchPeer {
    static volatile int threads;

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public String version() {
        return "0.0";
    }

    @Override
    public void setThreads(int n) {
        threads = n;
    }

    @Override
    public Step prepare(Workloads.Workload w) {
        if (w.loss.equals("ctc")) {
            throw new UnsupportedOperationException("no ctc here");
        }
        float[] x = w.inputs.get(w.inputs.gradBuffers().keySet().iterator().next()).f32().clone();
        return new Step() {
            @Override
            public double run() {
                double s = 0;
                for (float v : x) {
                    s += v;
                }
                return s;
            }

            @Override
            public float[] gradient(String input) {
                return new float[x.length];
            }

            @Override
            public void close() {
            }
        };
    }
}
