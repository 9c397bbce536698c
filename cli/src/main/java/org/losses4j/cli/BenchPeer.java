package org.losses4j.cli;

/**
 * A second implementation that {@code losses bench --peer NAME} times beside losses4j, in the same
 * JVM and run, on the same workload data. Found with {@link java.util.ServiceLoader}: the CLI
 * ships none (it depends on nothing native); the bench module's {@code LibtorchPeer} (libtorch
 * 2.7 through DJL) is one, and the launcher puts the bench module on the class path when
 * {@code --peer} is given.
 */
public interface BenchPeer {
    /** The name {@code --peer} selects, e.g. {@code libtorch}. */
    String name();

    /** The peer's version, for the JSON lines (e.g. {@code 2.7.1}). */
    String version();

    /** The number of threads the peer's following steps use (its intra-op threads). */
    void setThreads(int threads);

    /**
     * The workload on this peer: the peer's own copies of the workload's inputs, made now (not
     * timed), and the step that computes value and gradient from them.
     *
     * @throws UnsupportedOperationException when the peer cannot compute this workload's loss
     */
    Step prepare(Workloads.Workload workload);

    /** One prepared workload on the peer. */
    interface Step extends AutoCloseable {
        /** Value and gradient once; returns the value. */
        double run();

        /** The gradient of the last {@link #run} with respect to the named input, as float32. */
        float[] gradient(String input);

        /** Frees the peer's copies of the data. */
        @Override
        void close();
    }
}
