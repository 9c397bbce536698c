package org.losses4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.losses4j.regression.Huber;
import org.losses4j.regression.Mse;
import org.losses4j.segmentation.Tversky;

/**
 * Every option of every loss has a typed setter on the loss's builder ({@code Huber.builder().delta(0.5)}),
 * named after the option, taking the option's Java type, documented like the option constant, and
 * doing exactly what the generic route does: the same value in the built loss, or the same refusal.
 */
class TypedBuilderTest {

    @Test
    void everyOptionHasATypedSetterThatActsLikeTheGenericRoute() throws Exception {
        int set = 0;
        int refusedAlike = 0;
        for (LossInfo info : Losses.catalog()) {
            Class<?> lossClass = info.create(info.exampleOptions()).getClass();
            Method builderMethod = lossClass.getMethod("builder");
            assertThat(Modifier.isStatic(builderMethod.getModifiers())).isTrue();
            Class<?> builderClass = builderMethod.getReturnType();
            List<OptionSpec<?>> own = new ArrayList<>();
            for (OptionSpec<?> o : info.options()) {
                if (!o.name().equals("reduction")) {
                    own.add(o);
                }
            }
            if (own.isEmpty()) {
                assertThat(builderClass).as(info.name()).isEqualTo(LossBuilder.class);
                continue;
            }
            assertThat(builderClass.getSimpleName()).as(info.name()).isEqualTo("Builder");
            assertThat(builderClass.getEnclosingClass()).as(info.name()).isEqualTo(lossClass);
            String src = Files.readString(Path.of("src/main/java", lossClass.getName().replace('.', '/') + ".java"))
                    .replaceAll("\n\\s*\\*(?!/) ?", " ");
            for (OptionSpec<?> o : own) {
                String what = info.name() + "." + o.setterName();
                Method m = builderClass.getMethod(o.setterName(), parameterType(o));
                assertThat(m.getReturnType()).as(what).isEqualTo(builderClass);
                assertDocumented(src, o.setterName(), o, what);

                Object value = nonDefault(o);
                Object viaSetter;
                try {
                    Loss built = (Loss) builderClass.getMethod("build").invoke(m.invoke(builderMethod.invoke(null), value));
                    viaSetter = built.options().get(o);
                } catch (InvocationTargetException e) {
                    viaSetter = e.getCause();
                }
                Map<String, Object> raw = new HashMap<>();
                raw.put(o.name(), value);
                Object viaMap;
                try {
                    viaMap = Losses.create(info.name(), raw).options().get(o);
                } catch (LossException e) {
                    viaMap = e;
                }
                if (viaMap instanceof LossException) {
                    assertThat(viaSetter).as(what).isInstanceOf(LossException.class);
                    assertThat(((LossException) viaSetter).getMessage()).as(what)
                            .isEqualTo(((LossException) viaMap).getMessage());
                    refusedAlike++;
                } else {
                    assertThat(Objects.deepEquals(viaSetter, value)).as(what + " = " + o.format(value) + ", got "
                            + (viaSetter instanceof Throwable ? viaSetter : o.format(viaSetter))).isTrue();
                    assertThat(Objects.deepEquals(viaSetter, o.defaultValue())).as(what + " changed it").isFalse();
                    set++;
                }
            }
        }
        assertThat(set).isGreaterThanOrEqualTo(70);
        assertThat(refusedAlike).isLessThan(3);
    }

    @Test
    void typedSettersChainWithTheGenericOnesAndAreValidatedAtBuild() {
        Huber h = Huber.builder().reduction(Reduction.SUM).delta(0.5).build();
        assertThat(h.options().get(Huber.DELTA)).isEqualTo(0.5);
        assertThat(h.options().reduction()).isEqualTo(Reduction.SUM);
        // the later setting wins, whichever route set it
        assertThat(Huber.builder().delta(0.5).set(Huber.DELTA, 2.0).build().options().get(Huber.DELTA)).isEqualTo(2.0);
        TestSupport.assertRefused(() -> Huber.builder().delta(-1).build(), ErrorKind.INVALID_OPTION, "delta");
        TestSupport.assertRefused(() -> Huber.builder().delta(Double.NaN).build(), ErrorKind.INVALID_OPTION, "delta");
        TestSupport.assertRefused(() -> Tversky.builder().average("pixel").build(), ErrorKind.INVALID_OPTION,
                "average");
        assertThat(Mse.builder().reduction(Reduction.NONE).build().options().reduction()).isEqualTo(Reduction.NONE);
    }

    @Test
    void aListOptionIsCopiedWhenSet() {
        double[] w = {2.0};
        var b = org.losses4j.vision.Perceptual.builder().layerWeights(w);
        w[0] = -5;
        assertThat(b.build().options().get(org.losses4j.vision.PerceptualLayers.LAYER_WEIGHTS))
                .containsExactly(2.0);
        assertThatThrownBy(() -> org.losses4j.vision.Perceptual.builder().layerWeights(Double.NaN).build())
                .isInstanceOf(LossException.class).hasMessageContaining("layer_weights");
    }

    private static void assertDocumented(String src, String method, OptionSpec<?> o, String what) {
        Matcher m = Pattern.compile("/\\*\\*((?:(?!\\*/).)*)\\*/\\s*public Builder " + method + "\\(", Pattern.DOTALL)
                .matcher(src);
        assertThat(m.find()).as(what + " has Javadoc").isTrue();
        String doc = m.group(1).replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&")
                .replaceAll("\\s+", " ");
        assertThat(doc).as(what).contains("{@code " + o.name() + "}")
                .contains("Default {@code " + o.defaultText() + "}")
                .contains("allowed: " + o.allowed().replaceAll("\\s+", " "));
    }

    private static Class<?> parameterType(OptionSpec<?> o) {
        Class<?> t = o.valueType();
        if (o.nullable() || t == String.class || t == double[].class) {
            return t;
        }
        return t == Double.class ? double.class : t == Long.class ? long.class : boolean.class;
    }

    /** A valid value other than the default, of the option's type. */
    private static Object nonDefault(OptionSpec<?> o) {
        Object d = o.defaultValue();
        Class<?> t = o.valueType();
        List<Object> candidates = new ArrayList<>();
        if (t == Boolean.class) {
            candidates.add(!((Boolean) d));
        } else if (t == String.class) {
            candidates.addAll(o.choices());
        } else if (t == Long.class) {
            long v = d == null ? 0 : (Long) d; // a nullable integer (lovasz_softmax's ignore_index) defaults to null
            for (long c : new long[] {v + 2, v + 1, v - 1, 1, 2, 3, 7}) {
                candidates.add(c);
            }
        } else if (t == double[].class) {
            candidates.add(new double[] {0.5});
        } else {
            double v = d == null ? 1.0 : (Double) d;
            for (double c : new double[] {v * 0.5, v * 2, v + 0.5, 0.5, 0.25, 1.5, 2.0, 0.1, 1e-3, 1.25}) {
                candidates.add(c);
            }
        }
        for (Object c : candidates) {
            if (Objects.deepEquals(c, d)) {
                continue;
            }
            try {
                o.parse(c);
                return c;
            } catch (LossException e) {
                // try the next
            }
        }
        throw new AssertionError("no valid non-default value for " + o.name() + " among "
                + Arrays.deepToString(candidates.toArray()));
    }
}
