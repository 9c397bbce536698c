package org.losses4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code losses} launcher script, run against a stand-in {@code java} (and {@code mvn}) on
 * the PATH: what it passes to the JVM and how it filters stderr.
 */
class LauncherTest {
    @TempDir
    Path dir;

    /** A copy of the launcher in an empty tree, with stand-in java and mvn first on the PATH. */
    ProcessBuilder launcher(String javaScript) throws Exception {
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Path script = tree.resolve("losses");
        Files.copy(Path.of("..", "losses"), script);
        for (String d : new String[] {"cli/target", "cli/src/main", "core/src/main"}) {
            Files.createDirectories(tree.resolve(d));
        }
        for (String f : new String[] {"pom.xml", "core/pom.xml", "cli/pom.xml"}) {
            Files.writeString(tree.resolve(f), "");
        }
        Files.writeString(tree.resolve("cli/target/losses4j-cli.jar"), "");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        executable(bin.resolve("mvn"), "#!/bin/sh\nexit 0\n");
        executable(bin.resolve("java"), "#!/bin/bash\n" + javaScript);
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "eval");
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().remove("LOSSES_JAVA_OPTS");
        return pb;
    }

    static void executable(Path p, String text) throws Exception {
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void theIncubatorWarningIsDroppedAndCarriageReturnsPassAtOnce() throws Exception {
        Process p = launcher("echo 'WARNING: Using incubator modules: jdk.incubator.vector' >&2\n"
                + "printf 'before\\n' >&2\nprintf '\\r  eval [=>  ] 10%%' >&2\nsleep 4\nprintf '\\rdone\\n' >&2\nexit 7\n")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long t0 = System.nanoTime();
        InputStream err = p.getErrorStream();
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        double barSeconds = -1;
        int b;
        while ((b = err.read()) >= 0) {
            seen.write(b);
            if (barSeconds < 0 && seen.toString(StandardCharsets.UTF_8).endsWith("10%")) {
                barSeconds = (System.nanoTime() - t0) / 1e9;
            }
        }
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(7);
        String all = seen.toString(StandardCharsets.UTF_8);
        assertThat(all).endsWith("\nbefore\n\r  eval [=>  ] 10%\rdone\n").doesNotContain("WARNING");
        // the bar (no newline after it) must reach the terminal while the program runs, not at its end
        assertThat(barSeconds).as("seconds until the bar came through").isBetween(0.0, 3.0);
    }

    @Test
    void theHeapIsCappedAndLossesJavaOptsComeAfterTheCap() throws Exception {
        ProcessBuilder pb = launcher("echo \"$*\"\n");
        Path out = dir.resolve("args.txt");
        pb.redirectOutput(out.toFile()).redirectError(dir.resolve("err.txt").toFile());
        assertThat(pb.start().waitFor()).isZero();
        String args = Files.readString(out);
        assertThat(args).contains("-Xmx1g").contains("-Dlosses.stderr.tty=false");
        pb.environment().put("LOSSES_JAVA_OPTS", "-Xmx8g -Dx=1");
        assertThat(pb.start().waitFor()).isZero();
        args = Files.readString(out);
        assertThat(args.indexOf("-Xmx8g")).isGreaterThan(args.indexOf("-Xmx1g"));
        assertThat(args).contains("-Dx=1");
    }
}
