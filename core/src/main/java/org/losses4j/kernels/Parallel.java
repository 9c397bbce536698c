package org.losses4j.kernels;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.losses4j.ErrorKind;
import org.losses4j.LossException;

/**
 * How large inputs are split over threads. They are cut into chunks whose size depends only on
 * the input's size (never on the thread count); each chunk's partial sum is float64 and the
 * partials are added in chunk order, so results are bit-identical for 1 and N threads. The
 * default is one thread (the caller's); {@link #setThreads(int)} or the system property
 * {@code losses4j.threads} give more, run on a shared pool of daemon threads. Which kernels run
 * on each chunk is {@link Kernels}' choice.
 */
public final class Parallel {
    /** Elements per chunk of the fixed split (a multiple of every vector length). */
    public static final int CHUNK = 1 << 16;

    private static final Object LOCK = new Object();
    private static volatile int threads = initialThreads();
    /** The one pool of worker threads: grown in place, never replaced or shut down (see {@link #pool}). */
    private static ThreadPoolExecutor pool;

    private Parallel() {
    }

    /** Threads used for large inputs (1 = the caller's thread only). */
    public static int threads() {
        return threads;
    }

    /**
     * Sets the number of threads large inputs are split over (default 1, or the system
     * property {@code losses4j.threads}). Results do not depend on it.
     */
    public static void setThreads(int n) {
        if (n < 1) {
            throw new LossException(ErrorKind.INVALID_OPTION, "threads = " + n + " must be at least 1");
        }
        threads = n;
    }

    private static int initialThreads() {
        String s = System.getProperty("losses4j.threads");
        if (s == null || s.isBlank()) {
            return 1;
        }
        try {
            return Math.max(1, Integer.parseInt(s.trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** One chunk's partial sum. */
    @FunctionalInterface
    public interface ChunkSum {
        double sum(int from, int to);
    }

    /** Work on one chunk; the chunk index says where to put its results. */
    @FunctionalInterface
    public interface ChunkTask {
        void run(int chunk, int from, int to);
    }

    /** The number of chunks of {@code chunk} elements covering {@code n}. */
    public static int chunks(int n, int chunk) {
        return n == 0 ? 0 : (n - 1) / chunk + 1;
    }

    /**
     * Σ over the chunks of {@value #CHUNK} elements of {@code f(from, to)}, added in chunk order
     * in float64: the same bits for any number of threads.
     */
    public static double sumChunks(int n, ChunkSum f) {
        return sumChunks(n, CHUNK, f);
    }

    /**
     * Σ over the chunks of {@code chunk} items (a size that depends on the problem only, e.g.
     * rows of {@value #CHUNK} elements) of {@code f(from, to)}, added in chunk order in float64:
     * the same bits for any number of threads. Allocates nothing on one thread.
     */
    public static double sumChunks(int n, int chunk, ChunkSum f) {
        int chunks = chunks(n, chunk);
        int t = Math.min(threads, chunks);
        if (t <= 1) {
            double s = 0;
            for (int c = 0; c < chunks; c++) {
                int from = c * chunk;
                s += f.sum(from, (int) Math.min(n, (long) from + chunk));
            }
            return s;
        }
        double[] part = new double[chunks];
        forChunks(n, chunk, (c, from, to) -> part[c] = f.sum(from, to));
        double s = 0;
        for (double p : part) {
            s += p;
        }
        return s;
    }

    /**
     * Runs {@code task} on every chunk of {@code chunk} elements of {@code [0, n)}, on up to
     * {@link #threads()} threads (the caller's included), and returns when all are done. The
     * chunk size must depend on the problem only; put each chunk's results at its index and
     * combine them in index order afterwards, so nothing depends on the thread count.
     */
    public static void forChunks(int n, int chunk, ChunkTask task) {
        int chunks = chunks(n, chunk);
        int t = Math.min(threads, chunks);
        if (t <= 1) {
            for (int c = 0; c < chunks; c++) {
                int from = c * chunk;
                task.run(c, from, (int) Math.min(n, (long) from + chunk));
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(chunks);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable work = () -> {
            for (int c; (c = next.getAndIncrement()) < chunks;) {
                try {
                    int from = c * chunk;
                    task.run(c, from, (int) Math.min(n, (long) from + chunk));
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }
        };
        ExecutorService p = pool(t - 1);
        for (int k = 0; k < t - 1; k++) {
            p.execute(work);
        }
        // The caller works too, so every chunk is claimed even if the pool is busy; a worker
        // that starts late finds none left. We wait only for chunks already claimed.
        work.run();
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException) {
            throw (RuntimeException) e;
        }
        if (e instanceof Error) {
            throw (Error) e;
        }
        if (e != null) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The shared pool, with at least {@code workers} threads. It is grown in place and never
     * shut down, so a call that took it keeps submitting to it while another thread raises or
     * lowers {@link #setThreads}; idle threads end after {@value #IDLE_SECONDS} s (they are
     * started again on demand), so a pool once grown large does not hold its threads.
     */
    private static ExecutorService pool(int workers) {
        synchronized (LOCK) {
            if (pool == null) {
                AtomicInteger id = new AtomicInteger();
                pool = new ThreadPoolExecutor(workers, workers, IDLE_SECONDS, TimeUnit.SECONDS,
                        new LinkedBlockingQueue<>(), r -> {
                            Thread th = new Thread(r, "losses4j-" + id.incrementAndGet());
                            th.setDaemon(true);
                            return th;
                        });
                pool.allowCoreThreadTimeOut(true);
            } else if (pool.getMaximumPoolSize() < workers) {
                pool.setMaximumPoolSize(workers); // first: the core size may not exceed it
                pool.setCorePoolSize(workers);
            }
            return pool;
        }
    }

    private static final long IDLE_SECONDS = 30;
}
