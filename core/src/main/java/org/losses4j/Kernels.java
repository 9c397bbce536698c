package org.losses4j;

import java.lang.reflect.InvocationTargetException;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How losses4j runs its hot loops: which kernel implementation is active, and how many
 * threads large inputs are split over.
 *
 * <p><b>Kernel path.</b> Decided once, when this class is initialised, between the scalar
 * kernels (always present, the reference) and the Vector API kernels
 * ({@code jdk.incubator.vector}), from the system property {@code losses4j.kernels} (or, when
 * it is not set, the environment variable {@code LOSSES4J_KERNELS}):
 * <ul>
 *   <li>{@code auto} (default): vector when the module {@code jdk.incubator.vector} is readable
 *       (the JVM was started with {@code --add-modules jdk.incubator.vector}) and either a width
 *       is chosen (below) or the CPU's preferred float vector is at least 256 bits wide; scalar
 *       otherwise, silently;</li>
 *   <li>{@code vector}: the same, but the reason for falling back is in {@link #description()};</li>
 *   <li>{@code scalar}: always scalar.</li>
 * </ul>
 *
 * <p><b>Vector width.</b> The system property {@code losses4j.vector.bits} (or the environment
 * variable {@code LOSSES4J_VECTOR_BITS}): {@code auto} (default: the CPU's preferred width, e.g.
 * 256 bits with AVX2, 512 with AVX-512, 128 with NEON), {@code 128}, {@code 256} or {@code 512}.
 * Any width runs on any CPU; one wider than the CPU's vectors is emulated by the JVM, correct but
 * slow. The kernels' accuracy bounds (see {@link FloatKernels}) hold at every width, and at a
 * fixed width the results do not depend on the thread count; across widths they agree within
 * those bounds, not bit for bit.
 *
 * <p>An unsupported value of either property, or a width chosen where the vector kernels cannot
 * be loaded, is a configuration error: {@link #floats()} and {@link #checkConfiguration()} then
 * throw a {@link LossException} ({@link ErrorKind#INVALID_OPTION}) that names it, rather than
 * silently running another path.
 *
 * <p>Both paths give results that agree within float32 rounding (see {@link FloatKernels}).
 * {@link #description()} says which one is active and why; {@code losses --version} and
 * {@code losses bench} print it.
 *
 * <p><b>Threads.</b> Large inputs are cut into chunks whose size depends only on the input's
 * size (never on the thread count); each chunk's partial sum is float64 and the partials are
 * added in chunk order, so results are bit-identical for 1 and N threads. The default is one
 * thread (the caller's); {@link #setThreads(int)} or the system property
 * {@code losses4j.threads} give more, run on a shared pool of daemon threads.
 */
public final class Kernels {
    /** Elements per chunk of the fixed split (a multiple of every vector length). */
    public static final int CHUNK = 1 << 16;

    /** The requested vector width in bits, 0 for the CPU's preferred one (read by the vector kernels). */
    static final int VECTOR_BITS;

    private static final FloatKernels FLOATS;
    private static final FloatKernels VECTOR;
    private static final String DESCRIPTION;
    /** Why the configuration is refused, or null. */
    private static final String CONFIG_ERROR;

    private static final Object LOCK = new Object();
    private static volatile int threads = initialThreads();
    /** The one pool of worker threads: grown in place, never replaced or shut down (see {@link #pool}). */
    private static ThreadPoolExecutor pool;

    static {
        String error = null;
        String want = setting("losses4j.kernels", "LOSSES4J_KERNELS");
        if (!want.equals("auto") && !want.equals("scalar") && !want.equals("vector")) {
            error = "losses4j.kernels = " + want + " is not a kernel path: expected auto, scalar or vector";
        }
        String bits = setting("losses4j.vector.bits", "LOSSES4J_VECTOR_BITS");
        int vb = 0;
        switch (bits) {
            case "auto":
                break;
            case "128":
            case "256":
            case "512":
                vb = Integer.parseInt(bits);
                break;
            default:
                error = "losses4j.vector.bits = " + bits + " is not a supported vector width: expected auto, 128, 256"
                        + " or 512";
        }
        VECTOR_BITS = error == null ? vb : 0;
        Object v = loadVector();
        VECTOR = v instanceof FloatKernels ? (FloatKernels) v : null;
        String why = VECTOR == null ? (String) v : null;
        if (error == null && VECTOR == null && VECTOR_BITS != 0 && !want.equals("scalar")) {
            error = "losses4j.vector.bits = " + bits + " needs the vector kernels, but they are unavailable: " + why;
        }
        CONFIG_ERROR = error;
        if (error != null || want.equals("scalar")) {
            FLOATS = ScalarFloatKernels.INSTANCE;
            DESCRIPTION = error != null ? "invalid configuration: " + error
                    : FLOATS.description() + " [losses4j.kernels=scalar]";
        } else if (VECTOR == null) {
            FLOATS = ScalarFloatKernels.INSTANCE;
            DESCRIPTION = FLOATS.description() + " [vector unavailable: " + why + "]";
        } else if (VECTOR_BITS == 0 && VECTOR.lanes() < 8) {
            FLOATS = ScalarFloatKernels.INSTANCE;
            DESCRIPTION = FLOATS.description() + " [the preferred float vector is only " + 32 * VECTOR.lanes()
                    + " bits wide; losses4j.vector.bits=" + 32 * VECTOR.lanes() + " uses it]";
        } else {
            FLOATS = VECTOR;
            DESCRIPTION = VECTOR.description();
        }
        System.getLogger("org.losses4j").log(System.Logger.Level.DEBUG, "losses4j kernels: " + DESCRIPTION);
    }

    private Kernels() {
    }

    /** A system property, else an environment variable, trimmed and lower case; "auto" when neither is set. */
    private static String setting(String property, String env) {
        String s = System.getProperty(property);
        if (s == null || s.isBlank()) {
            s = System.getenv(env);
        }
        return s == null || s.isBlank() ? "auto" : s.trim().toLowerCase(Locale.ROOT);
    }

    /** The vector kernels, or a string saying why they are unavailable. */
    private static Object loadVector() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return "module jdk.incubator.vector not readable; start java with --add-modules jdk.incubator.vector";
        }
        try {
            Class<?> c = Class.forName("org.losses4j.VectorFloatKernels");
            return c.getDeclaredConstructor().newInstance();
        } catch (InvocationTargetException e) {
            return String.valueOf(e.getCause().getMessage());
        } catch (ReflectiveOperationException | LinkageError e) {
            return "cannot load the vector kernels: " + e;
        }
    }

    /**
     * Throws a {@link LossException} ({@link ErrorKind#INVALID_OPTION}) naming the property when
     * {@code losses4j.kernels} or {@code losses4j.vector.bits} has an unsupported value (see the
     * class comment); returns otherwise.
     */
    public static void checkConfiguration() {
        if (CONFIG_ERROR != null) {
            throw new LossException(ErrorKind.INVALID_OPTION, CONFIG_ERROR);
        }
    }

    /** The active float32 kernels; throws when the configuration is invalid (see {@link #checkConfiguration()}). */
    public static FloatKernels floats() {
        checkConfiguration();
        return FLOATS;
    }

    /** The scalar kernels (for tests comparing the paths). */
    static FloatKernels scalar() {
        return ScalarFloatKernels.INSTANCE;
    }

    /** The vector kernels when they could be loaded (whatever losses4j.kernels says), else null. */
    static FloatKernels vector() {
        return VECTOR;
    }

    /** "vector" or "scalar": the active kernel path. */
    public static String path() {
        return FLOATS.path();
    }

    /** The active kernel path, its width, and why it was chosen when it is not the vector one. */
    public static String description() {
        return DESCRIPTION;
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
