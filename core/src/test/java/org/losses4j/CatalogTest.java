package org.losses4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The registry holds exactly the catalog (conformance/CATALOG.md, a copy of the shared contract). */
class CatalogTest {
    private static final Map<String, Family> SECTIONS = Map.of(
            "Regression", Family.REGRESSION,
            "Classification", Family.CLASSIFICATION,
            "Probabilistic and sequence", Family.PROBABILISTIC,
            "Ranking and metric learning", Family.RANKING,
            "Segmentation and vision", Family.SEGMENTATION,
            "Generative models", Family.GENERATIVE,
            "Preference and reinforcement learning", Family.PREFERENCE,
            "Regularisation and objectives", Family.REGULARIZATION);

    static Map<String, Family> catalogNames() throws IOException {
        Path p = Path.of("..", "conformance", "CATALOG.md");
        Map<String, Family> names = new LinkedHashMap<>();
        Family current = null;
        Pattern row = Pattern.compile("^\\| `([a-z0-9_]+)` \\|");
        for (String line : Files.readAllLines(p)) {
            if (line.startsWith("## ")) {
                current = SECTIONS.get(line.substring(3).trim());
            }
            Matcher m = row.matcher(line);
            if (m.find() && current != null) {
                names.put(m.group(1), current);
            }
        }
        return names;
    }

    @Test
    void everyRegisteredLossIsInTheCatalogWithItsFamily() throws IOException {
        Map<String, Family> catalog = catalogNames();
        assertThat(catalog).hasSizeGreaterThan(50);
        for (LossInfo i : Losses.catalog()) {
            assertThat(catalog).as("catalog has %s", i.name()).containsKey(i.name());
            assertThat(i.family()).as(i.name()).isEqualTo(catalog.get(i.name()));
            assertThat(i.summary()).as(i.name() + " summary").isNotBlank();
            assertThat(i.formula()).as(i.name() + " formula").isNotBlank();
            assertThat(i.reference()).as(i.name() + " reference").isNotBlank();
            assertThat(i.inputs()).as(i.name() + " inputs").isNotEmpty();
        }
    }

    @Test
    void everyCatalogLossIsRegistered() throws IOException {
        List<String> missing = new ArrayList<>();
        for (String n : catalogNames().keySet()) {
            if (!Losses.exists(n)) {
                missing.add(n);
            }
        }
        assertThat(missing).as("catalog losses not registered").isEmpty();
    }

    @Test
    void registryListsTheCatalogInItsOrder() throws IOException {
        List<String> registered = new ArrayList<>();
        for (LossInfo i : Losses.catalog()) {
            registered.add(i.name());
        }
        assertThat(registered).containsExactlyElementsOf(catalogNames().keySet());
    }

    /**
     * What the rest of the code reads from a loss's description instead of its name holds for
     * every loss: its example inputs are a valid call (of batch 3 and, where a batch may be empty,
     * 0), its layout agrees with the Hessian and the reduction option, and the int64 inputs are
     * declared.
     */
    @Test
    void everyLossDescribesItsLayoutAndHasValidExampleInputs() {
        java.util.Random r = new java.util.Random(7);
        for (LossInfo i : Losses.catalog()) {
            assertThat(i.hasExample()).as(i.name() + " has example inputs").isTrue();
            Inputs in = i.example(r, 3);
            for (LossInfo.InputSpec s : i.inputs()) {
                if (s.required()) {
                    assertThat(in.has(s.name())).as(i.name() + " example gives " + s.name()).isTrue();
                }
                if (in.has(s.name()) && in.get(s.name()).dtype() == DType.INT64) {
                    assertThat(s.integerType() != null || s.alsoInt64()).as(i.name() + "." + s.name()).isTrue();
                }
            }
            LossResult res = i.create(i.exampleOptions()).compute(in);
            assertThat(res.value()).as(i.name() + " on its example").isFinite();
            if (i.hessian()) {
                assertThat(i.layout()).as(i.name()).isEqualTo(LossInfo.Layout.ELEMENT);
            }
            boolean hasOption = i.options().stream().anyMatch(o -> o.name().equals("reduction"));
            assertThat(i.reducible()).as(i.name() + " reducible").isEqualTo(hasOption);
            if (i.reducible()) {
                assertThat(i.reductions()).contains(Reduction.SUM, Reduction.NONE);
            }
        }
    }

    @Test
    void everyLossBuildsWithDefaultsAndDescribesItsOptions() {
        for (LossInfo i : Losses.catalog()) {
            Loss l = i.create();
            assertThat(l.name()).isEqualTo(i.name());
            for (OptionSpec<?> o : i.options()) {
                assertThat(o.description()).as(i.name() + "." + o.name()).isNotBlank();
                assertThat(l.options().asText()).containsKey(o.name());
            }
        }
    }
}
