package org.losses4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import org.losses4j.ErrorKind;
import org.losses4j.Loss;
import org.losses4j.LossException;
import org.losses4j.kernels.Kernels;
import org.losses4j.kernels.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code losses bench}: times value + gradient (float32, caller-provided gradient buffers) on
 * the standard workloads of WORKLOADS.md after a warm-up, and a streaming triad for the
 * machine's memory bandwidth. With {@code --json}, one line per workload in the shape of
 * torch_baseline.py ({@code workload, threads, median_ms, min_ms, elements}) plus
 * {@code bytes}, {@code gb_per_s}, and for memory-bound workloads {@code triad_gb_per_s} (the
 * best of a triad run interleaved with that workload's repetitions), {@code limit_ms} (bytes /
 * that bandwidth) and {@code fraction_of_limit} (limit_ms / median_ms: 1 = at the limit).
 *
 * <p>With {@code --peer NAME} (a {@link BenchPeer} on the class path, e.g. {@code libtorch}),
 * each workload is also computed by the peer on its own copies of the same data, the two and the
 * triad timed in alternating rounds; the JSON lines then carry {@code impl} ({@code losses4j} or
 * the peer's name, with its {@code version}), and the losses4j line also {@code peer},
 * {@code peer_median_ms} and {@code ratio} (losses4j median / peer median: 0.5 = twice as fast).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Time value + gradient on the standard workloads (float32, fixed seed) and the memory "
            + "bandwidth (triad c = a + s*b), and report the active kernel path.",
            "Compare with: /usr/bin/python3 bench/torch_baseline.py --threads N (same JSON shape with --json)."})
final class BenchCommand implements Callable<Integer> {
    /** Triad arrays: 3 × 128 MiB of float, far beyond any L3. */
    static final int TRIAD_N = 1 << 25;

    @Option(names = "--workload", paramLabel = "NAME[,NAME...]",
            description = "only these workloads (default: all): ${COMPLETION-CANDIDATES}",
            completionCandidates = Names.class)
    String workload;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--reps", paramLabel = "R", defaultValue = "11",
            description = "timed repetitions per workload after warm-up (default: ${DEFAULT-VALUE})")
    int reps;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "3.0",
            description = "minimum warm-up time per workload (at least 3 calls; default: ${DEFAULT-VALUE}: the JIT compiles the Vector API kernels in the first 1-2 s)")
    double warmup;

    @Option(names = "--json", description = "one JSON object per line, like torch_baseline.py")
    boolean json;

    @Option(names = "--peer", paramLabel = "NAME",
            description = "also time this implementation on the same data, alternating with losses4j (libtorch: "
                    + "libtorch 2.7 through DJL, from the bench module; the launcher adds it to the class path)")
    String peerName;

    /** The most timed repetitions (their timings are kept in memory). */
    static final int MAX_REPS = 1_000_000;

    @Spec
    CommandSpec spec;

    static final class Names extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Names() {
            super(Workloads.NAMES);
        }
    }

    @Override
    public Integer call() {
        if (threads < 1) {
            throw new UserError("--threads must be at least 1, got " + threads);
        }
        if (reps < 1 || reps > MAX_REPS) {
            throw new UserError("--reps must be in [1, " + MAX_REPS + "], got " + reps);
        }
        if (!(warmup >= 0) || Double.isInfinite(warmup)) {
            throw new UserError("--warmup must be a finite number of seconds >= 0, got " + warmup);
        }
        List<String> names = Workloads.select(workload);
        BenchPeer peer = peerName == null ? null : findPeer(peerName);
        Parallel.setThreads(threads);
        if (peer != null) {
            peer.setThreads(threads);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!json) {
            out.printf("kernels: %s; threads: %d; Java %s; cpu: %s%s%n", Kernels.description(), threads,
                    System.getProperty("java.version"), Platform.cpu(),
                    peer == null ? "" : "; peer: " + peer.name() + " " + peer.version());
        }
        float[] ta = new float[TRIAD_N];
        float[] tb = new float[TRIAD_N];
        float[] tc = new float[TRIAD_N];
        Arrays.fill(ta, 1f);
        Arrays.fill(tb, 2f);
        Step triadStep = () -> {
            Parallel.forChunks(TRIAD_N, Parallel.CHUNK, (chunk, from, to) -> triad(ta, tb, tc, 0.5f, from, to));
            return tc[TRIAD_N - 1];
        };
        Timing triad = time(triadStep);
        double bytesPerMs = 12.0 * TRIAD_N / triad.min;
        if (json) {
            out.println(String.format(Locale.ROOT,
                    "{\"workload\": \"triad_f32\", \"threads\": %d, \"median_ms\": %.3f, \"min_ms\": %.3f, "
                            + "\"elements\": %d, \"bytes\": %d, \"gb_per_s\": %.2f%s}",
                    threads, triad.median, triad.min, TRIAD_N, 12L * TRIAD_N, bytesPerMs / 1e6, machineJson()));
        } else {
            out.printf(Locale.ROOT, "triad c = a + s*b on 3 x %d floats: %.2f GB/s (best of %d; median %.3f ms)%n%n",
                    TRIAD_N, bytesPerMs / 1e6, reps, triad.median);
            out.printf("%-26s %10s %10s %12s %8s %10s %9s%n", "workload", "median ms", "min ms", "elements", "GB/s",
                    "limit ms", "of limit");
        }
        out.flush();
        for (String name : names) {
            System.gc();
            Workloads.Workload w = Workloads.make(name);
            Loss loss;
            try {
                loss = w.create();
            } catch (LossException e) {
                if (e.kind() != ErrorKind.UNKNOWN_LOSS) {
                    throw e;
                }
                err.println("losses bench: skipped " + name + ": loss '" + w.loss + "' is not registered in this build");
                err.flush();
                continue;
            }
            BenchPeer.Step peerStep = null;
            if (peer != null) {
                try {
                    peerStep = peer.prepare(w);
                } catch (UnsupportedOperationException e) {
                    err.println("losses bench: " + peer.name() + " skipped " + name + ": " + e.getMessage());
                    err.flush();
                }
            }
            try {
                report(out, w, loss, peer, peerStep, triadStep, bytesPerMs);
            } finally {
                if (peerStep != null) {
                    peerStep.close();
                }
            }
        }
        if (!json) {
            out.println();
            out.println("limit ms = bytes that must move / triad bandwidth (best of a triad interleaved with the workload);");
            out.println("of limit = limit / median (1 = at the limit)");
        }
        return 0;
    }

    /**
     * Times one workload (with the triad interleaved when it has a bandwidth limit, and the peer's
     * step when there is one) and prints its line(s).
     */
    private void report(PrintWriter out, Workloads.Workload w, Loss loss, BenchPeer peer, BenchPeer.Step peerStep,
            Step triadStep, double bytesPerMs) {
        List<Step> steps = new ArrayList<>();
        steps.add(() -> loss.compute(w.inputs).value());
        if (peerStep != null) {
            steps.add(peerStep::run);
        }
        double bw = bytesPerMs;
        Timing[] t;
        if (w.memoryBound) {
            // the machine is shared: the triad runs interleaved with this workload's repetitions,
            // so the limit is measured under the same load as the workload
            steps.add(triadStep);
            t = timeInterleaved(steps.toArray(new Step[0]));
            bw = 12.0 * TRIAD_N / t[t.length - 1].min;
        } else {
            t = steps.size() == 1 ? new Timing[] {time(steps.get(0))} : timeInterleaved(steps.toArray(new Step[0]));
        }
        double limit = w.memoryBound ? w.bytes / bw : Double.NaN;
        Timing mine = t[0];
        Timing theirs = peerStep == null ? null : t[1];
        if (json) {
            StringBuilder sb = jsonLine(w, mine, bw, limit);
            if (peer != null) {
                sb.append(", \"impl\": \"losses4j\", \"peer\": \"").append(peer.name()).append('"');
                if (theirs != null) {
                    sb.append(String.format(Locale.ROOT, ", \"peer_median_ms\": %.3f, \"ratio\": %.4f", theirs.median,
                            mine.median / theirs.median));
                }
            }
            out.println(sb.append(machineJson()).append('}'));
            if (theirs != null) {
                out.println(jsonLine(w, theirs, bw, limit).append(", \"impl\": \"").append(peer.name())
                        .append("\", \"version\": \"").append(peer.version()).append('"').append(machineJson())
                        .append('}'));
            }
        } else {
            textLine(out, w.name, w, mine, limit);
            if (theirs != null) {
                textLine(out, "  " + peer.name() + String.format(Locale.ROOT, " (x%.3f)", mine.median / theirs.median),
                        w, theirs, limit);
            }
        }
        out.flush();
    }

    /** The torch_baseline.py fields of one timing, then bytes, bandwidth and the limit (no closing brace). */
    private StringBuilder jsonLine(Workloads.Workload w, Timing t, double bw, double limit) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT,
                "{\"workload\": \"%s\", \"threads\": %d, \"median_ms\": %.3f, \"min_ms\": %.3f, \"elements\": %d",
                w.name, threads, t.median, t.min, w.elements));
        if (w.bytes > 0) {
            sb.append(", \"bytes\": ").append(w.bytes).append(", \"gb_per_s\": ")
                    .append(String.format(Locale.ROOT, "%.2f", w.bytes / t.median / 1e6));
        }
        if (w.memoryBound) {
            sb.append(String.format(Locale.ROOT, ", \"triad_gb_per_s\": %.2f, \"limit_ms\": %.3f, \"fraction_of_limit\": %.3f",
                    bw / 1e6, limit, limit / t.median));
        }
        return sb;
    }

    private static void textLine(PrintWriter out, String label, Workloads.Workload w, Timing t, double limit) {
        String gbs = w.bytes > 0 ? String.format(Locale.ROOT, "%.2f", w.bytes / t.median / 1e6) : "-";
        out.printf(Locale.ROOT, "%-26s %10.3f %10.3f %12d %8s %10s %9s%n", label, t.median, t.min, w.elements, gbs,
                w.memoryBound ? String.format(Locale.ROOT, "%.3f", limit) : "-",
                w.memoryBound ? String.format(Locale.ROOT, "%.2f", limit / t.median) : "-");
    }

    /** The peer of that name among the {@link BenchPeer}s on the class path. */
    static BenchPeer findPeer(String name) {
        List<String> found = new ArrayList<>();
        for (BenchPeer p : ServiceLoader.load(BenchPeer.class)) {
            if (p.name().equals(name)) {
                return p;
            }
            found.add(p.name());
        }
        throw new UserError("no bench peer '" + name + "' on the class path (found: "
                + (found.isEmpty() ? "none" : String.join(", ", found)) + "); the peers live in the bench module: run "
                + "./losses bench --peer " + name + " through the launcher, which builds bench/ and adds it");
    }

    /** Median and minimum of {@link #reps} timed calls after the warm-up, in milliseconds. */
    static final class Timing {
        final double median;
        final double min;

        Timing(double[] ms) {
            double[] s = ms.clone();
            Arrays.sort(s);
            median = s[s.length / 2];
            min = s[0];
        }
    }

    interface Step {
        double run();
    }

    static volatile double sink;

    private Timing time(Step step) {
        long start = System.nanoTime();
        int calls = 0;
        while (calls < 3 || System.nanoTime() - start < warmup * 1e9) {
            sink = step.run();
            calls++;
        }
        double[] ms = new double[reps];
        for (int k = 0; k < reps; k++) {
            long t0 = System.nanoTime();
            sink = step.run();
            ms[k] = (System.nanoTime() - t0) / 1e6;
        }
        return new Timing(ms);
    }

    /**
     * Warm-up of each step but the last (which is the triad, already warm, or a second one: one
     * call), then {@link #reps} rounds of one call of each in turn: their timings, so all see the
     * same load on a shared machine.
     */
    private Timing[] timeInterleaved(Step... steps) {
        for (int i = 0; i < steps.length; i++) {
            long start = System.nanoTime();
            int calls = 0;
            boolean warm = i < steps.length - 1;
            while (calls < 1 || warm && (calls < 3 || System.nanoTime() - start < warmup * 1e9)) {
                sink = steps[i].run();
                calls++;
            }
        }
        double[][] ms = new double[steps.length][reps];
        for (int k = 0; k < reps; k++) {
            for (int i = 0; i < steps.length; i++) {
                long t0 = System.nanoTime();
                sink = steps[i].run();
                ms[i][k] = (System.nanoTime() - t0) / 1e6;
            }
        }
        Timing[] t = new Timing[steps.length];
        for (int i = 0; i < steps.length; i++) {
            t[i] = new Timing(ms[i]);
        }
        return t;
    }

    /** c[i] = a[i] + s·b[i] over [from, to): the triad, on the same threads and chunks as the losses. */
    private static void triad(float[] a, float[] b, float[] c, float s, int from, int to) {
        for (int i = from; i < to; i++) {
            c[i] = a[i] + s * b[i];
        }
    }

    /** The fields every JSON line ends with: kernel path, vector width, CPU model, Java version. */
    private static String machineJson() {
        return ", \"kernels\": \"" + Kernels.path() + "\", \"vector_bits\": " + Platform.vectorBits()
                + ", \"cpu\": \"" + Platform.cpu().replace("\\", "\\\\").replace("\"", "\\\"") + "\", \"java\": \""
                + System.getProperty("java.version") + "\"";
    }
}
