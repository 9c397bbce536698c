package org.losses4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every option constant of every loss class (Huber.DELTA ...) has Javadoc giving its default
 * and its allowed values, and they are the ones the option really has: read from the source
 * beside the running class, so the documentation cannot drift from the OptionSpec.
 */
class OptionJavadocTest {
    @Test
    void everyOptionConstantDocumentsItsDefaultAndRange() throws Exception {
        int checked = 0;
        for (LossInfo info : Losses.catalog()) {
            Class<?> c = info.create(info.exampleOptions()).getClass();
            Path src = Path.of("src/main/java", c.getName().replace('.', '/') + ".java");
            String text = Files.readString(src).replaceAll("\n\\s*\\*(?!/) ?", " ");
            for (Field f : c.getDeclaredFields()) {
                if (f.getType() != OptionSpec.class || !Modifier.isStatic(f.getModifiers())
                        || !Modifier.isPublic(f.getModifiers())) {
                    continue;
                }
                OptionSpec<?> o = (OptionSpec<?>) f.get(null);
                Matcher m = Pattern.compile("/\\*\\*((?:(?!\\*/).)*)\\*/\\s*public static final OptionSpec<[^=]*> "
                        + f.getName() + " =", Pattern.DOTALL).matcher(text);
                assertThat(m.find()).as(c.getSimpleName() + "." + f.getName() + " has Javadoc").isTrue();
                String doc = m.group(1).replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&")
                        .replaceAll("\\s+", " ");
                assertThat(doc).as(c.getSimpleName() + "." + f.getName())
                        .contains("{@code " + o.name() + "}")
                        .contains("Default {@code " + o.defaultText() + "}")
                        .contains("allowed: " + o.allowed().replaceAll("\\s+", " "));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(80);
    }
}
