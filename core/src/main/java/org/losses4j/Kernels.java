package org.losses4j;

import org.losses4j.kernels.Parallel;

/**
 * Transitional: the kernel path and the thread pool moved to {@link org.losses4j.kernels.Kernels}
 * and {@link Parallel}. Only {@code probabilistic/Ctc.java} still uses this name (it is being
 * reworked apart); once it imports {@link Parallel}, delete this class.
 */
public final class Kernels {
    private Kernels() {
    }

    /** {@link Parallel#threads()}. */
    public static int threads() {
        return Parallel.threads();
    }

    /** {@link Parallel#forChunks}. */
    public static void forChunks(int n, int chunk, Parallel.ChunkTask task) {
        Parallel.forChunks(n, chunk, task);
    }
}
