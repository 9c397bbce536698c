package org.losses4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.losses4j.kernels.Kernels;

/**
 * What machine the tool runs on, as {@code --version} and {@code bench --json} report it: the CPU
 * model and the float32 kernels' vector width (results and timings differ between CPUs and
 * widths; see docs/performance.md).
 */
final class Platform {
    private static final String CPU = detectCpu();

    private Platform() {
    }

    /** The CPU model ("AMD EPYC", from /proc/cpuinfo on Linux), the architecture and the core count. */
    static String cpu() {
        return CPU;
    }

    private static String detectCpu() {
        String model = null;
        Path info = Path.of("/proc/cpuinfo");
        if (Files.isReadable(info)) {
            try (Stream<String> lines = Files.lines(info)) {
                model = lines.filter(l -> l.startsWith("model name") || l.startsWith("Model"))
                        .map(l -> l.substring(l.indexOf(':') + 1).trim()).filter(s -> !s.isEmpty()).findFirst()
                        .orElse(null);
            } catch (IOException | java.io.UncheckedIOException e) {
                model = null;
            }
        }
        return (model == null ? "unknown CPU" : model) + " (" + System.getProperty("os.arch") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores)";
    }

    /** The float32 kernels' vector width in bits, 0 on the scalar path. */
    static int vectorBits() {
        return Kernels.path().equals("vector") ? 32 * Kernels.floats().lanes() : 0;
    }
}
