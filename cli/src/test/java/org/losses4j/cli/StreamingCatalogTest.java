package org.losses4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.losses4j.LossInfo;
import org.losses4j.Losses;
import org.losses4j.Tensor;
import org.losses4j.conformance.Conformance;

/**
 * Issue 22: the streamed value and gradient equal the whole-file ones for every loss that
 * streams, every reduction it accepts but {@code none}, and chunks of 1, 7 and the default
 * number of rows. The inputs are the shared conformance cases (valid inputs for each loss),
 * written as .npy files.
 */
class StreamingCatalogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Path CASES = Path.of("../core/src/test/resources/conformance");
    /** Cases per loss (each is run for every reduction and chunk size). */
    static final int PER_LOSS = 4;

    @TempDir
    static Path dir;

    /**
     * The losses {@code eval} streams with their required inputs: a reduction option, and
     * elementwise or one term per row.
     */
    static Set<String> streamable() {
        Set<String> s = new TreeSet<>();
        for (LossInfo i : Losses.catalog()) {
            Map<String, Path> required = new LinkedHashMap<>();
            i.inputs().stream().skip(1).filter(in -> in.required() && !in.name().equals("target"))
                    .forEach(in -> required.put(in.name(), Path.of(in.name())));
            if (StreamingEval.supports(i, required)) {
                s.add(i.name());
            }
        }
        return s;
    }

    /** The reductions a loss accepts, from its option's allowed values ("one of mean, sum, none"). */
    static List<String> reductions(LossInfo info) {
        String allowed = info.options().stream().filter(o -> o.name().equals("reduction")).findFirst().orElseThrow()
                .allowed();
        List<String> out = new ArrayList<>();
        for (String r : allowed.replaceFirst("^one of ", "").split(",\\s*")) {
            if (!r.equals("none")) {
                out.add(r);
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> streamedEqualsWholeForEveryStreamableLossReductionAndChunk() throws Exception {
        Set<String> losses = streamable();
        Map<String, Integer> taken = new LinkedHashMap<>();
        List<DynamicTest> tests = new ArrayList<>();
        List<Path> files;
        // the shared cases and the project's own (conformance/project/, for the losses the shared ones lack)
        try (Stream<Path> s = Files.walk(CASES, 2)) {
            files = s.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
        int k = 0;
        for (Path f : files) {
            for (String line : Files.readAllLines(f)) {
                if (line.isBlank()) {
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> c = JSON.readValue(line, Map.class);
                String loss = String.valueOf(c.get("loss"));
                if (!losses.contains(loss) || taken.getOrDefault(loss, 0) >= PER_LOSS
                        || Conformance.answer(c).containsKey("error")) {
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Map<String, Object>> ins = (Map<String, Map<String, Object>>) c.get("inputs");
                LossInfo info = Losses.info(loss);
                Map<String, Path> extra = new LinkedHashMap<>();
                Map<String, Tensor> tensors = new LinkedHashMap<>();
                for (Map.Entry<String, Map<String, Object>> e : ins.entrySet()) {
                    tensors.put(e.getKey(), Conformance.tensor(e.getKey(), e.getValue()));
                    if (!e.getKey().equals("input") && !e.getKey().equals("target")) {
                        extra.put(e.getKey(), null);
                    }
                }
                Tensor x = tensors.get("input");
                if (x == null || !tensors.containsKey("target") || x.rank() == 0 || x.dim(0) == 0
                        || !StreamingEval.supports(info, extra)) {
                    continue;
                }
                taken.merge(loss, 1, Integer::sum);
                int id = k++;
                @SuppressWarnings("unchecked")
                Map<String, Object> params = (Map<String, Object>) c.getOrDefault("params", Map.of());
                tests.add(DynamicTest.dynamicTest(loss + " " + c.get("id"), () -> check(info, id, params, tensors)));
            }
        }
        tests.add(DynamicTest.dynamicTest("every streamable loss is covered", () ->
                assertThat(taken.keySet()).containsAll(losses)));
        return tests.stream();
    }

    private static void check(LossInfo info, int id, Map<String, Object> params, Map<String, Tensor> tensors)
            throws Exception {
        List<String> common = new ArrayList<>(List.of("eval", info.name()));
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Path p = dir.resolve(id + "-" + e.getKey() + ".npy");
            TensorFiles.writeNpy(p, e.getValue());
            String key = e.getKey();
            common.addAll(key.equals("input") ? List.of("--input", p.toString())
                    : key.equals("target") ? List.of("--target", p.toString())
                    : List.of("--input-file", key + "=" + p));
        }
        params.forEach((key, v) -> {
            if (!key.equals("reduction")) {
                common.addAll(List.of("-o", key + "=" + (v instanceof List<?> l ? String.join(",",
                        l.stream().map(String::valueOf).toList()) : v)));
            }
        });
        for (String red : reductions(info)) {
            Path gw = dir.resolve(id + "-" + red + "-whole.npy");
            CliTest.Run whole = run(common, "--reduction", red, "--grad", gw.toString());
            for (String chunk : List.of("1", "7", "0")) {
                Path gs = dir.resolve(id + "-" + red + "-" + chunk + "-stream.npy");
                CliTest.Run s = run(common, "--reduction", red, "--grad", gs.toString(), "--stream",
                        "--stream-chunk-rows", chunk);
                String what = info.name() + " " + params + " reduction " + red + " chunk " + chunk;
                assertThat(s.code()).as(what + ": " + s.err()).isEqualTo(whole.code());
                if (whole.code() != 0) {
                    continue;
                }
                close(Double.parseDouble(s.out().strip()), Double.parseDouble(whole.out().strip()), what + " value");
                Tensor a = TensorFiles.readNpy(gs);
                Tensor b = TensorFiles.readNpy(gw);
                assertThat(a.size()).as(what).isEqualTo(b.size());
                for (int i = 0; i < a.size(); i++) {
                    close(a.getDouble(i), b.getDouble(i), what + " grad[" + i + "]");
                }
            }
        }
    }

    private static CliTest.Run run(List<String> common, String... more) {
        List<String> a = new ArrayList<>(common);
        a.addAll(List.of(more));
        return CliTest.run(a.toArray(String[]::new));
    }

    /** Equal to float32 precision (a whole float32 input computes in float32), NaN where NaN. */
    private static void close(double streamed, double whole, String what) {
        if (Double.isNaN(whole) || Double.isInfinite(whole)) {
            assertThat(streamed).as(what).isEqualTo(whole);
            return;
        }
        assertThat(streamed).as(what).isCloseTo(whole,
                org.assertj.core.data.Offset.offset(1e-6 * Math.max(1e-3, Math.abs(whole))));
    }
}
